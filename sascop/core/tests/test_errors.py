"""Every error code's JSON body (SPEC §6), whichever layer produces it."""

from __future__ import annotations

from http import HTTPStatus

import pytest
from django.test import Client

from tests.envelope import SERVICE_UNAVAILABLE, assert_error

pytestmark = [pytest.mark.django_db, pytest.mark.urls("sascop.core.tests.urls")]


@pytest.fixture
def logged_in(client, user, json_login):
    json_login()
    return client


@pytest.fixture
def quiet_client() -> Client:
    """A client that, like a real one, gets the 500 page instead of the exception."""
    return Client(enforce_csrf_checks=True, raise_request_exception=False)


def test_unknown_api_path_is_json_404(client):
    response = client.get("/api/no-such-thing/")

    assert response.status_code == HTTPStatus.NOT_FOUND
    assert response.json() == {
        "error": "Not found",
        "code": "not_found",
        "detail": "The requested resource was not found.",
    }


def test_unknown_api_path_is_json_404_even_in_debug(client, settings):
    settings.DEBUG = True

    response = client.get("/operaciones/api/no-such-thing/")

    assert_error(response, HTTPStatus.NOT_FOUND, "not_found")


def test_unknown_page_is_html_404_for_browsers(client):
    response = client.get("/no-such-page/", HTTP_ACCEPT="text/html")

    assert response.status_code == HTTPStatus.NOT_FOUND
    assert "Página no encontrada" in response.content.decode()


def test_method_not_allowed(logged_in, csrf):
    response = logged_in.delete("/api/user/", **csrf(logged_in))

    assert response.status_code == HTTPStatus.METHOD_NOT_ALLOWED
    assert response.json() == {
        "error": "Method not allowed",
        "code": "method_not_allowed",
        "detail": 'Method "DELETE" not allowed.',
    }
    assert response["Allow"] == "GET, HEAD, OPTIONS"


def test_malformed_json(client):
    response = client.post("/api/login/", '{"username": ', content_type="application/json")

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json() == {
        "error": "Malformed request",
        "code": "invalid",
        "detail": "JSON parse error - Expecting value: line 1 column 14 (char 13)",
    }


def test_wrong_content_type(client):
    response = client.post("/api/login/", "username=ana", content_type="text/plain")

    assert response.status_code == HTTPStatus.UNSUPPORTED_MEDIA_TYPE
    assert response.json() == {
        "error": "Unsupported media type",
        "code": "unsupported_media_type",
        "detail": 'Unsupported media type "text/plain" in request.',
    }


def test_oversized_body(client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000

    response = client.post(
        "/api/login/", '{"username": "' + "a" * 2000 + '"}', content_type="application/json"
    )

    assert response.status_code == HTTPStatus.REQUEST_ENTITY_TOO_LARGE
    assert response.json() == {
        "error": "Payload too large",
        "code": "payload_too_large",
        "detail": "The request body may not exceed 1000 bytes.",
    }


def test_permission_denied(logged_in):
    response = logged_in.get("/api/test/forbidden/")

    assert response.status_code == HTTPStatus.FORBIDDEN
    assert response.json() == {
        "error": "Permission denied",
        "code": "permission_denied",
        "detail": "You do not have permission to perform this action.",
    }


def test_throttled_has_retry_after(client):
    assert client.get("/api/test/throttled/").status_code == HTTPStatus.OK

    response = client.get("/api/test/throttled/")

    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert response.json() == {
        "error": "Too many requests",
        "code": "throttled",
        "detail": "Too many requests; try again later.",
        "retry_after": 3600,
    }
    assert response["Retry-After"] == "3600"


def test_conflict_and_precondition_failed(logged_in, csrf):
    conflict = logged_in.post(
        "/api/test/conflict/", content_type="application/json", **csrf(logged_in)
    )
    stale = logged_in.put("/api/test/conflict/", content_type="application/json", **csrf(logged_in))

    assert conflict.status_code == HTTPStatus.CONFLICT
    assert conflict.json() == {
        "error": "Conflict",
        "code": "conflict",
        "detail": "That record already exists.",
    }
    assert stale.status_code == HTTPStatus.PRECONDITION_FAILED
    assert stale.json() == {
        "error": "Precondition failed",
        "code": "precondition_failed",
        "detail": "The resource has changed since you read it; fetch it again and retry.",
    }


@pytest.mark.parametrize("debug", [False, True])
@pytest.mark.parametrize("path", ["/api/test/boom/", "/api/test/plain-boom/"])
def test_server_error_is_json_without_traceback(
    quiet_client, user, json_login, settings, debug, path
):
    settings.DEBUG = debug
    json_login(c=quiet_client)

    response = quiet_client.get(path)

    assert response.status_code == HTTPStatus.INTERNAL_SERVER_ERROR
    assert response.json() == {
        "error": "Server error",
        "code": "server_error",
        "detail": "An unexpected error occurred. It has been logged.",
    }
    assert b"secret internal detail" not in response.content
    assert b"Traceback" not in response.content


def test_server_error_page_for_browsers(quiet_client):
    response = quiet_client.get("/plain-boom/", HTTP_ACCEPT="text/html")

    assert response.status_code == HTTPStatus.INTERNAL_SERVER_ERROR
    assert "Error del servidor" in response.content.decode()
    assert b"secret internal detail" not in response.content


@pytest.mark.parametrize("debug", [False, True])
def test_database_unreachable_is_503(quiet_client, user, json_login, settings, debug):
    settings.DEBUG = debug
    json_login(c=quiet_client)

    response = quiet_client.get("/api/test/db-down/")

    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    assert response.json() == SERVICE_UNAVAILABLE
    assert response["Retry-After"] == "5"


def test_json_accepting_client_gets_json_error_outside_api(client):
    response = client.get("/no-such-page/", HTTP_ACCEPT="application/json")

    assert_error(response, HTTPStatus.NOT_FOUND, "not_found")


def test_api_messages_follow_accept_language(client):
    """The envelope's human messages are Spanish for a client that asks for Spanish, English
    otherwise; `error` and `code` stay English (sascop/core/tests/test_idiomas.py)."""
    spanish = client.post(
        "/api/login/", {}, content_type="application/json", HTTP_ACCEPT_LANGUAGE="es-MX"
    )
    english = client.post("/api/login/", {}, content_type="application/json")

    assert spanish.json()["fields"]["username"] == ["Este campo es requerido."]
    assert spanish.json()["error"] == "Invalid input"
    assert english.json()["fields"]["username"] == ["This field is required."]
