"""The Centro de Consulta in a real browser: a search typed without accents finds the right
PTE, OT and concept, highlighted, with the charts of what it found; the link is the search;
the export holds exactly what was found. The page fits a phone and passes axe."""

from __future__ import annotations

from http import HTTPStatus
from io import BytesIO

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from sascop.accounts.tests.factories import PASSWORD
from sascop.ots.tests.factories import OTFactory
from sascop.precios.tests.factories import AnexoFactory, ConceptoFactory
from sascop.ptes.tests.factories import PTEFactory
from tests.browser.conftest import DESKTOP, PHONE, page_wide_scroll
from tests.browser.test_pages import _usuario

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _contrato() -> None:
    PTEFactory(
        oficio_pte="PEP-SUB-0815",
        descripcion_trabajo="REHABILITACIÓN DE MÓDULO DE COMPRESIÓN EN OLEOGASODUCTO DE ABK-A",
    )
    PTEFactory(oficio_pte="PEP-SUB-0900", descripcion_trabajo="Inspección de ductos")
    OTFactory(
        orden_trabajo="OT-2026-015",
        descripcion_trabajo="Pruebas de compresión en el oleogasoducto de ABK-A",
        estatus=8,
    )
    OTFactory(orden_trabajo="OT-2026-016", descripcion_trabajo="Mantenimiento menor")
    c4 = AnexoFactory(clave="C-4")
    ConceptoFactory(anexo=c4, partida="4.7.3", concepto="SOLDADOR DE TUBERÍA PARA COMPRESIÓN")
    ConceptoFactory(anexo=c4, partida="5.1", concepto="Buzo de inspección")


def test_a_search_without_accents_finds_the_pte_ot_and_concept_and_exports_them(
    page: Page, browser_login, screenshot, console_errors, axe
):
    _contrato()
    _usuario("marta", rol="Administración")
    browser_login("marta", PASSWORD)

    page.goto("/consulta/")
    page.get_by_label("Buscar", exact=True).fill("compresion")
    page.get_by_role("button", name="Buscar").click()
    page.wait_for_url("**/consulta/?q=compresion*")

    expect(page.locator("#grupo-pte li")).to_have_count(1)
    expect(page.locator("#grupo-pte li a")).to_have_text("PEP-SUB-0815")
    expect(page.locator("#grupo-pte mark")).to_have_text("COMPRESIÓN")
    expect(page.locator("#grupo-ot li a")).to_have_text("OT-2026-015")
    expect(page.locator("#grupo-concepto li a")).to_have_text("C-4 4.7.3")
    page.wait_for_load_state("networkidle")
    # By status (OTs, PTEs), by client, site and month: each drawn, with its numbers below.
    assert (
        page.evaluate(
            "[...document.querySelectorAll('canvas[data-grafica]')].map(c => c.width > 0)"
        )
        == [True] * 5
    )
    for titulo in (
        "PTEs y OTs encontradas por cliente",
        "OTs encontradas por sitio",
        "PTEs y OTs encontradas por mes",
    ):
        grafica = page.locator("section.card", has=page.get_by_role("heading", name=titulo))
        expect(grafica.locator("canvas")).to_be_visible()
        expect(grafica.locator("ul.conteos li").first).to_be_visible()
    for ancho in (PHONE, DESKTOP):
        page.set_viewport_size(ancho)
        assert page_wide_scroll(page) == 0, f"scrolls sideways at {ancho['width']} px"
        assert axe(page) == []
    screenshot(page, "consulta")

    with page.expect_download() as descarga:
        page.get_by_role("link", name="Exportar a Excel").click()
    hoja = load_workbook(BytesIO(descarga.value.path().read_bytes())).active
    assert hoja is not None
    assert sorted((f[0], f[1]) for f in hoja.iter_rows(min_row=2, values_only=True)) == [
        ("Conceptos", "C-4 4.7.3"),
        ("OTs", "OT-2026-015"),
        ("PTEs", "PEP-SUB-0815"),
    ]

    # The link is the search: opened anew, narrowed to OTs, it shows the same OT.
    respuesta = page.goto("/consulta/?q=oleogasoducto+abk&tipo=ot")
    assert respuesta is not None and respuesta.status == HTTPStatus.OK
    expect(page.locator("#grupo-ot li a")).to_have_text("OT-2026-015")
    expect(page.locator("#grupo-pte")).to_have_count(0)
    assert console_errors == []


def test_a_saved_search_is_listed_reopened_by_its_link_and_deleted(
    page: Page, browser_login, screenshot, console_errors, axe
):
    _contrato()
    _usuario("marta", rol="Administración", email="marta@sascop.mx")
    browser_login("marta", PASSWORD)

    page.goto("/consulta/?q=compresion&tipo=ot")
    page.get_by_label("Nombre de la búsqueda").fill("OTs de compresión")
    page.get_by_role("button", name="Guardar búsqueda").click()
    expect(page.get_by_text("Búsqueda guardada como «OTs de compresión».")).to_be_visible()

    # Anywhere else, the saved search is one click away and opens the same search.
    page.goto("/consulta/")
    guardada = page.get_by_role("link", name="OTs de compresión")
    expect(guardada).to_have_attribute("href", "/consulta/?q=compresion&tipo=ot")
    for ancho in (PHONE, DESKTOP):
        page.set_viewport_size(ancho)
        assert page_wide_scroll(page) == 0, f"scrolls sideways at {ancho['width']} px"
        assert axe(page) == []
    guardada.click()
    page.wait_for_url("**/consulta/?q=compresion&tipo=ot")
    expect(page.locator("#grupo-ot li a")).to_have_text("OT-2026-015")
    expect(page.get_by_label("Buscar", exact=True)).to_have_value("compresion")

    # Sending it by e-mail is queued, and the page says so.
    expect(page.get_by_label("Destinatarios")).to_have_value("marta@sascop.mx")
    page.get_by_role("button", name="Enviar por correo").click()
    expect(page.get_by_text("Envío en cola")).to_be_visible()
    page.set_viewport_size(PHONE)
    assert page_wide_scroll(page) == 0
    assert axe(page) == []
    screenshot(page, "consulta-guardada")  # leaves the page at desktop width

    page.get_by_role("button", name="Eliminar la búsqueda guardada «OTs de compresión»").click()
    expect(page.get_by_text("Búsqueda guardada «OTs de compresión» eliminada.")).to_be_visible()
    expect(page.get_by_role("link", name="OTs de compresión")).to_have_count(0)
    assert console_errors == []
