"""Session lifetime and security regressions (SPEC §4), with real time travel."""

from __future__ import annotations

from datetime import timedelta
from http import HTTPStatus
from importlib import import_module

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from sascop.accounts.models import Sesion as Session
from sascop.accounts.tests.factories import PASSWORD
from tests.envelope import NOT_AUTHENTICATED, assert_error

pytestmark = pytest.mark.django_db

START = "2026-05-04T08:00:00Z"
WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")


def _writes(queries: CaptureQueriesContext) -> list[str]:
    return [
        q["sql"] for q in queries.captured_queries if q["sql"].lstrip().upper().startswith(WRITES)
    ]


def _expect_expired(response) -> None:
    assert response.status_code == HTTPStatus.UNAUTHORIZED
    assert response.json() == {
        "error": "Session expired",
        "code": "session_expired",
        "detail": "Your session has expired. Please log in again.",
        "redirect": "/accounts/login/?session_expired=1",
    }


def _expect_not_authenticated(response) -> None:
    # An ended (logged-out, rotated, revoked) session is simply no session: the seed contract's
    # 401 body, not "expired".
    assert response.status_code == HTTPStatus.UNAUTHORIZED
    assert response.json() == NOT_AUTHENTICATED


# --- key and token rotation -------------------------------------------------------------------


def test_session_key_rotates_on_login(client, user, json_login):
    # A key planted before login (session fixation) must not survive it.
    from sascop.core.sessions.store import SessionStore

    planted = SessionStore()
    planted["x"] = 1
    planted.create()
    client.cookies["sessionid"] = planted.session_key

    json_login()

    assert client.cookies["sessionid"].value != planted.session_key
    assert not Session.objects.filter(session_key=planted.session_key).exists()


def test_session_key_rotates_on_relogin_by_same_user(client, user, json_login):
    json_login()
    first_key = client.cookies["sessionid"].value

    json_login()
    second_key = client.cookies["sessionid"].value

    assert second_key != first_key
    assert not Session.objects.filter(session_key=first_key).exists()
    assert client.get("/api/user/").status_code == HTTPStatus.OK
    replay = Client(enforce_csrf_checks=True)
    replay.cookies["sessionid"] = first_key
    _expect_not_authenticated(replay.get("/api/user/"))


def test_csrf_token_rotates_on_login(client, user, json_login):
    before = client.get("/api/csrf/").json()["csrf_token"]
    cookie_before = client.cookies["csrftoken"].value

    after = json_login().json()["csrf_token"]

    assert client.cookies["csrftoken"].value != cookie_before
    # A token issued before login no longer matches the new secret.
    stale = client.post("/api/logout/", content_type="application/json", HTTP_X_CSRFTOKEN=before)
    assert_error(stale, HTTPStatus.FORBIDDEN, "csrf_failed")
    fresh = client.post("/api/logout/", content_type="application/json", HTTP_X_CSRFTOKEN=after)
    assert fresh.status_code == HTTPStatus.OK


def test_logout_replay_is_refused(client, user, json_login, csrf):
    json_login()
    old_cookie = client.cookies["sessionid"].value
    old_token = csrf(client)
    assert (
        client.post("/api/logout/", content_type="application/json", **old_token).status_code == 200
    )

    replay = Client(enforce_csrf_checks=True)
    replay.cookies["sessionid"] = old_cookie
    replay.cookies["csrftoken"] = client.cookies["csrftoken"].value

    _expect_not_authenticated(replay.get("/api/user/"))
    second_logout = replay.post("/api/logout/", content_type="application/json", **old_token)
    assert second_logout.status_code == HTTPStatus.UNAUTHORIZED


# --- idle timeout, sliding refresh, absolute cap ----------------------------------------------


def test_idle_timeout_boundary(client, user, json_login, time_machine):
    time_machine.move_to(START, tick=False)
    json_login()

    time_machine.shift(7199)
    assert client.get("/api/session/").status_code == HTTPStatus.OK  # passive: no refresh
    assert client.get("/api/user/").status_code == HTTPStatus.OK

    other = Client(enforce_csrf_checks=True)
    json_login(c=other)
    time_machine.shift(7201)
    _expect_expired(other.get("/api/user/"))


def test_idle_timeout_expired_at_7201_seconds(client, user, json_login, time_machine, settings):
    time_machine.move_to(START, tick=False)
    json_login()
    key = client.cookies["sessionid"].value

    time_machine.shift(7201)

    _expect_expired(client.get("/api/user/"))
    store = import_module(settings.SESSION_ENGINE).SessionStore
    # Not even a cached copy knows the user any more: only that the session expired.
    assert store(session_key=key).load() == {"_sascop_expired": 1, "_session_expiry": 7200}
    _expect_expired(client.get("/api/user/"))  # and it keeps saying so until a new login
    json_login()
    assert client.get("/api/user/").status_code == HTTPStatus.OK


def test_activity_slides_the_idle_window(client, user, json_login, time_machine):
    time_machine.move_to(START, tick=False)
    json_login()

    time_machine.shift(3600)
    assert client.get("/api/user/").status_code == HTTPStatus.OK  # refreshes the window
    time_machine.shift(7199)
    assert client.get("/api/user/").status_code == HTTPStatus.OK
    time_machine.shift(7201)
    _expect_expired(client.get("/api/user/"))


def test_polling_session_status_does_not_keep_the_session_alive(
    client, user, json_login, time_machine
):
    time_machine.move_to(START, tick=False)
    json_login()

    for _ in range(3):
        time_machine.shift(2400)  # 40 min steps: 7200 s after login on the third
        status = client.get("/api/session/").json()
    assert status["authenticated"] is False
    _expect_expired(client.get("/api/user/"))


def test_absolute_cap_ends_an_active_session(client, user, json_login, time_machine, settings):
    time_machine.move_to(START, tick=False)
    json_login()

    for _ in range(11):
        time_machine.shift(3600)
        assert client.get("/api/user/").status_code == HTTPStatus.OK
    time_machine.shift(3599)
    assert client.get("/api/user/").status_code == HTTPStatus.OK  # 12 h minus 1 s
    time_machine.shift(1)
    _expect_expired(client.get("/api/user/"))


def test_limits_follow_configuration(client, user, json_login, time_machine, settings):
    settings.SESSION_COOKIE_AGE = 600
    settings.SESSION_ABSOLUTE_AGE = 900
    time_machine.move_to(START, tick=False)
    json_login()
    # The cookie ends with the absolute cap (the stored session lasts one idle period more,
    # so a client that still sends it is told it expired).
    assert client.cookies["sessionid"]["max-age"] == 900

    time_machine.shift(500)
    assert client.get("/api/user/").status_code == HTTPStatus.OK
    assert client.cookies["sessionid"]["max-age"] == 400  # re-sent on refresh, same end
    time_machine.shift(399)
    assert client.get("/api/user/").status_code == HTTPStatus.OK
    time_machine.shift(1)
    _expect_expired(client.get("/api/user/"))


def test_refresh_moves_the_idle_deadline(client, user, json_login, time_machine):
    time_machine.move_to(START, tick=False)
    json_login()
    key = client.cookies["sessionid"].value
    row_expiry = Session.objects.get(session_key=key).expire_date
    deadline = client.get("/api/session/").json()["expires_at"]

    time_machine.shift(120)
    client.get("/api/user/")

    assert client.get("/api/session/").json()["expires_at"] > deadline
    assert client.get("/api/session/").json()["expires_at"] == (
        timezone.now() + timedelta(seconds=7200)
    ).strftime("%Y-%m-%dT%H:%M:%SZ")
    # The row itself lives until the cap plus one idle period, whatever the activity.
    assert Session.objects.get(session_key=key).expire_date == row_expiry


# --- writes -------------------------------------------------------------------------------------


@pytest.fixture
def db_sessions(settings):
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.db"


def test_authenticated_get_makes_zero_writes(
    client, user, json_login, time_machine, db_sessions, django_assert_num_queries
):
    time_machine.move_to(START, tick=False)
    json_login()
    time_machine.shift(59)

    # session row and user row: reads only
    with django_assert_num_queries(2) as queries:
        response = client.get("/api/user/")

    assert response.status_code == HTTPStatus.OK
    assert _writes(queries) == []
    assert "sessionid" not in response.cookies  # nothing to re-send either


def test_refresh_writes_once_per_interval(client, user, json_login, time_machine, db_sessions):
    time_machine.move_to(START, tick=False)
    json_login()

    time_machine.shift(61)
    with CaptureQueriesContext(connection) as first:
        client.get("/api/user/")
    time_machine.shift(30)
    with CaptureQueriesContext(connection) as second:
        client.get("/api/user/")

    assert len(_writes(first)) == 1 and "django_session" in _writes(first)[0]
    assert _writes(second) == []


def test_refresh_interval_is_configurable(
    client, user, json_login, time_machine, db_sessions, settings
):
    settings.SESSION_REFRESH_INTERVAL = 300
    time_machine.move_to(START, tick=False)
    json_login()

    time_machine.shift(200)
    with CaptureQueriesContext(connection) as queries:
        client.get("/api/user/")

    assert _writes(queries) == []


# --- cookies --------------------------------------------------------------------------------------


def test_cookie_flags(client, user, json_login, time_machine):
    time_machine.move_to(START, tick=False)
    response = json_login()

    session_cookie = response.cookies["sessionid"]
    assert session_cookie["httponly"] is True
    assert session_cookie["samesite"] == "Lax"
    assert session_cookie["max-age"] == 43200  # the absolute cap (see core.sessions.policy)
    assert response.cookies["csrftoken"]["httponly"] == ""  # readable by JavaScript
    assert "no-store" in response["Cache-Control"]


def test_cookies_are_secure_when_configured(client, user, json_login, settings):
    settings.SESSION_COOKIE_SECURE = True
    settings.CSRF_COOKIE_SECURE = True

    response = json_login()

    assert response.cookies["sessionid"]["secure"] is True
    assert response.cookies["csrftoken"]["secure"] is True


@pytest.mark.parametrize(
    "path", ["/api/login/", "/api/register/", "/api/user/", "/api/session/", "/api/csrf/"]
)
def test_auth_responses_are_not_cached(client, path):
    response = client.get(path)

    assert "no-store" in response["Cache-Control"]


# --- HTML side ----------------------------------------------------------------------------------


def test_expired_browser_session_redirects_with_message(client, user, time_machine):
    time_machine.move_to(START, tick=False)
    client.get("/accounts/login/")
    client.post("/accounts/login/", {"username": "ana", "password": PASSWORD, **_token(client)})
    assert client.get("/").status_code == HTTPStatus.OK

    time_machine.shift(7201)
    response = client.get("/")

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == "/accounts/login/?next=%2F&session_expired=1"
    page = client.get(response["Location"])
    assert (
        "La sesión ha expirado por inactividad. Por favor, ingresa tus datos nuevamente."
        in page.content.decode()
    )


def test_anonymous_browser_is_sent_to_login_without_expiry_message(client):
    response = client.get("/")

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == "/accounts/login/?next=%2F"


# --- password change -----------------------------------------------------------------------------


def test_password_change_ends_other_sessions_only(client, user, json_login, csrf):
    other = Client(enforce_csrf_checks=True)
    json_login(c=other)
    json_login()

    response = client.post(
        "/api/password/change/",
        {"current_password": PASSWORD, "new_password": "Nueva-Clave-Marina-9"},
        content_type="application/json",
        **csrf(client),
    )

    assert response.status_code == HTTPStatus.OK
    assert response.json() == {"message": "Password changed"}
    assert client.get("/api/user/").status_code == HTTPStatus.OK
    _expect_not_authenticated(other.get("/api/user/"))
    fresh = Client(enforce_csrf_checks=True)
    assert (
        fresh.post(
            "/api/login/",
            {"username": "ana", "password": PASSWORD},
            content_type="application/json",
        ).status_code
        == HTTPStatus.UNAUTHORIZED
    )
    json_login(password="Nueva-Clave-Marina-9", c=fresh)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (
            {"current_password": "equivocada", "new_password": "Nueva-Clave-Marina-9"},
            "current_password",
        ),
        ({"current_password": PASSWORD, "new_password": "123"}, "new_password"),
        ({"current_password": PASSWORD, "new_password": "password"}, "new_password"),
    ],
)
def test_password_change_validation(client, user, json_login, csrf, body, field):
    json_login()

    response = client.post(
        "/api/password/change/", body, content_type="application/json", **csrf(client)
    )

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert list(response.json()["fields"]) == [field]
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_password_change_requires_csrf(client, user, json_login):
    json_login()

    response = client.post(
        "/api/password/change/",
        {"current_password": PASSWORD, "new_password": "Nueva-Clave-Marina-9"},
        content_type="application/json",
    )

    assert_error(response, HTTPStatus.FORBIDDEN, "csrf_failed")


def _token(c: Client) -> dict[str, str]:
    return {"csrfmiddlewaretoken": c.cookies["csrftoken"].value}


def test_login_stamps_now(client, user, json_login, time_machine):
    time_machine.move_to(START, tick=False)
    json_login()

    expires = client.get("/api/session/").json()["expires_at"]

    assert expires == (timezone.now() + timedelta(seconds=7200)).strftime("%Y-%m-%dT%H:%M:%SZ")
