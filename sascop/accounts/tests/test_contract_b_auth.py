"""Contract B's auth half (SPEC §3): the Spanish login page, form and JSON login, logout."""

from __future__ import annotations

from http import HTTPStatus

import pytest

from sascop.accounts.tests.contrato import login_body
from sascop.accounts.tests.factories import PASSWORD
from tests.envelope import assert_error

pytestmark = pytest.mark.django_db


def _form(client, **extra):
    client.get("/accounts/login/")
    return {"csrfmiddlewaretoken": client.cookies["csrftoken"].value, **extra}


def test_login_page_is_spanish_and_sets_csrf_cookie(client):
    response = client.get("/accounts/login/")

    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assert '<html lang="es-MX">' in page
    assert "Iniciar sesión" in page and "Contraseña" in page
    assert 'name="csrfmiddlewaretoken"' in page
    assert response.cookies["csrftoken"].value
    assert "no-store" in response["Cache-Control"]


def test_form_login_redirects_to_dashboard(client, user):
    response = client.post("/accounts/login/", _form(client, username="ana", password=PASSWORD))

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == "/"
    assert "Bienvenido, ana" in client.get("/").content.decode()


def test_form_login_with_email(client, user):
    response = client.post(
        "/accounts/login/", _form(client, username="ANA@sascop.mx", password=PASSWORD)
    )

    assert response.status_code == HTTPStatus.FOUND


@pytest.mark.parametrize(
    ("next_url", "expected"),
    [
        ("/admin/", "/admin/"),
        ("/api/docs/?x=1", "/api/docs/?x=1"),
        ("https://evil.example/", "/"),
        ("//evil.example/", "/"),
        ("http://testserver.evil.example/", "/"),
        ("javascript:alert(1)", "/"),
    ],
)
def test_form_login_follows_only_same_host_next(client, user, next_url, expected):
    response = client.post(
        f"/accounts/login/?next={next_url}",
        _form(client, username="ana", password=PASSWORD),
    )

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == expected


def test_next_in_form_field_is_used(client, user):
    response = client.post(
        "/accounts/login/", _form(client, username="ana", password=PASSWORD, next="/admin/")
    )

    assert response["Location"] == "/admin/"


def test_failed_form_login_rerenders_with_error(client, user):
    response = client.post("/accounts/login/", _form(client, username="ana", password="mala"))

    assert response.status_code == HTTPStatus.UNAUTHORIZED
    page = response.content.decode()
    assert "Usuario o contraseña incorrectos." in page
    assert 'value="ana"' in page  # the username is kept, the password is not
    assert "mala" not in page
    assert "sessionid" not in response.cookies


def test_empty_form_login_rerenders_with_error(client):
    response = client.post("/accounts/login/", _form(client, username="", password=""))

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "Escribe tu usuario" in response.content.decode()


def test_json_login_on_accounts_has_api_body(client, user):
    response = client.post(
        "/accounts/login/",
        {"username": "ana", "password": PASSWORD},
        content_type="application/json",
    )

    assert response.status_code == HTTPStatus.OK
    assert response.json() == login_body(user)


def test_failed_json_login_on_accounts_is_json(client, user):
    response = client.post(
        "/accounts/login/",
        {"username": "ana", "password": "mala"},
        content_type="application/json",
    )

    assert response.status_code == HTTPStatus.UNAUTHORIZED
    assert response.json() == {
        "error": "Invalid credentials",
        "code": "invalid_credentials",
        "detail": "The username or password is incorrect.",
    }


def test_malformed_json_login_on_accounts(client):
    response = client.post("/accounts/login/", "{nope", content_type="application/json")

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json() == {
        "error": "Malformed request",
        "code": "invalid",
        # The same parser, and so the same words, as /api/login/.
        "detail": "JSON parse error - Expecting property name enclosed in double quotes: "
        "line 1 column 2 (char 1)",
    }


def test_wrong_content_type_on_accounts_login(client):
    response = client.post(
        "/accounts/login/",
        "username=ana",
        content_type="text/plain",
        HTTP_ACCEPT="application/json",
    )

    assert_error(response, HTTPStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type")


def test_login_page_rejects_other_methods(client):
    response = client.put("/accounts/login/", "{}", content_type="application/json")

    assert_error(response, HTTPStatus.METHOD_NOT_ALLOWED, "method_not_allowed")
    assert "POST" in response["Allow"]


def test_browser_logout_redirects_with_flag(client, user):
    client.post("/accounts/login/", _form(client, username="ana", password=PASSWORD))

    response = client.post("/accounts/logout/", _form(client))

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == "/accounts/login/?logout_exitoso=1"
    assert "Cerraste sesión correctamente." in client.get(response["Location"]).content.decode()
    assert client.get("/api/user/").status_code == HTTPStatus.UNAUTHORIZED


def test_json_logout_on_accounts(client, user, json_login, csrf):
    json_login()

    response = client.post("/accounts/logout/", content_type="application/json", **csrf(client))

    assert response.status_code == HTTPStatus.OK
    assert response.json() == {"message": "Logout successful"}
    assert client.get("/api/user/").status_code == HTTPStatus.UNAUTHORIZED


def test_json_logout_without_session_is_401(client, csrf):
    client.get("/api/csrf/")

    response = client.post("/accounts/logout/", content_type="application/json", **csrf(client))

    assert_error(response, HTTPStatus.UNAUTHORIZED, "not_authenticated")


def test_logout_is_post_only(client, user, json_login):
    json_login()

    response = client.get("/accounts/logout/")

    assert response.status_code == HTTPStatus.METHOD_NOT_ALLOWED
    assert client.get("/api/user/").status_code == HTTPStatus.OK
