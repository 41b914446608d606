"""CSRF and CORS rules of SPEC §5, through the real middleware stack."""

from __future__ import annotations

from http import HTTPStatus

import pytest

from sascop.accounts.tests.factories import PASSWORD
from tests.envelope import assert_error

pytestmark = pytest.mark.django_db

CREDENTIALS = {"username": "ana", "password": PASSWORD}
CSRF_FAILED = {
    "error": "CSRF verification failed",
    "code": "csrf_failed",
    "detail": "CSRF verification failed: a cross-site request must carry the CSRF token.",
}


@pytest.mark.parametrize("path", ["/api/login/", "/accounts/login/"])
def test_tokenless_json_login_from_a_script_works(client, user, path):
    response = client.post(path, CREDENTIALS, content_type="application/json")

    assert response.status_code == HTTPStatus.OK
    assert response.json()["message"] == "Login successful"


def test_tokenless_form_login_from_a_script_works(client, user):
    response = client.post("/accounts/login/", CREDENTIALS)

    assert response.status_code == HTTPStatus.FOUND
    assert client.get("/api/user/").status_code == HTTPStatus.OK


@pytest.mark.parametrize("path", ["/api/login/", "/accounts/login/"])
@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_ORIGIN": "http://evil.example"},
        {"HTTP_ORIGIN": "null"},
        {"HTTP_SEC_FETCH_SITE": "cross-site"},
        {"HTTP_ORIGIN": "http://evil.example", "HTTP_SEC_FETCH_SITE": "cross-site"},
    ],
)
def test_tokenless_cross_site_login_is_refused(client, user, path, headers):
    response = client.post(path, CREDENTIALS, content_type="application/json", **headers)

    assert response.status_code == HTTPStatus.FORBIDDEN
    assert response.json() == CSRF_FAILED
    assert "sessionid" not in response.cookies


def test_tokenless_cross_site_registration_is_refused(client):
    response = client.post(
        "/api/register/",
        {"username": "x", "email": "x@x.mx", "password": "a", "password2": "a"},
        content_type="application/json",
        HTTP_ORIGIN="http://evil.example",
    )

    assert response.status_code == HTTPStatus.FORBIDDEN
    assert response.json() == CSRF_FAILED


def test_cross_site_browser_form_login_is_refused_with_a_page(client, user):
    response = client.post("/accounts/login/", CREDENTIALS, HTTP_ORIGIN="http://evil.example")

    assert response.status_code == HTTPStatus.FORBIDDEN
    assert "La página de acceso caducó" in response.content.decode()
    assert "sessionid" not in response.cookies


@pytest.mark.parametrize("origin", ["http://localhost:3000", "http://testserver"])
def test_spa_login_from_trusted_origin_with_token(client, user, origin):
    token = client.get("/api/csrf/").json()["csrf_token"]

    response = client.post(
        "/api/login/",
        CREDENTIALS,
        content_type="application/json",
        HTTP_ORIGIN=origin,
        HTTP_X_CSRFTOKEN=token,
    )

    assert response.status_code == HTTPStatus.OK


def test_trusted_origin_may_log_in_without_token(client, user):
    response = client.post(
        "/api/login/",
        CREDENTIALS,
        content_type="application/json",
        HTTP_ORIGIN="http://localhost:3000",
        HTTP_SEC_FETCH_SITE="same-site",
    )

    assert response.status_code == HTTPStatus.OK


def test_wrong_token_is_refused_even_same_site(client, user):
    client.get("/api/csrf/")

    response = client.post(
        "/api/login/", CREDENTIALS, content_type="application/json", HTTP_X_CSRFTOKEN="x" * 64
    )

    assert_error(response, HTTPStatus.FORBIDDEN, "csrf_failed")


def test_browser_form_login_with_token(client, user):
    client.get("/accounts/login/")

    response = client.post(
        "/accounts/login/",
        {**CREDENTIALS, "csrfmiddlewaretoken": client.cookies["csrftoken"].value},
        HTTP_ORIGIN="http://testserver",
    )

    assert response.status_code == HTTPStatus.FOUND


def test_unsafe_request_with_session_needs_token(client, user, json_login, csrf):
    json_login()

    without = client.post("/api/logout/", content_type="application/json")
    with_token = client.post("/api/logout/", content_type="application/json", **csrf(client))

    assert without.status_code == HTTPStatus.FORBIDDEN
    assert without.json() == {
        "error": "CSRF verification failed",
        "code": "csrf_failed",
        "detail": "CSRF verification failed: CSRF token missing.",
    }
    assert with_token.status_code == HTTPStatus.OK


def test_browser_logout_without_token_gets_csrf_page(client, user, json_login):
    json_login()

    response = client.post("/accounts/logout/")

    assert response.status_code == HTTPStatus.FORBIDDEN
    assert "text/html" in response["Content-Type"]
    assert client.get("/api/user/").status_code == HTTPStatus.OK


def test_json_logout_without_token_gets_json_error(client, user, json_login):
    json_login()

    response = client.post("/accounts/logout/", content_type="application/json")

    assert_error(response, HTTPStatus.FORBIDDEN, "csrf_failed")


# --- CORS ----------------------------------------------------------------------------------------


def test_cors_allowed_origin_gets_credentials(client):
    response = client.get("/api/session/", HTTP_ORIGIN="http://localhost:3000")

    assert response["Access-Control-Allow-Origin"] == "http://localhost:3000"
    assert response["Access-Control-Allow-Credentials"] == "true"


def test_cors_refused_origin_gets_no_allow_header(client):
    response = client.get("/api/session/", HTTP_ORIGIN="http://evil.example")

    assert "Access-Control-Allow-Origin" not in response
    assert "Access-Control-Allow-Credentials" not in response


def test_cors_preflight_allows_csrf_header(client):
    response = client.options(
        "/api/login/",
        HTTP_ORIGIN="http://localhost:3000",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="content-type,x-csrftoken",
    )

    assert response.status_code == HTTPStatus.OK
    assert response["Access-Control-Allow-Origin"] == "http://localhost:3000"
    assert "x-csrftoken" in response["Access-Control-Allow-Headers"]
    assert "POST" in response["Access-Control-Allow-Methods"]


def test_cors_origins_come_from_configuration(client, settings):
    settings.CORS_ALLOWED_ORIGINS = ["https://app.sascop.mx"]

    allowed = client.get("/api/session/", HTTP_ORIGIN="https://app.sascop.mx")
    refused = client.get("/api/session/", HTTP_ORIGIN="http://localhost:3000")

    assert allowed["Access-Control-Allow-Origin"] == "https://app.sascop.mx"
    assert "Access-Control-Allow-Origin" not in refused


def test_cors_preflight_allows_a_conditional_patch(client):
    response = client.options(
        "/operaciones/api/ptes/1/",
        HTTP_ORIGIN="http://localhost:3000",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="PATCH",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="content-type,if-match,x-csrftoken",
    )

    assert response.status_code == HTTPStatus.OK
    assert response["Access-Control-Allow-Origin"] == "http://localhost:3000"
    assert response["Access-Control-Allow-Credentials"] == "true"
    assert "PATCH" in response["Access-Control-Allow-Methods"]
    allowed = {h.strip() for h in response["Access-Control-Allow-Headers"].split(",")}
    # corsheaders' defaults stay (X-CSRFToken among them); If-Match is added.
    assert {"accept", "content-type", "x-csrftoken", "x-requested-with", "if-match"} <= allowed


def test_cors_exposes_etag_on_actual_responses(role_client):
    from sascop.ptes.tests.factories import PTEFactory

    engineer = role_client("Ingeniería")
    pte = PTEFactory()
    spa = {"HTTP_ORIGIN": "http://localhost:3000"}

    read = engineer.get(f"/operaciones/api/ptes/{pte.pk}/", **spa)
    edited = engineer.patch(
        f"/operaciones/api/ptes/{pte.pk}/",
        {"comentario": "desde la SPA"},
        content_type="application/json",
        HTTP_IF_MATCH=read["ETag"],
        HTTP_X_CSRFTOKEN=engineer.cookies["csrftoken"].value,
        **spa,
    )

    assert edited.status_code == HTTPStatus.OK
    for response in (read, edited):
        assert response["Access-Control-Allow-Origin"] == "http://localhost:3000"
        exposed = {h.strip().lower() for h in response["Access-Control-Expose-Headers"].split(",")}
        assert {"etag", "retry-after"} <= exposed
        assert response["ETag"]


def test_cors_headers_survive_the_json_error_replacement(client):
    # Django's own 405 is an HTML answer that ApiErrorMiddleware replaces with JSON.
    response = client.get(
        "/accounts/logout/", HTTP_ORIGIN="http://localhost:3000", HTTP_ACCEPT="application/json"
    )

    assert_error(response, HTTPStatus.METHOD_NOT_ALLOWED, "method_not_allowed")
    assert response["Access-Control-Allow-Origin"] == "http://localhost:3000"
    assert response["Access-Control-Allow-Credentials"] == "true"
    assert response["Allow"] == "POST"
