"""Contract A (SPEC §2): the auth API's bodies and status codes, asserted whole."""

from __future__ import annotations

from http import HTTPStatus
from unittest.mock import ANY

import pytest

from sascop.accounts.models import User
from sascop.accounts.tests.contrato import login_body, user_body
from sascop.accounts.tests.factories import PASSWORD, UserFactory
from tests.envelope import NOT_AUTHENTICATED, assert_error, invalid_input

pytestmark = pytest.mark.django_db

NEW_USER = {
    "username": "beto",
    "email": "beto@sascop.mx",
    "password": "Ducto-Submarino-77",
    "password2": "Ducto-Submarino-77",
}


def test_register_creates_user_and_logs_in(client):
    response = client.post("/api/register/", NEW_USER, content_type="application/json")

    assert response.status_code == HTTPStatus.CREATED
    user = User.objects.get(username="beto")
    assert response.json() == {"id": user.pk, "username": "beto", "email": "beto@sascop.mx"}
    assert response.cookies["sessionid"].value
    assert response.cookies["csrftoken"].value
    assert client.get("/api/user/").status_code == HTTPStatus.OK
    assert not user.user_permissions.exists() and not user.groups.exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"username": "ANA"}, "username"),
        ({"email": "Ana@SASCOP.mx"}, "email"),
        ({"password2": "otra-cosa-distinta-1"}, "password2"),
        ({"password": "12345678", "password2": "12345678"}, "password"),
        ({"username": "con@arroba"}, "username"),
        ({"email": "no-es-correo"}, "email"),
    ],
)
def test_register_rejects_invalid_input(client, user, change, field):
    response = client.post(
        "/api/register/", {**NEW_USER, **change}, content_type="application/json"
    )

    assert response.status_code == HTTPStatus.BAD_REQUEST
    body = response.json()
    assert body == invalid_input({field: ANY})
    assert all(isinstance(msg, str) for msg in body["fields"][field])
    assert not User.objects.filter(username="beto").exists()
    assert "sessionid" not in response.cookies


def test_register_reports_every_missing_field(client):
    response = client.post("/api/register/", {}, content_type="application/json")

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert set(response.json()["fields"]) == {"username", "email", "password", "password2"}


def test_register_can_be_closed(client, settings):
    settings.REGISTRATION_OPEN = False

    response = client.post("/api/register/", NEW_USER, content_type="application/json")

    assert response.status_code == HTTPStatus.FORBIDDEN
    assert response.json() == {
        "error": "Registration closed",
        "code": "registration_closed",
        "detail": "New accounts cannot be registered on this server.",
    }
    assert not User.objects.exists()


def test_login_body_and_cookies(client, user):
    response = client.post(
        "/api/login/",
        {"username": "ana", "password": PASSWORD},
        content_type="application/json",
    )

    assert response.status_code == HTTPStatus.OK
    assert response.json() == login_body(user)
    assert response.cookies["sessionid"].value
    # The token in the body is the one that works with the cookie just set.
    assert client.get("/api/user/").status_code == HTTPStatus.OK
    logout = client.post(
        "/api/logout/",
        content_type="application/json",
        HTTP_X_CSRFTOKEN=response.json()["csrf_token"],
    )
    assert logout.status_code == HTTPStatus.OK


@pytest.mark.parametrize("identifier", ["ana@sascop.mx", "ANA@Sascop.MX", "Ana", " ana "])
def test_login_accepts_email_and_any_case(client, user, identifier):
    response = client.post(
        "/api/login/",
        {"username": identifier, "password": PASSWORD},
        content_type="application/json",
    )

    assert response.status_code == HTTPStatus.OK
    assert response.json()["user"]["id"] == user.pk


def test_username_match_wins_over_another_users_email(client, user):
    # Only possible for accounts made outside registration (admin), which allows '@'.
    UserFactory(username="ana@sascop.mx", email="otra@sascop.mx")

    response = client.post(
        "/api/login/",
        {"username": "ana@sascop.mx", "password": PASSWORD},
        content_type="application/json",
    )

    assert response.json()["user"]["email"] == "otra@sascop.mx"


def test_login_missing_fields(client):
    response = client.post("/api/login/", {}, content_type="application/json")

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json() == invalid_input(
        {
            "username": ["This field is required."],
            "password": ["This field is required."],
        }
    )


def test_inactive_user_cannot_log_in(client, user):
    user.is_active = False
    user.save()

    response = client.post(
        "/api/login/", {"username": "ana", "password": PASSWORD}, content_type="application/json"
    )

    assert_error(response, HTTPStatus.UNAUTHORIZED, "invalid_credentials")


def test_logout_body_and_server_side_deletion(client, user, json_login, csrf):
    json_login()
    session_key = client.cookies["sessionid"].value

    response = client.post("/api/logout/", content_type="application/json", **csrf(client))

    assert response.status_code == HTTPStatus.OK
    assert response.json() == {"message": "Logout successful"}
    from sascop.accounts.models import Sesion as Session

    assert not Session.objects.filter(session_key=session_key).exists()


def test_user_requires_authentication(client):
    response = client.get("/api/user/")

    assert response.status_code == HTTPStatus.UNAUTHORIZED
    assert response.json() == NOT_AUTHENTICATED
    assert response["WWW-Authenticate"]


def test_user_body(client, user, json_login):
    json_login()

    response = client.get("/api/user/")

    assert response.status_code == HTTPStatus.OK
    assert response.json() == user_body(user)


def test_csrf_endpoint_sets_cookie_and_returns_token(client):
    response = client.get("/api/csrf/")

    assert response.status_code == HTTPStatus.OK
    assert response.json() == {"csrf_token": ANY}
    assert response.cookies["csrftoken"].value


def test_session_status_anonymous(client):
    response = client.get("/api/session/")

    assert response.status_code == HTTPStatus.OK
    assert response.json() == {
        "authenticated": False,
        "user": None,
        "expires_at": None,
        "idle_timeout": 7200,
    }


def test_session_status_authenticated(client, user, json_login, time_machine):
    time_machine.move_to("2026-03-02T10:00:00Z", tick=False)
    json_login()

    response = client.get("/api/session/")

    assert response.status_code == HTTPStatus.OK
    assert response.json() == {
        "authenticated": True,
        "user": user_body(user),
        "expires_at": "2026-03-02T12:00:00Z",
        "idle_timeout": 7200,
    }


def test_user_payload_matches_its_documented_schema(user):
    from sascop.accounts import serializers as s

    assert list(s.user_detail(user)) == list(s.UserDetailSerializer().fields)
    assert list(s.user_summary(user)) == list(s.UserSummarySerializer().fields)


def test_protected_example_requires_authentication(client):
    response = client.get("/api/protected/")

    assert response.status_code == HTTPStatus.UNAUTHORIZED
    assert response.json() == NOT_AUTHENTICATED


def test_protected_example_answers_like_user(client, user, json_login):
    json_login()

    protected = client.get("/api/protected/")

    assert protected.status_code == HTTPStatus.OK
    assert protected.json() == client.get("/api/user/").json()
    assert protected["Cache-Control"] == "no-store"


def test_protected_example_is_documented(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()

    operation = schema["paths"]["/api/protected/"]["get"]
    assert operation["security"] == [{"cookieAuth": []}]
    assert {"200", "401"} <= set(operation["responses"])
