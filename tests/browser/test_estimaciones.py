"""Estimaciones in a real browser: an engineer draws one up from signed-off production, moves
it through its states, downloads the claim workbook and its PDF, and finds it in the list;
the pages fit a phone and pass the accessibility check. The README's picture of an
estimación (docs/estimacion.png) is taken here."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from sascop.accounts.tests.factories import PASSWORD
from sascop.estimaciones.models import Estimacion
from sascop.estimaciones.tests.conftest import crear_obra
from tests.browser.conftest import page_wide_scroll
from tests.browser.test_pages import _usuario

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
DOCS = Path(__file__).resolve().parent.parent.parent / "docs"


def test_an_estimacion_from_signed_production_to_paid(
    page: Page, browser_login, screenshot, console_errors, axe
):
    obra = crear_obra()
    _usuario("elena", rol="Ingeniería")
    browser_login("elena", PASSWORD)

    page.goto(f"/ots/{obra['ot'].pk}/")
    page.get_by_role("link", name="Estimaciones", exact=True).last.click()
    expect(page).to_have_url(f"/ots/{obra['ot'].pk}/estimaciones/")
    expect(page.get_by_text("La OT aún no tiene estimaciones.")).to_be_visible()
    page.get_by_label("Desde").fill("2026-05-01")
    page.get_by_label("Hasta").fill("2026-05-31")
    page.get_by_label("Oficio").fill("SUB-EST-0001/2026")
    page.get_by_role("button", name="Elaborar").click()

    expect(page.get_by_role("heading", name="Estimación E-1 de la OT OT-7/2026")).to_be_visible()
    expect(page.get_by_text("Estimación E-1 elaborada como borrador.")).to_be_visible()
    expect(page.locator("#total-mn")).to_have_text("$5,452.50 MXN")
    expect(page.locator("#total-usd")).to_have_text("$101.25 USD")
    lineas = page.locator("#lineas-estimacion tbody tr")
    expect(lineas).to_have_count(3)  # two partidas and the anexo's subtotal
    assert axe(page) == []

    for estatus in ("Presentada", "Autorizada", "Pagada"):
        page.get_by_label("Estatus nuevo").select_option(label=estatus)
        page.get_by_role("button", name="Cambiar estatus").click()
        expect(page.get_by_text("La estimación se actualizó.")).to_be_visible()
        expect(page.locator("#titulo-datos")).to_have_text(estatus)
    expect(page.get_by_role("button", name="Cambiar estatus")).to_have_count(0)
    expect(page.locator("#historial tbody tr")).to_have_count(4)
    expect(page.locator("#historial tbody tr").last).to_contain_text("Autorizada → Pagada")
    expect(page.locator("#historial tbody tr").last).to_contain_text("elena")
    assert Estimacion.objects.get().estatus == "PAGADA"

    with page.expect_download() as descarga:
        page.get_by_role("link", name="Descargar Excel").click()
    hoja = load_workbook(BytesIO(descarga.value.path().read_bytes())).active
    assert hoja is not None
    filas = list(hoja.iter_rows(values_only=True))
    assert filas[0][0] == "ESTIMACIÓN No. 1"
    assert filas[4][:3] == ("Oficio de la estimación", None, "SUB-EST-0001/2026")
    total = next(f for f in filas if f[2] == "TOTAL")
    assert total[7:9] == (5452.5, 101.25)
    with page.expect_download() as descarga:
        page.get_by_role("link", name="Descargar PDF").click()
    assert descarga.value.suggested_filename == "estimacion-OT-7-2026-E1.pdf"
    pdf = PdfReader(BytesIO(descarga.value.path().read_bytes()))
    texto = " ".join(p.extract_text() for p in pdf.pages)
    assert "$5,452.50 MXN" in texto and "$101.25 USD" in texto and "Pagada" in texto

    page.set_viewport_size({"width": 1280, "height": 900})
    page.screenshot(path=DOCS / "estimacion.png", full_page=True)
    screenshot(page, "estimacion")
    page.set_viewport_size({"width": 390, "height": 844})
    assert page_wide_scroll(page) == 0
    page.set_viewport_size({"width": 1280, "height": 800})

    page.goto(f"/ots/{obra['ot'].pk}/estimaciones/")
    expect(page.get_by_role("link", name="E-1")).to_be_visible()
    assert axe(page) == []
    screenshot(page, "estimaciones-ot")
    page.set_viewport_size({"width": 390, "height": 844})
    assert page_wide_scroll(page) == 0
    page.set_viewport_size({"width": 1280, "height": 800})

    # The dashboard sets what was executed against what was claimed and authorised.
    page.goto("/?desde=2026-05-01&hasta=2026-05-31")
    panel = page.locator("#estimaciones-por-mes")
    expect(page.locator('canvas[data-grafica="grafica-estimaciones"]')).to_be_visible()
    page.get_by_text("Ver los montos").last.click()
    # Executed: every row at its line's P.U., signed or not (9 JOR, 1.5 DIA and the C-2 day).
    expect(panel.locator("tbody td")).to_have_text(
        ["may 2026", "$9,504.50", "$5,452.50", "$5,452.50"]
    )

    page.goto("/estimaciones/?estatus=PAGADA")
    expect(page.get_by_text("1 estimación", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="E-1")).to_be_visible()
    assert axe(page) == []
    screenshot(page, "estimaciones")
    page.set_viewport_size({"width": 390, "height": 844})
    assert page_wide_scroll(page) == 0
    assert console_errors == []
