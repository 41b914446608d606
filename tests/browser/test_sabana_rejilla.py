"""The monthly sheet as a spreadsheet, in a real browser: the keyboard, a block pasted from
Excel, red cells before saving, read-only days, saving only what changed, someone else's
save in between (412), and the question before leaving with unsaved changes."""

from __future__ import annotations

import datetime
import json
import re
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group, Permission
from playwright.sync_api import Locator, Page, ViewportSize, expect

from sascop.accounts.models import User
from sascop.accounts.tests.factories import PASSWORD
from sascop.ots.tests.factories import OTFactory
from sascop.precios.models import ProgramaDiario
from sascop.precios.tests.factories import AnexoFactory, ConceptoFactory, linea_de
from sascop.produccion import captura, excedentes, services
from sascop.produccion.models import Produccion, ReporteDiario
from sascop.produccion.tests.factories import ProduccionFactory
from tests.browser.conftest import PHONE, SCREENSHOTS, page_wide_scroll
from tests.browser.test_pages import _usuario

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

ANCHO = ViewportSize(width=1920, height=1080)
ESCRITORIO = ViewportSize(width=1280, height=800)
OT_NUMERO = "OT-GRZ-801-24-013"
URL = f"/produccion/sabana/?ot={OT_NUMERO}&anio=2026&mes=5"


@pytest.fixture
def obra():
    """May 2026 of an OT: 2.1 Tubería (100 M authorised, 40 programmed and 45.5 done on the
    4th), 3 Buzo and 4.4 Limpieza; the 3rd signed off (FIRMADO)."""
    ot = OTFactory(orden_trabajo=OT_NUMERO, descripcion_trabajo="Mantenimiento a ducto")
    lineas = {}
    anexos = {"C-5": AnexoFactory(clave="C-5"), "C-2": AnexoFactory(clave="C-2")}
    for clave, partida, concepto, volumen in (
        ("C-5", "2.1", "Tubería", "100"),
        ("C-2", "3", "Buzo", "20"),
        ("C-5", "4.4", "Limpieza de lastre", "50"),
    ):
        lineas[partida] = linea_de(
            ot,
            concepto=ConceptoFactory(anexo=anexos[clave], partida=partida, concepto=concepto),
            volumen=Decimal(volumen),
        )
    ProgramaDiario.objects.create(
        partida=lineas["2.1"], fecha=datetime.date(2026, 5, 4), volumen=40
    )
    ProduccionFactory(
        ot=ot,
        partida_anexo=lineas["2.1"],
        fecha_produccion=datetime.date(2026, 5, 4),
        volumen_produccion=Decimal("45.5"),
    )
    ReporteDiario.objects.create(
        ot=ot, sitio=ot.sitio, fecha=datetime.date(2026, 5, 3), estatus="FIRMADO"
    )
    excedentes.recalcular_todo()
    _usuario("carla", rol="Captura de producción")
    # The role as migration produccion.0006 leaves it (a role flushed by an earlier test is
    # made again from the accounts migration's list, which predates daily reports).
    Group.objects.get(name="Captura de producción").permissions.add(
        *Permission.objects.filter(
            content_type__app_label="produccion",
            codename__in=["view_reportediario", "add_reportediario", "change_reportediario"],
        )
    )
    return {"ot": ot, **lineas}


def _abrir(page: Page, browser_login, url: str = URL) -> None:
    browser_login("carla", PASSWORD)
    page.goto(url)
    expect(page.locator("#rejilla[data-lista]")).to_be_attached()


def _fila(page: Page, partida: str) -> Locator:
    return page.get_by_role("row").filter(has=page.get_by_role("gridcell", name=partida))


def _celda(page: Page, partida: str, dia: int) -> Locator:
    return _fila(page, partida).locator(f'[role="gridcell"][tabulator-field="d{dia}"]')


def _valor(page: Page, partida: str, dia: int) -> str:
    """What the cell shows; the cell being edited, what its input holds."""
    return str(
        _celda(page, partida, dia).evaluate(
            "c => c.querySelector('input') ? c.querySelector('input').value"
            " : c.querySelector('.ejecutado').textContent"
        )
    )


def _guardadas(ot) -> dict[tuple[str, int], Decimal]:
    return {
        (p, f.day): v
        for p, f, v in Produccion.objects.filter(ot=ot, tipo_tiempo="TE").values_list(
            "partida_anexo__concepto__partida", "fecha_produccion", "volumen_produccion"
        )
    }


def _editor(page: Page) -> Locator:
    return page.locator("input.editor-celda")


def test_the_grid_is_a_wide_aria_grid_with_frozen_columns(
    page: Page, browser_login, obra, console_errors, axe
):
    page.set_viewport_size(ANCHO)
    _abrir(page, browser_login)

    grid = page.get_by_role("grid")
    expect(grid).to_have_count(1)
    titulos = [
        t.strip()
        for t in page.locator('[role="columnheader"][tabulator-field^="d"]').all_inner_texts()
    ]
    assert titulos == [str(d) for d in range(1, 32)]
    # Every day column in sight at 1,920 px, at least 40 px wide; no sideways scrolling.
    marco = grid.bounding_box()
    assert marco is not None
    for dia in (1, 16, 31):
        caja = page.locator(f'[role="columnheader"][tabulator-field="d{dia}"]').bounding_box()
        assert caja is not None and caja["width"] >= 40, dia
        assert caja["x"] + caja["width"] <= marco["x"] + marco["width"], dia
    assert page_wide_scroll(page) == 0
    # The partida and Autorizado columns stay when the days scroll (narrow window).
    page.set_viewport_size(ESCRITORIO)
    page.reload()
    expect(page.locator("#rejilla[data-lista]")).to_be_attached()
    page.locator(".tabulator-tableholder").evaluate("el => { el.scrollLeft = 800; }")
    expect(_fila(page, "C-5 2.1 Tubería").locator('[tabulator-field="clave"]')).to_be_in_viewport()
    expect(
        _fila(page, "C-5 2.1 Tubería").locator('[tabulator-field="autorizado"]')
    ).to_be_in_viewport()
    assert page_wide_scroll(page) == 0
    assert axe(page) == []
    # For the pictures: a cell typed beyond the authorised volume, not saved yet.
    _celda(page, "C-5 2.1 Tubería", 5).click()
    page.keyboard.type("80")
    page.keyboard.press("Enter")
    expect(_celda(page, "C-5 2.1 Tubería", 5)).to_have_class(re.compile(r"\bcon-excedente\b"))
    page.keyboard.press("Escape")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for tamano in (ANCHO, ESCRITORIO, PHONE):
        page.set_viewport_size(tamano)
        page.wait_for_timeout(300)  # the grid follows the window's width
        assert page_wide_scroll(page) == 0, tamano
        page.screenshot(path=SCREENSHOTS / f"sabana-rejilla-{tamano['width']}.png", full_page=True)
    assert console_errors == []


def test_typing_moving_escape_and_undo_from_the_keyboard(
    page: Page, browser_login, obra, console_errors
):
    page.set_viewport_size(ANCHO)
    _abrir(page, browser_login)
    tubo, buzo = "C-5 2.1 Tubería", "C-2 3 Buzo"

    _celda(page, tubo, 5).click()
    page.keyboard.type("12")
    page.keyboard.press("Tab")
    page.keyboard.type("0,9")  # a decimal comma
    page.keyboard.press("Enter")  # down: Buzo, the 6th
    page.keyboard.type("3")
    page.keyboard.press("ArrowUp")  # Tubería, the 6th
    page.keyboard.press("ArrowLeft")  # Tubería, the 5th
    page.keyboard.type("99")
    page.keyboard.press("Escape")  # back to what the cell held
    expect(_editor(page)).to_have_value("12")
    page.keyboard.press("Shift+Tab")  # the 4th
    expect(_editor(page)).to_have_value("45.5")
    page.keyboard.press("Control+z")  # undoes the last change: Buzo's 3
    page.keyboard.press("ArrowRight")

    assert _valor(page, tubo, 5) == "12"
    assert _valor(page, tubo, 6) == "0.9"
    assert _valor(page, buzo, 6) == ""
    expect(page.locator("#estado-rejilla")).to_have_text("2 cambios sin guardar.")

    with page.expect_request(lambda r: r.method == "PATCH") as pedido:
        page.get_by_role("button", name="Guardar").click()
    expect(page.locator("#aviso-rejilla")).to_have_text("Guardado.")
    # Only the changed cells travel.
    assert json.loads(pedido.value.post_data or "") == {
        "partidas": [{"partida_anexo": obra["2.1"].pk, "ejecutado": {"5": "12", "6": "0.9"}}]
    }
    assert _guardadas(obra["ot"]) == {
        ("2.1", 4): Decimal("45.5"),
        ("2.1", 5): Decimal("12"),
        ("2.1", 6): Decimal("0.9"),
    }
    expect(page.locator("#estado-rejilla")).to_have_text("No hay cambios sin guardar.")
    assert console_errors == []


def test_a_block_pasted_from_excel_reads_like_the_paste_capture(
    page: Page, browser_login, obra, context, console_errors
):
    page.set_viewport_size(ANCHO)
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    _abrir(page, browser_login)
    muestras = ["1,234.5", "0,9", "1234.5", "12", " 7 ", "1,2,3", "abc", "1.234,5", "-2", ".5"]
    en_js = page.evaluate("m => m.map(t => window.sascopLeerVolumen(t))", muestras)
    en_python = [captura.leer_volumen(t) for t in muestras]
    assert [None if v is None else Decimal(v) for v in en_js] == en_python

    _celda(page, "C-5 2.1 Tubería", 7).click()
    page.evaluate("t => navigator.clipboard.writeText(t)", "1,234.5\t2\r\n0,5\t\t4\r\n")
    page.keyboard.press("Control+v")

    assert _valor(page, "C-5 2.1 Tubería", 7) == "1234.5"  # being edited: as typed
    assert _valor(page, "C-5 2.1 Tubería", 8) == "2"
    assert _valor(page, "C-2 3 Buzo", 7) == "0.5"
    assert _valor(page, "C-2 3 Buzo", 9) == "4"
    # Beyond the authorised 100 M, red before anything is saved, the excess in its tooltip.
    rojo = _celda(page, "C-5 2.1 Tubería", 7)
    expect(rojo).to_have_class(re.compile(r"\bcon-excedente\b"))
    assert "Excedente: 1,180" in (rojo.get_attribute("title") or "")
    assert not Produccion.objects.filter(fecha_produccion__day=7).exists()
    page.keyboard.press("Control+z")  # the whole paste, at once
    assert _valor(page, "C-5 2.1 Tubería", 7) == ""
    assert _valor(page, "C-2 3 Buzo", 9) == ""
    assert console_errors == []


def test_signed_off_and_future_days_are_read_only_and_look_it(
    page: Page, browser_login, obra, console_errors
):
    page.set_viewport_size(ANCHO)
    _abrir(page, browser_login)
    tubo = "C-5 2.1 Tubería"

    firmado = _celda(page, tubo, 3)
    expect(firmado).to_have_class(re.compile(r"\bsolo-lectura\b"))
    assert "FIRMADO" in (firmado.get_attribute("title") or "")
    # Hatched, unlike a day that takes volumes.
    assert "gradient" in firmado.evaluate("c => getComputedStyle(c).backgroundImage")
    assert _celda(page, tubo, 2).evaluate("c => getComputedStyle(c).backgroundImage") == "none"
    firmado.click()
    expect(_editor(page)).to_have_count(0)
    _celda(page, tubo, 2).click()
    page.keyboard.press("Tab")  # over the 3rd, to the 4th
    expect(_editor(page)).to_have_value("45.5")
    page.keyboard.press("Escape")

    # Next month has not begun: every day waits.
    hoy = datetime.date.today()
    siguiente = (hoy.replace(day=28) + datetime.timedelta(days=7)).replace(day=1)
    page.goto(f"/produccion/sabana/?ot={OT_NUMERO}&anio={siguiente.year}&mes={siguiente.month}")
    expect(page.locator("#rejilla[data-lista]")).to_be_attached()
    dias = page.locator(".tabulator-row .tabulator-cell.col-dia")
    assert dias.count() > 0
    expect(page.locator(".tabulator-row .tabulator-cell.col-dia:not(.solo-lectura)")).to_have_count(
        0
    )
    _celda(page, tubo, 1).click()
    expect(_editor(page)).to_have_count(0)
    assert console_errors == []


def test_someone_elses_save_keeps_my_edits_and_marks_their_cells(
    page: Page, browser_login, obra, console_errors
):
    page.set_viewport_size(ANCHO)
    _abrir(page, browser_login)
    tubo, buzo = "C-5 2.1 Tubería", "C-2 3 Buzo"
    _celda(page, tubo, 10).click()
    page.keyboard.type("5")
    page.keyboard.press("Tab")
    # Meanwhile, someone else saves the 11th of Tubería and the 12th of Buzo.
    services.sabana_guardar(
        usuario=User.objects.get(username="carla"),
        ot_id=obra["ot"].pk,
        anio=2026,
        mes=5,
        tipo_tiempo="TE",
        sitio_id=None,
        partidas=[
            {"partida_anexo": obra["2.1"].pk, "ejecutado": {"11": "7"}},
            {"partida_anexo": obra["3"].pk, "ejecutado": {"12": "2"}},
        ],
        solo_enviadas=True,
    )

    page.get_by_role("button", name="Guardar").click()

    expect(page.locator("#aviso-rejilla")).to_contain_text("Alguien más guardó esta sábana")
    assert _valor(page, tubo, 10) == "5"
    expect(_celda(page, tubo, 10)).to_have_class(re.compile(r"\bcambiada\b"))
    assert _valor(page, tubo, 11) == "7"
    expect(_celda(page, tubo, 11)).to_have_class(re.compile(r"\bajena\b"))
    expect(_celda(page, buzo, 12)).to_have_class(re.compile(r"\bajena\b"))
    assert ("2.1", 10) not in _guardadas(obra["ot"])

    page.get_by_role("button", name="Guardar").click()

    expect(page.locator("#aviso-rejilla")).to_have_text("Guardado.")
    assert _guardadas(obra["ot"]) == {
        ("2.1", 4): Decimal("45.5"),
        ("2.1", 10): Decimal("5"),
        ("2.1", 11): Decimal("7"),
        ("3", 12): Decimal("2"),
    }
    # The browser logs the refused save (412); nothing else went wrong.
    assert [e for e in console_errors if "412 (Precondition Failed)" not in e] == []


def test_leaving_with_unsaved_changes_asks_first(page: Page, browser_login, obra):
    page.set_viewport_size(ANCHO)
    _abrir(page, browser_login)
    preguntas: list[str] = []

    def responder(dialogo):
        preguntas.append(dialogo.type)
        dialogo.dismiss()

    page.on("dialog", responder)
    _celda(page, "C-5 2.1 Tubería", 6).click()
    page.keyboard.type("8")
    page.keyboard.press("Enter")

    page.close(run_before_unload=True)
    page.wait_for_timeout(500)

    assert preguntas == ["beforeunload"]
    assert not page.is_closed()
    assert _valor(page, "C-5 2.1 Tubería", 6) == "8"
    page.get_by_role("button", name="Guardar").click()
    expect(page.locator("#aviso-rejilla")).to_have_text("Guardado.")
    page.reload()  # nothing unsaved: no question
    expect(page.locator("#rejilla[data-lista]")).to_be_attached()
    assert preguntas == ["beforeunload"]


def test_the_ot_field_suggests_by_part_of_the_number_or_name_and_shows_it_whole(
    page: Page, browser_login, obra
):
    browser_login("carla", PASSWORD)
    for url in ("/produccion/sabana/", "/produccion/captura/"):
        page.goto(url)
        campo = page.get_by_label("OT", exact=True)
        campo.fill("")
        campo.press_sequentially("801-24")
        opciones = page.locator("#ots-sugeridas option")
        expect(opciones).to_have_count(1)
        expect(opciones.first).to_have_attribute("value", OT_NUMERO)
        campo.fill("")
        campo.press_sequentially("ducto")
        expect(opciones.first).to_have_attribute("value", OT_NUMERO)
        campo.fill(OT_NUMERO)
        # The whole number in sight: nothing scrolled out of the box.
        assert campo.evaluate("c => c.scrollWidth <= c.clientWidth")


def test_the_day_capture_loads_the_stored_day_to_correct_it(page: Page, browser_login, obra):
    browser_login("carla", PASSWORD)
    page.goto(f"/produccion/captura/?ot={OT_NUMERO}")
    page.get_by_label("Fecha").fill("2026-05-04")
    page.get_by_label("Fecha").dispatch_event("change")

    volumen = page.get_by_label("Volumen de C-5 2.1")
    expect(volumen).to_have_value("45.5")
    volumen.fill("44")
    page.get_by_role("button", name="Guardar el día").click()

    page.wait_for_url("**/produccion/?ot=*")
    assert _guardadas(obra["ot"]) == {("2.1", 4): Decimal("44")}


def test_the_daily_report_row_signs_a_day_off_and_locks_it_at_once(
    page: Page, browser_login, obra, console_errors
):
    page.set_viewport_size(ANCHO)
    _abrir(page, browser_login)
    tubo = "C-5 2.1 Tubería"
    expect(page.get_by_label("Reporte diario día 3", exact=True)).to_have_value("FIRMADO")
    _celda(page, tubo, 6).click()
    page.keyboard.type("2")
    page.keyboard.press("Enter")

    page.get_by_label("Reporte diario día 6", exact=True).select_option("FIRMADO")

    expect(_celda(page, tubo, 6)).to_have_class(re.compile(r"\bsolo-lectura\b"))
    assert ReporteDiario.objects.get(fecha=datetime.date(2026, 5, 6)).estatus == "FIRMADO"
    _celda(page, "C-2 3 Buzo", 6).click()
    expect(_editor(page)).to_have_count(0)
    # The 6th's unsaved 2 cannot be saved now: the server refuses the signed-off day.
    page.get_by_role("button", name="Guardar").click()
    expect(page.locator("#aviso-rejilla")).to_contain_text("FIRMADO")

    page.get_by_label("Reporte diario día 6", exact=True).select_option("PROCESO")

    expect(_celda(page, tubo, 6)).not_to_have_class(re.compile(r"\bsolo-lectura\b"))
    page.get_by_role("button", name="Guardar").click()
    expect(page.locator("#aviso-rejilla")).to_have_text("Guardado.")
    assert _guardadas(obra["ot"])[("2.1", 6)] == Decimal("2")
    assert [e for e in console_errors if "409 (Conflict)" not in e] == []


def test_the_grid_works_under_a_strict_content_security_policy(
    page: Page, browser_login, obra, console_errors
):
    # The policy the pages are getting: no inline script or style, no eval.
    politica = (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; "
        "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'"
    )

    def con_politica(route):
        respuesta = route.fetch()
        route.fulfill(
            response=respuesta,
            headers={**respuesta.headers, "content-security-policy": politica},
        )

    browser_login("carla", PASSWORD)
    page.route("**/produccion/sabana/**", con_politica)
    page.add_init_script(
        "window.violaciones = [];"
        "document.addEventListener('securitypolicyviolation', e => window.violaciones.push("
        "[e.violatedDirective, e.blockedURI, e.sourceFile, e.lineNumber, e.sample].join(' ')));"
    )
    page.set_viewport_size(ANCHO)
    page.goto(URL)
    expect(page.locator("#rejilla[data-lista]")).to_be_attached()
    _celda(page, "C-5 2.1 Tubería", 9).click()
    page.keyboard.type("150")  # beyond the authorised: red
    page.keyboard.press("Enter")
    expect(_celda(page, "C-5 2.1 Tubería", 9)).to_have_class(re.compile(r"\bcon-excedente\b"))

    # htmx's own indicator <style> is the page shell's to switch off (htmx config), not
    # the grid's: everything else — Tabulator, the sheet's script — must pass.
    violaciones = page.evaluate("window.violaciones")
    assert [v for v in violaciones if "/django_htmx/" not in v] == []
    assert [e for e in console_errors if "Content Security Policy" not in e] == []
