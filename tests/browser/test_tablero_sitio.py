"""The site board and the guard calendar in a real browser, at 1,920 and 390 px: every day in
sight on a wide screen, the board scrolling in its own box on a phone, the keyboard reaching
each OT's sheet, axe's checks."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group, Permission
from playwright.sync_api import Page, ViewportSize, expect

from sascop.accounts.tests.factories import PASSWORD
from sascop.catalogos.tests.factories import (
    CicloGuardiaFactory,
    SitioFactory,
    SuperintendenteFactory,
)
from sascop.ots.tests.factories import OTFactory
from sascop.precios.tests.factories import linea_de
from sascop.produccion.models import ReporteDiario
from sascop.produccion.tests.factories import ProduccionFactory
from tests.browser.conftest import PHONE, SCREENSHOTS, page_wide_scroll
from tests.browser.test_pages import _usuario

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

ANCHO = ViewportSize(width=1920, height=1080)
D = datetime.date


@pytest.fixture
def sitio():
    """October 2026 at Akal-C: three OTs with production, daily reports and a guard cycle."""
    akal = SitioFactory(descripcion="Akal-C")
    a = SuperintendenteFactory(nombre="Ing. Alberto Pérez", color=1)
    b = SuperintendenteFactory(nombre="Ing. Beatriz Soto", color=3)
    CicloGuardiaFactory(
        sitio=akal, superintendente_a=a, superintendente_b=b, fecha_inicio=D(2026, 9, 22)
    )
    obras = [
        ("OT-GRZ-801-24-013", "Mantenimiento a ducto de 36 pulgadas", (9, 15), (10, 20)),
        ("OT-GRZ-802-24-021", "Inspección con ROV de risers", (10, 6), (11, 30)),
        ("OT-GRZ-803-24-007", "Instalación de abrazaderas", (10, 12), (10, 26)),
    ]
    for numero, (orden, descripcion, (mes_i, dia_i), (mes_f, dia_f)) in enumerate(obras):
        inicio, fin = D(2026, mes_i, dia_i), D(2026, mes_f, dia_f)
        ot = OTFactory(
            sitio=akal,
            orden_trabajo=orden,
            descripcion_trabajo=descripcion,
            fecha_inicio_programado=inicio,
            fecha_termino_programado=fin,
        )
        lineas = [linea_de(ot, pu_mn=Decimal(pu)) for pu in ("18500.00", "4350.75")]
        dia = max(inicio, D(2026, 10, 1))
        while dia <= min(fin, D(2026, 10, 31)):
            for k, linea in enumerate(lineas):
                ProduccionFactory(
                    ot=ot,
                    partida_anexo=linea,
                    sitio=akal,
                    fecha_produccion=dia,
                    volumen_produccion=Decimal(1 + (dia.day + numero + k) % 4),
                )
            if dia.day < 16:
                estado = "FIRMADO" if dia.day < 12 else "FALTA FIRMA PEMEX"
                ReporteDiario.objects.create(ot=ot, sitio=akal, fecha=dia, estatus=estado)
            elif dia.day < 19:
                ReporteDiario.objects.create(ot=ot, sitio=akal, fecha=dia, estatus="PROCESO")
            dia += datetime.timedelta(days=2 if numero == 1 else 1)
    _usuario("sofia", rol="Consulta")
    # The role as migration catalogos.0004 leaves it (an earlier test's flush may have made
    # it again from the accounts migration's list, which predates guard cycles).
    Group.objects.get(name="Consulta").permissions.add(
        *Permission.objects.filter(
            content_type__app_label="catalogos",
            codename__in=["view_superintendente", "view_cicloguardia"],
        )
    )
    return akal


def test_the_site_board_at_1920_and_390_px(page: Page, browser_login, sitio, console_errors, axe):
    browser_login("sofia", PASSWORD)
    page.set_viewport_size(ANCHO)
    page.goto("/produccion/sitios/")
    # Chosen from the form with the keyboard, as a person would.
    page.get_by_label("Sitio", exact=True).select_option(label="Akal-C")
    page.get_by_label("Año", exact=True).fill("2026")
    page.get_by_label("Mes", exact=True).select_option(label="Octubre")
    page.get_by_label("Año", exact=True).press("Enter")
    page.wait_for_url(f"**/produccion/sitios/?sitio={sitio.pk}&anio=2026&mes=10")

    tabla = page.get_by_role("region", name="Tablero de Akal-C, Octubre 2026")
    expect(tabla).to_be_visible()
    filas = tabla.locator("tbody tr")
    expect(filas).to_have_count(3)
    # Every day in sight at 1,920 px, none cut: the box does not scroll sideways.
    assert tabla.evaluate("el => el.scrollWidth - el.clientWidth") == 0
    assert page_wide_scroll(page) == 0
    marco = tabla.bounding_box()
    assert marco is not None
    for dia in (1, 31):
        caja = tabla.locator("th.dia").nth(dia - 1).bounding_box()
        assert caja is not None and caja["width"] >= 40
        assert caja["x"] + caja["width"] <= marco["x"] + marco["width"]
    # Days outside each OT's dates shaded: the third OT runs 12-26 October.
    tercera = filas.nth(2).locator("td.celda-sitio")
    fuera = [i + 1 for i in range(31) if "fuera" in (tercera.nth(i).get_attribute("class") or "")]
    assert fuera == [*range(1, 12), *range(27, 32)]
    # The header row: who is on duty (22 Sep + 14 = 6 Oct: B; 20 Oct: A again).
    guardias = tabla.locator("tr.fila-guardias td.guardia")
    expect(guardias.nth(4)).to_have_class("guardia guardia-1")
    expect(guardias.nth(5)).to_have_class("guardia guardia-3")
    expect(guardias.nth(19)).to_have_class("guardia guardia-1")
    assert axe(page) == []
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "tablero-sitio-1920.png", full_page=True)

    # On a phone the board scrolls in its own box, the OT column fixed; the page does not.
    page.set_viewport_size(PHONE)
    page.wait_for_timeout(200)
    assert page_wide_scroll(page) == 0
    assert tabla.evaluate("el => el.scrollWidth > el.clientWidth")
    page.screenshot(path=SCREENSHOTS / "tablero-sitio-390.png", full_page=True)
    tabla.scroll_into_view_if_needed()
    tabla.evaluate("el => { el.scrollLeft = 600; }")
    expect(filas.first.locator("th a")).to_be_in_viewport()
    assert axe(page) == []

    # The keyboard reaches an OT's link and opens its sheet at this site and month.
    page.set_viewport_size(ANCHO)
    enlace = filas.nth(1).get_by_role("link", name="OT-GRZ-802-24-021")
    enlace.focus()
    expect(enlace).to_be_focused()
    page.keyboard.press("Enter")
    page.wait_for_url("**/produccion/sabana/?ot=*")
    assert f"sitio={sitio.pk}" in page.url and "anio=2026&mes=10" in page.url
    assert console_errors == []


def test_the_guard_calendar_at_1920_and_390_px(
    page: Page, browser_login, sitio, console_errors, axe
):
    browser_login("sofia", PASSWORD)
    page.set_viewport_size(ANCHO)
    page.goto(f"/produccion/guardias/?sitio={sitio.pk}&anio=2026&mes=10")

    calendario = page.get_by_role("table", name="Quién está de guardia en Akal-C, Octubre 2026")
    expect(calendario).to_be_visible()
    dias = calendario.locator("td:has(.numero-dia)")
    expect(dias).to_have_count(31)
    expect(dias.nth(4)).to_contain_text("Ing. Alberto Pérez")
    expect(dias.nth(5)).to_contain_text("Ing. Beatriz Soto")
    assert axe(page) == []
    page.screenshot(path=SCREENSHOTS / "guardias-1920.png", full_page=True)
    page.set_viewport_size(PHONE)
    page.wait_for_timeout(200)
    assert page_wide_scroll(page) == 0
    assert axe(page) == []
    page.screenshot(path=SCREENSHOTS / "guardias-390.png", full_page=True)
    # From the calendar to the board with the keyboard.
    page.get_by_role("link", name="Tablero del sitio").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/produccion/sitios/?*")
    assert console_errors == []
