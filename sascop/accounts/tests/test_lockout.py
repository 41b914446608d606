"""Lock-out after repeated failures (django-axes) and no user enumeration."""

from __future__ import annotations

from http import HTTPStatus

import pytest
from axes.models import AccessAttempt
from django.test import Client

from sascop.accounts.tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LOCKED = {
    "error": "Too many requests",
    "code": "throttled",
    "detail": "Too many failed login attempts. Try again in 15 minutes.",
    "retry_after": 900,
}


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


def test_counters_live_in_the_database_whatever_the_cache(client, user):
    # The database is what every app server shares and what survives a Redis loss.
    _fail(client, "ana", 5)

    attempt = AccessAttempt.objects.get()
    assert (attempt.username, attempt.failures_since_start) == ("ana", 5)


def test_lockout_is_per_account_whichever_identifier_is_typed(client, user):
    # Five failures with the username lock the account for the e-mail too, in any form.
    _fail(client, "ana", 5)

    for identifier in ["ana@sascop.mx", "  ANA@SASCOP.MX ", "Ana"]:
        response = _login(client, identifier, PASSWORD)
        assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS, identifier
        assert response.json() == LOCKED


def test_failures_through_every_identifier_add_up(client, user):
    for identifier in ["ana", "ana@sascop.mx", " ANA ", "Ana@Sascop.mx", "aNa"]:
        _login(client, identifier)

    assert _login(client, "ana@sascop.mx", PASSWORD).status_code == (HTTPStatus.TOO_MANY_REQUESTS)


def test_unknown_identifier_counts_per_identifier_and_client(client, user):
    assert _fail(client, "nadie@sascop.mx", 5) == [401, 401, 401, 401, 429]

    assert _login(client, "otro@sascop.mx").status_code == HTTPStatus.UNAUTHORIZED
    assert _login(client, "nadie@sascop.mx", REMOTE_ADDR="10.9.8.7").status_code == (
        HTTPStatus.UNAUTHORIZED
    )
    assert _login(client, "ana", PASSWORD).status_code == HTTPStatus.OK


def _change_password(client, current):
    return client.post(
        "/api/password/change/",
        {"current_password": current, "new_password": "Nueva-Clave-Marina-9"},
        content_type="application/json",
        HTTP_X_CSRFTOKEN=client.cookies["csrftoken"].value,
    )


def test_wrong_current_password_guesses_lock_the_account(client, user, json_login):
    json_login()

    statuses = [_change_password(client, f"adivina-{n}").status_code for n in range(5)]
    right = _change_password(client, PASSWORD)

    assert statuses == [400, 400, 400, 400, 429]
    assert right.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert right.json() == LOCKED
    assert right["Retry-After"] == "900"
    user.refresh_from_db()
    assert user.check_password(PASSWORD)  # the locked attempt changed nothing
    # The same counter guards the login form.
    assert _login(Client(enforce_csrf_checks=True), "ana", PASSWORD).status_code == (
        HTTPStatus.TOO_MANY_REQUESTS
    )


def test_guesses_at_login_and_at_password_change_add_up(client, user, json_login):
    json_login()
    _fail(Client(enforce_csrf_checks=True), "ana@sascop.mx", 3)

    assert _change_password(client, "adivina").status_code == HTTPStatus.BAD_REQUEST
    assert _change_password(client, "adivina").status_code == HTTPStatus.TOO_MANY_REQUESTS


def test_a_successful_password_change_resets_the_count(client, user, json_login):
    json_login()
    for _ in range(4):
        _change_password(client, "adivina")

    assert _change_password(client, PASSWORD).status_code == HTTPStatus.OK
    assert _fail(Client(enforce_csrf_checks=True), "ana", 4) == [401] * 4


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
