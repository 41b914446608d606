"""Pages are always es-MX; the API's human messages follow Accept-Language (English unless
the client prefers Spanish), while `error` and `code` stay English."""

from __future__ import annotations

from http import HTTPStatus

import pytest

pytestmark = pytest.mark.django_db

NOT_AUTHENTICATED_EN = {
    "error": "Authentication required",
    "code": "not_authenticated",
    "detail": "Authentication credentials were not provided.",
    "redirect": "/accounts/login/",
}
NOT_AUTHENTICATED_ES = {
    **NOT_AUTHENTICATED_EN,
    "detail": "Las credenciales de autenticación no se proveyeron.",
}


@pytest.mark.parametrize("accept_language", ["en-US,en;q=0.9", "fr", ""])
def test_a_page_is_spanish_whatever_the_browser_asks_for(client, accept_language):
    response = client.get(
        "/no-such-page/", HTTP_ACCEPT="text/html", HTTP_ACCEPT_LANGUAGE=accept_language
    )

    assert response.status_code == HTTPStatus.NOT_FOUND
    page = response.content.decode()
    assert "Página no encontrada" in page
    assert "La página que buscas no existe." in page
    assert "Page not found" not in page


def test_the_api_answers_in_english_without_accept_language(client):
    response = client.get("/api/user/")

    assert response.status_code == HTTPStatus.UNAUTHORIZED
    assert response.json() == NOT_AUTHENTICATED_EN


@pytest.mark.parametrize(
    ("accept_language", "expected"),
    [
        ("es-MX", NOT_AUTHENTICATED_ES),
        ("es", NOT_AUTHENTICATED_ES),
        ("es-ES,es;q=0.9,en;q=0.8", NOT_AUTHENTICATED_ES),
        ("en;q=0.5, es-MX", NOT_AUTHENTICATED_ES),
        ("fr-FR, es;q=0.5", NOT_AUTHENTICATED_ES),
        ("en-US,en;q=0.9,es;q=0.8", NOT_AUTHENTICATED_EN),
        ("fr", NOT_AUTHENTICATED_EN),
        ("*", NOT_AUTHENTICATED_EN),
    ],
)
def test_the_apis_detail_follows_accept_language(client, accept_language, expected):
    response = client.get("/api/user/", HTTP_ACCEPT_LANGUAGE=accept_language)

    assert response.status_code == HTTPStatus.UNAUTHORIZED
    assert response.json() == expected
    assert "Accept-Language" in response["Vary"]


def test_a_message_with_a_value_is_translated_with_its_value(client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10
    settings.MAX_UPLOAD_BODY_BYTES = 10

    response = client.generic(
        "POST",
        "/api/login/",
        b"{" + b" " * 20 + b"}",
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="es-MX",
    )

    assert response.status_code == HTTPStatus.REQUEST_ENTITY_TOO_LARGE
    assert response.json() == {
        "error": "Payload too large",
        "code": "payload_too_large",
        "detail": "El cuerpo de la solicitud no puede exceder 10 bytes.",
    }


def test_a_spanish_api_answer_leaves_the_next_page_spanish_and_the_next_answer_english(client):
    assert client.get("/api/user/", HTTP_ACCEPT_LANGUAGE="es-MX").json() == NOT_AUTHENTICATED_ES

    assert client.get("/api/user/").json() == NOT_AUTHENTICATED_EN
    page = client.get("/no-such-page/", HTTP_ACCEPT="text/html").content.decode()
    assert "Página no encontrada" in page
