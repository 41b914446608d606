"""Production in a real browser: a capturer pastes a day copied from Excel, sees the bad
row marked, fixes it, saves, finds the rows in the list and exports them; both pages fit a
phone and pass the accessibility check."""

from __future__ import annotations

import datetime
from decimal import Decimal
from http import HTTPStatus
from io import BytesIO

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from sascop.accounts.tests.factories import PASSWORD
from sascop.ots.tests.factories import OTFactory
from sascop.precios.tests.factories import AnexoFactory, ConceptoFactory, linea_de
from sascop.produccion.models import Produccion
from sascop.produccion.tests.factories import ProduccionFactory
from tests.browser.conftest import DESKTOP, PHONE, page_wide_scroll
from tests.browser.test_pages import _usuario

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _obra():
    ot = OTFactory(orden_trabajo="OT-2026-017", descripcion_trabajo="Inspección de ducto")
    c5 = AnexoFactory(clave="C-5")
    for partida, concepto, unidad in (
        ("2.1", "Inspección visual de ducto submarino", "ML"),
        ("4.4", "Limpieza de lastre de concreto", "M2"),
    ):
        linea_de(
            ot,
            concepto=ConceptoFactory(anexo=c5, partida=partida, concepto=concepto, unidad=unidad),
        )
    ProduccionFactory(
        ot=ot,
        partida_anexo=linea_de(
            ot, concepto=ConceptoFactory(anexo=c5, partida="7.1", concepto="Buceo de saturación")
        ),
        fecha_produccion=datetime.date(2026, 3, 1),
        volumen_produccion=Decimal("12"),
    )
    return ot


def test_production_pages_fit_a_phone_and_pass_the_checks(
    page: Page, browser_login, screenshot, console_errors, axe
):
    _obra()
    _usuario("carla", rol="Administración")
    browser_login("carla", PASSWORD)

    for nombre, url in {
        "produccion": "/produccion/",
        "produccion-captura": "/produccion/captura/?ot=OT-2026-017",
        "produccion-sabana": "/produccion/sabana/?ot=OT-2026-017&anio=2026&mes=3",
    }.items():
        response = page.goto(url)
        assert response is not None and response.status == HTTPStatus.OK, url
        page.wait_for_load_state("networkidle")
        for width in (PHONE, DESKTOP):
            page.set_viewport_size(width)
            assert page_wide_scroll(page) == 0, f"{url} scrolls sideways at {width['width']} px"
            assert axe(page) == [], url
        screenshot(page, nombre)
    assert console_errors == []


def test_a_capturer_pastes_from_excel_fixes_a_row_saves_and_exports(
    page: Page, browser_login, screenshot, console_errors
):
    _obra()
    _usuario("carla", rol="Administración")
    browser_login("carla", PASSWORD)

    page.goto("/produccion/")
    page.get_by_role("link", name="Capturar producción").click()
    page.get_by_label("OT", exact=True).fill("OT-2026-017")
    page.get_by_role("button", name="Elegir OT").click()
    expect(page.get_by_role("heading", name="Pegar desde Excel")).to_be_visible()

    # What Excel puts on the clipboard: tab-separated cells, a header row, one bad key.
    pegado = (
        "Fecha\tPartida\tVolumen\n"
        "02/03/2026\t2.1\t1,250.50\n"
        "02/03/2026\t9.9\t3\n"
        "02/03/2026\t4.4\t2.5\n"
    )
    page.get_by_label("Filas copiadas de Excel").fill(pegado)
    page.evaluate("window.sinRecarga = true")
    page.get_by_role("button", name="Revisar").click()
    previa = page.locator("#vista-previa")
    expect(previa).to_contain_text("1 de 3 filas tienen errores")
    expect(previa.locator("tr.fila-con-error")).to_contain_text("La partida 9.9 no está")
    expect(previa.locator("tr.fila-bien")).to_have_count(2)
    assert page.evaluate("window.sinRecarga") is True  # the preview came in place
    screenshot(page, "produccion-vista-previa", focus=previa)
    assert Produccion.objects.count() == 1

    page.get_by_label("Filas copiadas de Excel").fill(pegado.replace("9.9", "7.1"))
    page.get_by_role("button", name="Revisar").click()
    expect(previa).to_contain_text("Las 3 filas están bien")
    page.get_by_role("button", name="Guardar", exact=True).click()

    page.wait_for_url("**/produccion/?ot=OT-2026-017*")
    expect(page.get_by_role("status").or_(page.locator(".alert-success"))).to_contain_text(
        "Se guardaron 3 filas"
    )
    expect(page.locator("#produccion tbody tr")).to_have_count(3)
    with page.expect_download() as descarga:
        page.get_by_role("link", name="Exportar a Excel").click()
    hoja = load_workbook(BytesIO(descarga.value.path().read_bytes()))["Producción"]
    volumenes = sorted(float(str(fila[8])) for fila in hoja.iter_rows(min_row=2, values_only=True))
    assert volumenes == [pytest.approx(2.5), pytest.approx(3), pytest.approx(1250.5)]
    assert console_errors == []
