"""The production desk in a real browser, at 1,920 and 390 px: the GPU board edited from the
keyboard (states, evidence link, note), its colours and read-only signed-off days; and the
sheet's "Reporte diario" row signing a day off (FIRMADO locks its cells at once), with the
day's comment and the month's close beside it."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group, Permission
from playwright.sync_api import Locator, Page, ViewportSize, expect

from sascop.accounts.models import User
from sascop.accounts.tests.factories import PASSWORD
from sascop.ots.tests.factories import OTFactory
from sascop.precios.tests.factories import AnexoFactory, ConceptoFactory, linea_de
from sascop.produccion.models import CierreMes, RegistroGPU, ReporteDiario
from sascop.produccion.tests.factories import ProduccionFactory
from tests.browser.conftest import PHONE, SCREENSHOTS, page_wide_scroll
from tests.browser.test_pages import _usuario

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

ANCHO = ViewportSize(width=1920, height=1080)
TAMANOS = [pytest.param(ANCHO, id="1920"), pytest.param(PHONE, id="390")]
OT_NUMERO = "OT-GPU-801-24-020"
URL = f"/produccion/gpu/?ot={OT_NUMERO}&anio=2026&mes=5"
SABANA = f"/produccion/sabana/?ot={OT_NUMERO}&anio=2026&mes=5"
EVIDENCIA = "https://evidencias.example.com/gpu/lancha-05.pdf"


@pytest.fixture
def obra():
    """May 2026 of an OT: 3 Buzo (C-2) produced on the 3rd to the 6th and the 10th, 1.2
    Lancha (C-3) on the 5th and 6th, 2.1 Tubería (C-5, not on the board) on the 4th; the
    3rd signed off; Buzo's 10th already FIRMADO with its evidence."""
    ot = OTFactory(orden_trabajo=OT_NUMERO, descripcion_trabajo="Inspección de ducto")
    anexos = {c: AnexoFactory(clave=c) for c in ("C-2", "C-3", "C-5")}
    lineas = {}
    for clave, partida, concepto in (
        ("C-5", "2.1", "Tubería"),
        ("C-2", "3", "Buzo"),
        ("C-3", "1.2", "Lancha"),
    ):
        lineas[partida] = linea_de(
            ot,
            concepto=ConceptoFactory(anexo=anexos[clave], partida=partida, concepto=concepto),
            volumen=Decimal("100"),
        )
    filas = {}
    for partida, dias in (("3", (3, 4, 5, 6, 10)), ("1.2", (5, 6)), ("2.1", (4,))):
        for dia in dias:
            filas[(partida, dia)] = ProduccionFactory(
                ot=ot,
                partida_anexo=lineas[partida],
                fecha_produccion=datetime.date(2026, 5, dia),
                volumen_produccion=Decimal("2"),
            )
    RegistroGPU.objects.create(produccion=filas[("3", 10)], estatus="FIRMADO", evidencia=EVIDENCIA)
    RegistroGPU.objects.create(produccion=filas[("1.2", 6)], estatus="FALTA FIRMA PEMEX")
    ReporteDiario.objects.create(
        ot=ot, sitio=ot.sitio, fecha=datetime.date(2026, 5, 3), estatus="FIRMADO"
    )
    _usuario("carla", rol="Captura de producción")
    # The role as migrations produccion.0006 and 0010 leave it (a role flushed by an earlier
    # test is made again from the accounts migration's list, which predates both).
    Group.objects.get(name="Captura de producción").permissions.add(
        *Permission.objects.filter(
            content_type__app_label="produccion",
            codename__in=[
                "view_reportediario",
                "add_reportediario",
                "change_reportediario",
                "view_registrogpu",
                "add_registrogpu",
                "change_registrogpu",
            ],
        )
    )
    return {"ot": ot, "filas": filas}


def _fila(page: Page, partida: str) -> Locator:
    return page.get_by_role("row").filter(
        has=page.get_by_role("gridcell").filter(has_text=re.compile("^" + re.escape(partida)))
    )


def _celda(page: Page, partida: str, dia: int) -> Locator:
    return _fila(page, partida).locator(f'[role="gridcell"][tabulator-field="d{dia}"]')


def _editor(page: Page) -> Locator:
    return page.locator("select.editor-gpu")


def _gpu(obra, partida: str, dia: int) -> tuple[str, str, str]:
    registro = RegistroGPU.objects.filter(produccion=obra["filas"][(partida, dia)]).first()
    if registro is None:
        return ("PENDIENTE", "", "")
    return (registro.estatus, registro.evidencia, registro.nota)


@pytest.mark.parametrize("tamano", TAMANOS)
def test_the_gpu_board_is_edited_from_the_keyboard(
    page: Page, browser_login, obra, console_errors, axe, tamano
):
    page.set_viewport_size(tamano)
    browser_login("carla", PASSWORD)
    page.goto(URL)
    expect(page.locator("#tablero-gpu[data-lista]")).to_be_attached()
    buzo, lancha = "C-2 3 Buzo", "C-3 1.2 Lancha"

    # Lines by days, the C-5 line left out; each day's state in its colour.
    expect(page.get_by_role("grid")).to_have_count(1)
    expect(_fila(page, buzo)).to_have_count(1)
    expect(_fila(page, "C-5 2.1")).to_have_count(0)
    firmado = _celda(page, buzo, 10)
    expect(firmado).to_have_attribute("data-estado", "FIRMADO")
    expect(firmado).to_have_text("F")
    verde = firmado.evaluate("c => getComputedStyle(c).backgroundColor")
    pendiente = _celda(page, buzo, 4).evaluate("c => getComputedStyle(c).backgroundColor")
    assert verde == "rgb(220, 252, 231)" and verde != pendiente
    assert EVIDENCIA in (firmado.get_attribute("title") or "")
    # The signed-off 3rd takes nothing.
    tercero = _celda(page, buzo, 3)
    expect(tercero).to_have_class(re.compile(r"\bdia-firmado\b"))
    tercero.click()
    expect(_editor(page)).to_have_count(0)
    assert page_wide_scroll(page) == 0
    assert axe(page) == []

    # Into Buzo's 4th; 2 is PROCESO. Tab goes to the next day with production, the 5th.
    _celda(page, buzo, 4).click()
    expect(_editor(page)).to_be_focused()
    expect(_editor(page)).to_have_accessible_name(re.compile(r"C-2 3 Buzo .*día 4: estatus GPU"))
    page.keyboard.press("2")
    page.keyboard.press("Tab")
    expect(_editor(page)).to_have_accessible_name(re.compile(r"día 5: estatus GPU"))
    page.keyboard.press("ArrowDown")  # the select's own keys: PENDIENTE → PROCESO
    page.keyboard.press("ArrowDown")  # → FALTA FIRMA PEMEX
    page.keyboard.press("Escape")  # back to what it held
    expect(_editor(page)).to_have_value("PENDIENTE")
    page.keyboard.press("3")  # FALTA FIRMA PEMEX
    page.keyboard.press("Enter")  # down: Lancha's 5th
    expect(_editor(page)).to_have_accessible_name(re.compile(r"C-3 1\.2 Lancha .*día 5"))
    page.keyboard.press("4")  # FIRMADO: carla signs daily reports
    page.keyboard.press("F2")  # to its evidence link
    expect(page.get_by_label("Evidencia (enlace)")).to_be_focused()
    page.keyboard.type("sin enlace")
    expect(page.get_by_label("Evidencia (enlace)")).to_have_attribute("aria-invalid", "true")
    page.keyboard.press("Control+a")
    page.keyboard.type(EVIDENCIA)
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")  # past the link that opens it, to the note
    expect(page.get_by_label("Nota", exact=True)).to_be_focused()
    page.keyboard.type("Bitácora firmada")
    page.keyboard.press("Enter")  # back to the cell
    expect(_editor(page)).to_have_accessible_name(re.compile(r"Lancha .*día 5"))
    page.keyboard.press("Shift+Tab")  # nothing before the 5th on Lancha: it stays
    expect(_editor(page)).to_have_accessible_name(re.compile(r"Lancha .*día 5"))
    page.keyboard.press("Escape")

    expect(page.locator("#estado-gpu")).to_have_text("3 cambios sin guardar.")
    expect(_celda(page, buzo, 4)).to_have_class(re.compile(r"\bcambiada\b"))
    assert _gpu(obra, "3", 4) == ("PENDIENTE", "", "")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    # For the README (docs/gpu.png and gpu-telefono.png are copies of these).
    page.screenshot(path=SCREENSHOTS / f"gpu-{tamano['width']}.png", full_page=True)

    # By the keyboard too: a click could land where the grid was before the full-page
    # screenshot made it redraw.
    page.get_by_role("button", name="Guardar").focus()
    page.keyboard.press("Enter")

    expect(page.locator("#aviso-gpu")).to_have_text("Guardado.")
    assert _gpu(obra, "3", 4) == ("PROCESO", "", "")
    assert _gpu(obra, "3", 5) == ("FALTA FIRMA PEMEX", "", "")
    assert _gpu(obra, "1.2", 5) == ("FIRMADO", EVIDENCIA, "Bitácora firmada")
    expect(page.locator("#estado-gpu")).to_have_text("No hay cambios sin guardar.")
    expect(_celda(page, lancha, 5)).to_have_attribute("data-estado", "FIRMADO")
    assert console_errors == []


def test_without_the_signing_permissions_firmado_is_neither_set_nor_cleared(
    page: Page, browser_login, obra, console_errors
):
    _usuario("gil", rol="Consulta")
    grupo = Group.objects.create(name="Evidencias GPU")
    grupo.permissions.add(
        *Permission.objects.filter(
            codename__in=["view_produccion", "view_registrogpu", "add_registrogpu",
                          "change_registrogpu"]
        )
    )  # fmt: skip
    User.objects.get(username="gil").groups.add(grupo)
    page.set_viewport_size(ANCHO)
    browser_login("gil", PASSWORD)
    page.goto(URL)
    expect(page.locator("#tablero-gpu[data-lista]")).to_be_attached()

    _celda(page, "C-2 3 Buzo", 4).click()
    expect(_editor(page).locator('option[value="FIRMADO"]')).to_be_disabled()
    page.keyboard.press("4")
    expect(_editor(page)).to_have_value("PENDIENTE")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")  # the 10th, FIRMADO: it cannot be cleared
    expect(_editor(page)).to_have_accessible_name(re.compile(r"día 10"))
    expect(_editor(page).locator('option[value="PROCESO"]')).to_be_disabled()
    page.keyboard.press("2")
    expect(_editor(page)).to_have_value("FIRMADO")
    assert console_errors == []


@pytest.mark.parametrize("tamano", TAMANOS)
def test_the_daily_report_row_locks_a_day_and_keeps_comments_and_the_close(
    page: Page, browser_login, obra, console_errors, tamano
):
    page.set_viewport_size(tamano)
    browser_login("carla", PASSWORD)
    page.goto(SABANA)
    expect(page.locator("#rejilla[data-lista]")).to_be_attached()
    tubo = page.get_by_role("row").filter(has=page.get_by_role("gridcell", name="C-5 2.1 Tubería"))
    sexto = tubo.locator('[role="gridcell"][tabulator-field="d6"]')
    expect(sexto).not_to_have_class(re.compile(r"\bsolo-lectura\b"))

    page.get_by_label("Reporte diario día 6", exact=True).select_option("FIRMADO")

    expect(sexto).to_have_class(re.compile(r"\bsolo-lectura\b"))
    assert ReporteDiario.objects.get(fecha=datetime.date(2026, 5, 6)).estatus == "FIRMADO"
    sexto.click()
    expect(page.locator("input.editor-celda")).to_have_count(0)

    # The day's comment and the month's close, beside the grid, from the keyboard.
    page.get_by_label("Día", exact=True).select_option("6")
    comentario = page.get_by_label("Comentario del reporte del día")
    comentario.fill("Firmado a bordo por PEMEX")
    comentario.press("Enter")
    expect(page.locator("#aviso-reporte-mes")).to_have_text("Guardado.")
    expect(page.locator('#comentarios-reporte li[data-dia="6"]')).to_contain_text(
        "Firmado a bordo por PEMEX"
    )
    page.get_by_label("Cierre del mes").select_option("CERRADO")
    evidencia = page.get_by_label("Evidencia del mes (enlace)")
    evidencia.fill("https://example.com/cierre-mayo.pdf")
    evidencia.press("Enter")
    expect(page.locator("#aviso-reporte-mes")).to_have_text("Guardado.")
    cierre = CierreMes.objects.get(ot=obra["ot"], anio=2026, mes=5)
    assert (cierre.estatus, cierre.evidencia) == ("CERRADO", "https://example.com/cierre-mayo.pdf")
    assert ReporteDiario.objects.get(fecha=datetime.date(2026, 5, 6)).comentario == (
        "Firmado a bordo por PEMEX"
    )
    assert page_wide_scroll(page) == 0
    page.reload()
    expect(page.locator('#comentarios-reporte li[data-dia="6"]')).to_contain_text("PEMEX")
    expect(page.get_by_label("Cierre del mes")).to_have_value("CERRADO")
    expect(page.get_by_label("Reporte diario día 6", exact=True)).to_have_value("FIRMADO")
    page.screenshot(path=SCREENSHOTS / f"sabana-reporte-mes-{tamano['width']}.png", full_page=True)
    assert console_errors == []


def test_someone_elses_save_keeps_my_changes_on_the_board(
    page: Page, browser_login, obra, console_errors
):
    page.set_viewport_size(ANCHO)
    browser_login("carla", PASSWORD)
    page.goto(URL)
    expect(page.locator("#tablero-gpu[data-lista]")).to_be_attached()
    _celda(page, "C-2 3 Buzo", 4).click()
    page.keyboard.press("2")
    page.keyboard.press("Tab")  # the 4th is PROCESO here, not saved yet
    page.keyboard.press("Escape")
    # Meanwhile, someone else sets Lancha's 5th.
    RegistroGPU.objects.create(produccion=obra["filas"][("1.2", 5)], estatus="PROCESO")

    page.get_by_role("button", name="Guardar").click()

    expect(page.locator("#aviso-gpu")).to_contain_text("Alguien más guardó este tablero")
    expect(_celda(page, "C-3 1.2 Lancha", 5)).to_have_attribute("data-estado", "PROCESO")
    cuarto = _celda(page, "C-2 3 Buzo", 4)
    expect(cuarto).to_have_attribute("data-estado", "PROCESO")  # what I chose stays
    expect(cuarto).to_have_class(re.compile(r"\bcambiada\b"))
    assert _gpu(obra, "3", 4) == ("PENDIENTE", "", "")

    page.get_by_role("button", name="Guardar").click()

    expect(page.locator("#aviso-gpu")).to_have_text("Guardado.")
    assert _gpu(obra, "3", 4) == ("PROCESO", "", "")
    assert _gpu(obra, "1.2", 5) == ("PROCESO", "", "")
    assert [e for e in console_errors if "412 (Precondition Failed)" not in e] == []
