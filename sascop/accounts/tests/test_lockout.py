"""Lock-out after repeated failures (django-axes) and no user enumeration."""

from __future__ import annotations

from http import HTTPStatus

import pytest
from django.conf import settings as django_settings

from sascop.accounts.tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LOCKED = {
    "error": "Too many requests",
    "code": "throttled",
    "detail": "Too many failed login attempts. Try again in 15 minutes.",
    "retry_after": 900,
}
USES_CACHE_HANDLER = bool(django_settings.REDIS_URL)


def _login(client, username, password="equivocada", **extra):
    return client.post(
        "/api/login/",
        {"username": username, "password": password},
        content_type="application/json",
        **extra,
    )


def _fail(client, username, times):
    return [_login(client, username).status_code for _ in range(times)]


def test_fifth_failure_locks_out_with_retry_after(client, user):
    statuses = _fail(client, "ana", 5)

    assert statuses == [401, 401, 401, 401, 429]
    locked = _login(client, "ana", PASSWORD)  # even the right password
    assert locked.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert locked.json() == LOCKED
    assert locked["Retry-After"] == "900"
    assert "sessionid" not in locked.cookies


def test_lockout_counts_username_case_insensitively(client, user):
    for name in ["ana", "ANA", "Ana", " ana", "aNa"]:
        _login(client, name)

    assert _login(client, "ana", PASSWORD).status_code == HTTPStatus.TOO_MANY_REQUESTS


def test_lockout_does_not_touch_other_users_or_clients(client, user):
    UserFactory(username="beto")
    _fail(client, "ana", 5)

    assert _login(client, "beto", PASSWORD).status_code == HTTPStatus.OK
    other_ip = _login(client, "ana", PASSWORD, REMOTE_ADDR="10.9.8.7")
    assert other_ip.status_code == HTTPStatus.OK


def test_empty_username_locks_nobody_out(client, user):
    for _ in range(6):
        response = _login(client, "")
        assert response.status_code == HTTPStatus.BAD_REQUEST

    assert _login(client, "ana", PASSWORD).status_code == HTTPStatus.OK


def test_success_resets_the_counter(client, user):
    _fail(client, "ana", 4)
    assert _login(client, "ana", PASSWORD).status_code == HTTPStatus.OK

    assert _fail(client, "ana", 4) == [401] * 4


def test_html_form_lockout_shows_spanish_page(client, user):
    client.get("/accounts/login/")
    token = client.cookies["csrftoken"].value
    for _ in range(5):
        response = client.post(
            "/accounts/login/",
            {"username": "ana", "password": "mala", "csrfmiddlewaretoken": token},
        )

    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert "Demasiados intentos fallidos. Intenta de nuevo en 15 minutos." in (
        response.content.decode()
    )


def test_limits_follow_configuration(client, user, settings):
    settings.AXES_FAILURE_LIMIT = 2

    assert _fail(client, "ana", 2) == [401, 429]


@pytest.mark.skipif(USES_CACHE_HANDLER, reason="cache TTLs run on the server's clock")
def test_cool_off_ends_the_lockout(client, user, time_machine):
    time_machine.move_to("2026-06-01T12:00:00Z", tick=False)
    _fail(client, "ana", 5)

    time_machine.shift(10 * 60)
    assert _login(client, "ana", PASSWORD).status_code == HTTPStatus.TOO_MANY_REQUESTS
    # That attempt restarted the 15-minute cool-off: 15.5 min after the lock it still holds.
    time_machine.shift(5 * 60 + 30)
    assert _login(client, "ana", PASSWORD).status_code == HTTPStatus.TOO_MANY_REQUESTS
    time_machine.shift(14 * 60 + 59)
    assert _login(client, "ana", PASSWORD).status_code == HTTPStatus.TOO_MANY_REQUESTS
    time_machine.shift(15 * 60 + 1)
    assert _login(client, "ana", PASSWORD).status_code == HTTPStatus.OK


@pytest.mark.skipif(not USES_CACHE_HANDLER, reason="counters are in Redis only with REDIS_URL")
def test_counters_live_in_redis_with_cool_off_ttl(client, user):
    from django_redis import get_redis_connection

    _fail(client, "ana", 5)

    redis = get_redis_connection("default")
    keys = redis.keys("*axes*")
    assert keys, "lock-out counters should be stored in Redis"
    ttls = [redis.ttl(key) for key in keys]
    assert all(890 <= ttl <= 900 for ttl in ttls), ttls


def test_unknown_user_and_wrong_password_look_identical(client, user):
    unknown = _login(client, "nadie")
    wrong = _login(client, "ana")

    assert unknown.status_code == wrong.status_code == HTTPStatus.UNAUTHORIZED
    assert unknown.content == wrong.content
    assert unknown.json() == {
        "error": "Invalid credentials",
        "code": "invalid_credentials",
        "detail": "The username or password is incorrect.",
    }
    assert sorted(unknown.headers) == sorted(wrong.headers)
