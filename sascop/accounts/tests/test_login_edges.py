"""Smaller edges of login and sessions (issue 23, item 11): the form login's lock-out says
when to come back, a login post that is no form answers the JSON envelope, and the session
cookie never outlives the absolute session limit."""

from __future__ import annotations

from http import HTTPStatus

import pytest
from django.test import Client
from django.test.client import BOUNDARY

from sascop.accounts.tests.factories import PASSWORD
from tests.envelope import assert_error

pytestmark = pytest.mark.django_db
HOUR = 3600
# The multipart type with a boundary, as a copy: the test client encodes a dict when handed
# its own constant.
MULTIPART = f"multipart/form-data; boundary={BOUNDARY}"


def _form(client: Client, **extra: str) -> dict[str, str]:
    client.get("/accounts/login/")
    return {"csrfmiddlewaretoken": client.cookies["csrftoken"].value, **extra}


def test_security_form_login_lockout_says_when_to_retry(client, user, settings):
    statuses = [
        client.post("/accounts/login/", _form(client, username="ana", password=f"mala-{n}"))
        for n in range(settings.AXES_FAILURE_LIMIT)
    ]

    locked = statuses[-1]
    assert [r.status_code for r in statuses[:-1]] == [401] * (settings.AXES_FAILURE_LIMIT - 1)
    assert locked.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert locked["Content-Type"].startswith("text/html")
    assert "Demasiados intentos fallidos" in locked.content.decode()
    assert locked["Retry-After"] == str(settings.AXES_COOLOFF_TIME.seconds)
    # The same as the JSON login says.
    as_json = client.post(
        "/accounts/login/", {"username": "ana", "password": "x"}, content_type="application/json"
    )
    assert as_json["Retry-After"] == locked["Retry-After"]


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        (MULTIPART, f"--{BOUNDARY}--\r\n"),  # a multipart body with no field
        (MULTIPART, ""),
        ("multipart/form-data", "x"),  # no boundary: unreadable
        ("application/x-www-form-urlencoded", "otra=cosa"),
        ("text/plain", "username=ana"),
    ],
)
def test_a_login_post_that_is_not_the_pages_form_answers_json(client, user, content_type, body):
    # CONTENT_TYPE too: the test client leaves it out of a request without a body.
    response = client.post(
        "/accounts/login/", body, content_type=content_type, CONTENT_TYPE=content_type
    )

    assert response["Content-Type"] == "application/json"
    assert response.status_code in {HTTPStatus.BAD_REQUEST, HTTPStatus.UNSUPPORTED_MEDIA_TYPE}
    assert set(response.json()) >= {"error", "code", "detail"}


def test_the_pages_form_with_blank_fields_still_answers_the_page(client, user):
    response = client.post("/accounts/login/", _form(client, username="", password=""))

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response["Content-Type"].startswith("text/html")
    assert "Escribe tu usuario (o correo) y tu contraseña." in response.content.decode()


def test_security_session_cookie_never_outlives_the_absolute_limit(
    client, user, settings, time_machine
):
    time_machine.move_to("2026-11-23T08:00:00-06:00", tick=False)
    settings.SESSION_REFRESH_INTERVAL = 60

    login = client.post(
        "/api/login/", {"username": "ana", "password": PASSWORD}, content_type="application/json"
    )
    assert int(login.cookies["sessionid"]["max-age"]) == settings.SESSION_ABSOLUTE_AGE

    # Active all day: each refresh sets the cookie again, never past the cap.
    for hours in range(1, 12):
        time_machine.shift(HOUR)
        refreshed = client.get("/api/user/")
        assert refreshed.status_code == HTTPStatus.OK
        left = settings.SESSION_ABSOLUTE_AGE - hours * HOUR
        assert int(refreshed.cookies["sessionid"]["max-age"]) == left
    time_machine.shift(HOUR)
    assert_error(client.get("/api/user/"), HTTPStatus.UNAUTHORIZED, "session_expired")

    # The browser form login too.
    browser = Client(enforce_csrf_checks=True)
    page = browser.post("/accounts/login/", _form(browser, username="ana", password=PASSWORD))
    assert page.status_code == HTTPStatus.FOUND
    assert int(page.cookies["sessionid"]["max-age"]) == settings.SESSION_ABSOLUTE_AGE
