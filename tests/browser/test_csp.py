"""The Content-Security-Policy in a real browser: a user logs in (two-factor) and visits
every page outside the API, read from the URLconf, plus the admin site, the API docs and the
error pages, opening a menu, filtering a list and editing a step in place (htmx), and
looking at the charts. Any `securitypolicyviolation` event, or a console message about the
policy, fails the test."""

from __future__ import annotations

import re
from http import HTTPStatus
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from sascop.accounts.tests.factories import PASSWORD, enrol_totp, make_user
from sascop.core.tests import paginas

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

# Runs in every document before its own scripts; CSP does not apply to it.
LISTEN = """
document.addEventListener("securitypolicyviolation", (e) => {
  window.cspViolation({
    page: document.location.pathname + document.location.search,
    directive: e.effectiveDirective,
    blocked: e.blockedURI,
    source: `${e.sourceFile}:${e.lineNumber}`,
    sample: e.sample,
  });
});
"""
POLICY_MESSAGE = re.compile(r"Content.Security.Policy|Permissions.Policy|nonce", re.IGNORECASE)


@pytest.fixture
def violations(page: Page) -> list[Any]:
    """Every CSP violation of `page`'s documents, console messages about the policies
    (Chromium says there what it refused, or a Permissions-Policy it could not read), and
    uncaught script errors (a script that half-ran because something was refused)."""
    found: list[Any] = []

    def report(violation: Any) -> None:
        found.append(violation)

    page.context.expose_function("cspViolation", report)
    page.context.add_init_script(LISTEN)
    page.on(
        "console",
        lambda m: (
            found.append(f"console {m.type}: {m.text}") if POLICY_MESSAGE.search(m.text) else None
        ),
    )
    page.on("pageerror", lambda exc: found.append(f"page error: {exc}"))
    return found


def _visit(page: Page, url: str, status: int = HTTPStatus.OK) -> None:
    response = page.goto(url)
    assert response is not None and response.status == status, url
    assert "script-src 'self' 'nonce-" in (response.headers.get("content-security-policy") or "")
    page.wait_for_load_state("networkidle")


def test_every_page_runs_under_the_policy_without_a_violation(page: Page, violations):
    usuario = make_user(username="raiz", is_staff=True, is_superuser=True)
    _, recovery = enrol_totp(usuario)
    urls = paginas.paginas(paginas.objetos_de_prueba(usuario))

    # Anonymous: the login page, a missing page.
    _visit(page, "/accounts/login/")
    _visit(page, "/no-existe/", HTTPStatus.NOT_FOUND)

    # The login, through the second factor's page.
    page.goto("/accounts/login/")
    page.get_by_label("Usuario o correo electrónico").fill("raiz")
    page.get_by_label("Contraseña").fill(PASSWORD)
    page.get_by_role("button", name="Iniciar sesión").click()
    page.wait_for_url("**/accounts/login/codigo/**")
    page.wait_for_load_state("networkidle")
    page.get_by_label("Código de verificación").fill(recovery[0])
    page.get_by_role("button", name="Verificar").click()
    page.wait_for_url(lambda url: "/accounts/login" not in url)

    visited = []
    for nombre, lista in urls.items():
        if nombre == "accounts:login-codigo":
            continue  # seen above
        for url in lista:
            _visit(page, url)
            visited.append(url)
    assert "/api/docs/" in visited
    _visit(page, "/no-existe/", HTTPStatus.NOT_FOUND)

    # The admin site: its index, a list with its filters, a change form with its widgets.
    for url in ("/admin/", "/admin/ptes/pte/", f"/admin/accounts/user/{usuario.pk}/change/"):
        response = page.goto(url)
        assert response is not None and response.status == HTTPStatus.OK, url
        page.wait_for_load_state("networkidle")

    # The API docs draw the operations (their scripts ran).
    page.goto("/api/docs/")
    expect(page.locator(".opblock").first).to_be_visible()
    page.locator(".opblock-summary-control").first.click()
    expect(page.locator(".opblock-body").first).to_be_visible()

    # The dashboard's charts are drawn.
    page.goto("/")
    assert page.evaluate(
        "() => [...document.querySelectorAll('canvas[data-grafica]')]"
        ".every((c) => Chart.getChart(c) !== undefined)"
    )
    assert page.locator("canvas[data-grafica]").count() > 0

    # A list filtered by htmx: the table is swapped, the page not reloaded.
    page.goto("/ptes/")
    page.evaluate("window.sinRecarga = true")
    filas = page.locator("#ptes tbody tr")
    expect(filas).to_have_count(1)
    page.locator("form[data-filtra-al-cambiar] input[type=checkbox]").first.check()
    expect(page).to_have_url(re.compile(r"/ptes/\?.+"))
    assert page.evaluate("window.sinRecarga") is True

    # A step's form opened in place (htmx), on the PTE's page.
    pte_url = urls["ptes:detalle"][0]
    page.goto(pte_url)
    page.evaluate("window.sinRecarga = true")
    page.locator("tr").get_by_role("link", name="Editar").first.click()
    expect(page.locator(".paso-edicion")).to_be_visible()
    assert page.evaluate("window.sinRecarga") is True

    # The user menu opens; its logout form, without the CSRF cookie, gets the 403 page.
    page.locator(".menu-usuario summary").click()
    cerrar = page.get_by_role("button", name="Cerrar sesión")
    expect(cerrar).to_be_visible()
    page.context.clear_cookies(name="csrftoken")
    with page.expect_response(lambda r: r.url.endswith("/accounts/logout/")) as logout:
        cerrar.click()
    assert logout.value.status == HTTPStatus.FORBIDDEN
    page.wait_for_load_state("networkidle")

    assert violations == [], "\n".join(map(str, violations))


# The real URLconf, plus a view that fails.
@pytest.mark.urls("sascop.core.tests.urls")
def test_the_server_error_page_runs_under_the_policy(page: Page, violations):
    _visit(page, "/plain-boom/", HTTPStatus.INTERNAL_SERVER_ERROR)
    assert violations == [], "\n".join(map(str, violations))
