"""Swagger UI at /api/docs/: "Try it out" works for unsafe requests in a real browser."""

from __future__ import annotations

import json
from http import HTTPStatus

import pytest
import requests
from playwright.sync_api import Locator, Page, expect

from sascop.accounts.tests.factories import PASSWORD, UserFactory
from sascop.catalogos.tests.factories import ClienteFactory, ResponsableFactory, TipoPTEFactory
from sascop.ptes.models import PTE

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _operation(page: Page, tag: str, operation_id: str) -> Locator:
    """Open one operation of the Swagger UI and switch it to "Try it out"."""
    operation = page.locator(f"#operations-{tag}-{operation_id}")
    operation.locator(".opblock-summary-control").click()
    operation.get_by_role("button", name="Try it out").click()
    return operation


def _execute(operation: Locator, body: dict[str, object] | None = None) -> Locator:
    """Send the request; return the cell that shows the server's status code."""
    if body is not None:
        operation.locator("textarea.body-param__text").fill(json.dumps(body, indent=2))
    operation.get_by_role("button", name="Execute").click()
    return operation.locator(".live-responses-table tr.response .response-col_status")


def test_administrator_creates_a_pte_from_the_docs(page, browser_login, screenshot):
    UserFactory(username="admin", is_staff=True, is_superuser=True)
    cliente, responsable, tipo = ClienteFactory(), ResponsableFactory(), TipoPTEFactory()
    browser_login("admin", PASSWORD)

    page.goto("/api/docs/")
    operation = _operation(page, "ptes", "operaciones_api_ptes_create")
    status = _execute(
        operation,
        {
            "oficio_pte": "PTE-DOCS-001",
            "descripcion_trabajo": "Inspección submarina desde la documentación",
            "fecha_solicitud": "2026-03-02",
            "plazo_dias": 10,
            "responsable_proyecto": responsable.pk,
            "cliente": cliente.pk,
            "tipo": tipo.pk,
        },
    )

    expect(status).to_have_text(str(HTTPStatus.CREATED.value))
    pte = PTE.objects.get(oficio_pte="PTE-DOCS-001")
    assert (pte.cliente_id, pte.tipo_id, pte.plazo_dias) == (cliente.pk, tipo.pk, 10)
    screenshot(page, "api-docs-pte-created", focus=operation.locator(".responses-wrapper"))


def test_token_is_read_when_sending_so_login_rotation_is_followed(page, live_server, screenshot):
    UserFactory(username="ana")
    page.goto("/api/docs/")  # anonymous: the page was rendered with the pre-login token
    screenshot(page, "api-docs", focus=page.locator("#swagger-ui .information-container"))

    login = _operation(page, "auth", "api_login_create")
    status = _execute(login, {"username": "ana", "password": PASSWORD})
    expect(status).to_have_text(str(HTTPStatus.OK.value))
    session_key = next(c["value"] for c in page.context.cookies() if c["name"] == "sessionid")

    logout = _operation(page, "auth", "api_logout_create")
    expect(_execute(logout)).to_have_text(str(HTTPStatus.OK.value))
    # The session is gone server-side: replaying its cookie is refused. (No keep-alive: the
    # live server must not be left holding a connection when it stops.)
    replay = requests.get(
        f"{live_server.url}/api/user/",
        cookies={"sessionid": session_key},
        headers={"Connection": "close"},
        timeout=10,
    )
    assert replay.status_code == HTTPStatus.UNAUTHORIZED
