"""Hostile or broken input gets a 4xx in the envelope of SPEC §6, and never logs a traceback:
deep JSON, broken multipart bodies, NUL and lone surrogates in JSON strings and in query
parameters, over-long URLs and oversized headers."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from http import HTTPStatus
from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from sascop.accounts.tests.factories import PASSWORD, UserFactory
from sascop.core.api.parsers import MAX_DEPTH
from tests.envelope import invalid_input

pytestmark = pytest.mark.django_db

TOO_DEEP = {
    "error": "Malformed request",
    "code": "invalid",
    "detail": f"The JSON body is nested more than {MAX_DEPTH} levels deep.",
}
BAD_MULTIPART = {
    "error": "Malformed request",
    "code": "invalid",
    "detail": "The multipart/form-data body could not be parsed (missing or invalid boundary).",
}
NUL = "a\u0000b"
SURROGATE = "\ud800"
NUL_MESSAGE = "Contains a NUL character (\\u0000), which cannot be stored."
SURROGATE_MESSAGE = "Contains an unpaired surrogate (U+D800), which is not text."


@pytest.fixture(autouse=True)
def no_traceback(caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    """Fail if the request logged an error or any traceback (a 500 handled or not)."""
    caplog.set_level(logging.INFO)
    yield
    noisy = [
        f"{record.name}: {record.getMessage()}"
        for record in caplog.records
        if record.levelno >= logging.ERROR or record.exc_info
    ]
    assert noisy == []


@pytest.fixture
def quiet_client() -> Client:
    """Like a real client: a 500 comes back as a response instead of raising in the test."""
    return Client(enforce_csrf_checks=True, raise_request_exception=False)


@pytest.fixture
def admin(json_login) -> Client:
    member = UserFactory()
    member.groups.add(Group.objects.get(name="Administración"))
    c = Client(enforce_csrf_checks=True, raise_request_exception=False)
    json_login(member.username, PASSWORD, c=c)
    return c


def _post_json(c: Client, path: str, body: str) -> Any:
    headers = {"Accept": "application/json"}
    # Logged-in clients send their token; anonymous ones post like a script, without one.
    if "csrftoken" in c.cookies:
        headers["X-CSRFToken"] = c.cookies["csrftoken"].value
    return c.post(path, body, content_type="application/json", headers=headers)


# --- JSON nested too deep -------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/api/login/", "/api/register/", "/accounts/login/"])
@pytest.mark.parametrize("depth", [3000, MAX_DEPTH + 1])
def test_deep_json_is_malformed_request(quiet_client, path, depth):
    body = "[" * depth + "]" * depth

    response = _post_json(quiet_client, path, body)

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json() == TOO_DEEP


def test_deep_json_to_a_logged_in_endpoint(admin):
    body = '{"descripcion_trabajo": ' + "[" * 3000 + "]" * 3000 + "}"

    response = _post_json(admin, "/operaciones/api/ptes/", body)

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json() == TOO_DEEP


@pytest.mark.urls("sascop.core.tests.urls")
def test_json_up_to_the_depth_limit_is_read(admin):
    nested: object = 1
    for _ in range(MAX_DEPTH):
        nested = [nested]

    response = _post_json(admin, "/api/test/echo/", json.dumps(nested))

    assert response.status_code == HTTPStatus.OK
    assert response.json() == {"received": nested}


def test_nan_is_not_json(quiet_client):
    response = _post_json(quiet_client, "/api/login/", '{"username": NaN, "password": "x"}')

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json() == {
        "error": "Malformed request",
        "code": "invalid",
        "detail": "JSON parse error - NaN is not a valid JSON value",
    }


# --- multipart without a usable boundary ----------------------------------------------------


@pytest.mark.parametrize("path", ["/api/login/", "/api/register/", "/accounts/login/"])
@pytest.mark.parametrize(
    "content_type",
    [
        "multipart/form-data",
        "multipart/form-data; boundary=",
        "multipart/form-data; boundary=" + "x" * 300,
    ],
)
def test_multipart_without_boundary_is_malformed_request(quiet_client, path, content_type):
    response = quiet_client.post(
        path, b"--x\r\n\r\n", content_type=content_type, HTTP_ACCEPT="application/json"
    )

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json() == BAD_MULTIPART


def test_browser_form_with_broken_multipart_gets_the_login_page(quiet_client):
    response = quiet_client.post(
        "/accounts/login/", b"--x\r\n", content_type="multipart/form-data", HTTP_ACCEPT="text/html"
    )

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "Escribe tu usuario (o correo) y tu contraseña." in response.content.decode()


# --- NUL and lone surrogates in JSON strings --------------------------------------------------


def _refused(field: str, message: str) -> dict[str, object]:
    return {
        "error": "Invalid input",
        "code": "invalid",
        "detail": "Text may not contain NUL characters or unpaired surrogates.",
        "fields": {field: [message]},
    }


@pytest.mark.parametrize(("text", "message"), [(NUL, NUL_MESSAGE), (SURROGATE, SURROGATE_MESSAGE)])
@pytest.mark.parametrize("path", ["/api/login/", "/accounts/login/", "/api/register/"])
def test_bad_text_in_anonymous_bodies(quiet_client, path, text, message):
    body = json.dumps({"username": text, "password": "x", "email": "x@x.mx", "password2": "x"})

    response = _post_json(quiet_client, path, body)

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json() == _refused("username", message)


@pytest.mark.parametrize(("text", "message"), [(NUL, NUL_MESSAGE), (SURROGATE, SURROGATE_MESSAGE)])
@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/operaciones/api/ptes/", {"estatus": "BAD"}, "estatus"),
        ("/operaciones/api/ptes/", {"comentario": "BAD"}, "comentario"),
        ("/operaciones/api/produccion/", {"tipo_tiempo": "BAD"}, "tipo_tiempo"),
        (
            "/operaciones/api/produccion/lote/",
            {"filas": [{"comentario": "ok"}, {"comentario": "BAD"}]},
            "filas[1].comentario",
        ),
        ("/operaciones/api/catalogos/clientes/", {"nombre": "BAD"}, "nombre"),
    ],
)
def test_bad_text_in_domain_bodies(admin, path, body, field, text, message):
    raw = json.dumps(body).replace("BAD", json.dumps(text)[1:-1])

    response = _post_json(admin, path, raw)

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json() == _refused(field, message)


def test_bad_text_in_a_field_name(admin):
    response = _post_json(admin, "/operaciones/api/ptes/", '{"estatus\\u0000": 1}')

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json() == _refused(
        "estatus\\u0000",
        "The field name contains a NUL character (\\u0000), which cannot be stored.",
    )


@pytest.mark.urls("sascop.core.tests.urls")
def test_escaped_text_that_is_fine_passes(admin):
    body = '{"texto": "ca\\u00f1\\u00f3n \\ud83d\\ude80 \\\\u0000"}'

    response = _post_json(admin, "/api/test/echo/", body)

    assert response.status_code == HTTPStatus.OK
    assert response.json() == {"received": {"texto": "cañón \U0001f680 \\u0000"}}


# --- query parameters -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/operaciones/api/catalogos/clientes/",
        "/operaciones/api/catalogos/unidades/",
        "/operaciones/api/ptes/",
        "/operaciones/api/ots/",
        "/operaciones/api/produccion/",
        "/operaciones/api/actividad/",
    ],
)
def test_nul_in_a_list_query_parameter(admin, path):
    response = admin.get(f"{path}?pagina=1&buscar=a%00b")

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json() == invalid_input({"buscar": ["Null characters are not allowed."]})


def test_nul_in_a_parameter_name_and_on_a_page(quiet_client):
    api = quiet_client.get("/api/session/?a%00=1")
    page = quiet_client.get("/accounts/login/?next=%00", HTTP_ACCEPT="text/html")

    assert api.status_code == HTTPStatus.BAD_REQUEST
    assert api.json()["fields"] == {"a\\u0000": ["Null characters are not allowed."]}
    assert page.status_code == HTTPStatus.BAD_REQUEST
    assert "Solicitud inválida" in page.content.decode()


# --- URL and header size --------------------------------------------------------------------


def test_over_long_url_is_414(quiet_client, settings):
    settings.MAX_URL_LENGTH = 100

    fits = quiet_client.get("/api/session/?x=" + "a" * (100 - len("/api/session/?x=")))
    too_long = quiet_client.get("/api/session/?x=" + "a" * 100)

    assert fits.status_code == HTTPStatus.OK
    assert too_long.status_code == HTTPStatus.REQUEST_URI_TOO_LONG
    assert too_long.json() == {
        "error": "URI too long",
        "code": "uri_too_long",
        "detail": "The URL may not exceed 100 characters.",
    }


def test_oversized_headers_are_431(quiet_client, settings):
    settings.MAX_REQUEST_HEADER_BYTES = 2000

    response = quiet_client.get("/api/session/", HTTP_X_FILLER="a" * 2000)

    assert response.status_code == HTTPStatus.REQUEST_HEADER_FIELDS_TOO_LARGE
    assert response.json() == {
        "error": "Request header fields too large",
        "code": "request_header_fields_too_large",
        "detail": "The request headers may not exceed 2000 bytes in all.",
    }
