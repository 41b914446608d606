"""Re-programming and the PUE life cycle in a real browser, at 1,920 and 390 px: an OT
re-programmed from its page with the keyboard alone, PUEs authorised in bulk and one made
an ordinary concept on /precios/, and a concept added to the OT's anexo from the sheet.
Each page without sideways scroll, console errors or serious accessibility faults."""

from __future__ import annotations

import contextlib
import datetime
import importlib
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page, ViewportSize, expect

from sascop.accounts.tests.factories import PASSWORD, UserFactory
from sascop.catalogos.estatus import EstatusOT
from sascop.ots.models import OT
from sascop.ots.tests.factories import OTFactory
from sascop.precios.models import AnexoOT, Concepto
from sascop.precios.tests.factories import AnexoFactory, ConceptoFactory, PUEFactory, linea_de
from tests.browser.conftest import PHONE, SCREENSHOTS, page_wide_scroll

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
ROLES = importlib.import_module("sascop.accounts.migrations.0002_roles")
ROLES_PRECIOS = [
    importlib.import_module("sascop.precios.migrations.0002_roles"),
    importlib.import_module("sascop.precios.migrations.0004_anexo_ot_roles"),
]
WIDE = ViewportSize(width=1920, height=1080)


def _rol(nombre: str) -> Group:
    """The role as its migrations make it (a transactional test's flush removes them)."""
    grupo, creado = Group.objects.get_or_create(name=nombre)
    if creado:
        for app_config in apps.get_app_configs():
            create_permissions(app_config, verbosity=0)
        permisos = {f"{app}.view_{m}" for app, modelos in ROLES.READ.items() for m in modelos}
        permisos |= set(ROLES.ROLES[nombre])
        for modulo in ROLES_PRECIOS:
            permisos |= {f"precios.{codigo}" for codigo in modulo.ROLES[nombre]}
        for permiso in permisos:
            app_label, codename = permiso.split(".")
            grupo.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )
    return grupo


def _usuario(username: str, rol: str) -> None:
    UserFactory(username=username, first_name="Lía", last_name="Mar").groups.add(_rol(rol))


@pytest.fixture
def revisar(axe: Callable[[Page], list[dict[str, Any]]]) -> Callable[..., list[Path]]:
    """Shoot what `page` shows at 1,920 and at 390 px, checking at each width that nothing
    scrolls sideways and axe finds no serious fault; the page is left at 1,920 px."""

    def tomar(page: Page, nombre: str) -> list[Path]:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        rutas = []
        for ancho in (WIDE, PHONE):
            page.set_viewport_size(ancho)
            # A grid (the sheet's) redraws itself for the new width a moment after it.
            # If it never fits, the assertion below says how wide it is.
            with contextlib.suppress(PlaywrightError):
                page.wait_for_function(
                    "document.documentElement.scrollWidth <= document.documentElement.clientWidth",
                    timeout=5_000,
                )
            ruta = SCREENSHOTS / f"{nombre}-{ancho['width']}.png"
            page.screenshot(path=ruta, full_page=True)
            assert page_wide_scroll(page) == 0, (nombre, ancho)
            assert axe(page) == [], (nombre, ancho)
            rutas.append(ruta)
        page.set_viewport_size(WIDE)
        return rutas

    return tomar


def test_reprogram_an_ot_from_its_page_with_the_keyboard(
    page: Page, browser_login, console_errors, revisar
):
    _usuario("ingeniera", "Ingeniería")
    ot = OTFactory(
        orden_trabajo="OT-2026-077",
        oficio_ot="OF-077",
        estatus=EstatusOT.EN_EJECUCION,
        fecha_inicio_programado=datetime.date(2026, 3, 2),
        fecha_termino_programado=datetime.date(2026, 3, 31),
        plazo_dias=30,
    )
    page.set_viewport_size(WIDE)
    browser_login("ingeniera", PASSWORD)
    page.goto(f"/ots/{ot.pk}/")

    reprogramar = page.get_by_role("link", name="Reprogramar", exact=True)
    reprogramar.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/ots/{ot.pk}/reprogramar/")
    expect(page.get_by_role("heading", name="Reprogramar la OT OT-2026-077")).to_be_visible()
    expect(page.get_by_label("Nuevo inicio programado")).to_have_value("2026-03-02")
    expect(page.get_by_label("Plazo (días)")).to_have_value("30")
    revisar(page, "reprogramar-formulario")

    # The new end in the browser's date field (its segments' order follows the browser's
    # language), then the keyboard alone: the reason typed, Tab to the button, Enter.
    page.get_by_label("Nuevo término programado").fill("2026-05-15")
    page.get_by_label("Motivo de la reprogramación").focus()
    page.keyboard.type("Ventana de clima en la plataforma")
    page.keyboard.press("Tab")
    crear = page.get_by_role("button", name="Crear reprogramación")
    expect(crear).to_be_focused()
    page.keyboard.press("Enter")

    expect(page.get_by_text("Se creó la reprogramación 1 de la OT OT-2026-077.")).to_be_visible()
    nueva = OT.objects.get(ot_principal=ot)
    assert page.url.endswith(f"/ots/{nueva.pk}/")
    assert nueva.fecha_termino_programado == datetime.date(2026, 5, 15)
    assert nueva.comentario == "Ventana de clima en la plataforma"
    familia = page.get_by_role("region", name="La familia de la OT")
    expect(familia.locator("tbody tr")).to_have_count(2)
    expect(familia.locator('tr[aria-current="true"]')).to_contain_text("OT-2026-077 R1")
    expect(familia.get_by_role("link", name="OT-2026-077", exact=True)).to_be_visible()
    revisar(page, "reprogramar-familia")

    page.goto(f"/ots/{ot.pk}/")
    familia = page.get_by_role("region", name="La familia de la OT")
    expect(familia.get_by_role("link", name="OT-2026-077 R1")).to_be_visible()
    expect(familia).to_contain_text("Ventana de clima en la plataforma")
    assert console_errors == []


def test_authorise_pues_in_bulk_and_convert_one(page: Page, browser_login, console_errors, revisar):
    _usuario("admin", "Administración")
    c10 = AnexoFactory(clave="C-10")
    AnexoFactory(clave="C-5", contrato=c10.contrato)
    for n in (1, 2, 3):
        PUEFactory(
            anexo=c10,
            partida=f"PUE-{n}",
            concepto=f"Grapa de reparación {n}",
            pu_mn=Decimal("99.5"),
        )
    page.set_viewport_size(WIDE)
    browser_login("admin", PASSWORD)
    page.goto("/precios/?anexo=C-10")

    for partida in ("PUE-1", "PUE-2"):
        page.locator("tbody tr", has_text=partida).get_by_role("checkbox").check()
    page.get_by_label("Con las seleccionadas:").select_option(label="Autorizar")
    page.get_by_role("button", name="Aplicar").click()

    expect(
        page.get_by_role("heading", name="¿Autorizar 2 conceptos extraordinarios?")
    ).to_be_visible()
    revisar(page, "pue-autorizar-confirmacion")
    page.get_by_role("button", name="Sí, autorizar").click()

    expect(page.get_by_text("Se autorizaron 2 conceptos.")).to_be_visible()
    estados = dict(Concepto.objects.values_list("partida", "estatus"))
    assert estados == {"PUE-1": "AUTORIZADO", "PUE-2": "AUTORIZADO", "PUE-3": "EN_ELABORACION"}
    revisar(page, "pue-autorizados")

    page.get_by_role("link", name="Convertir C-10 PUE-1 en concepto ordinario").click()
    expect(page.get_by_text("Grapa de reparación 1")).to_be_visible()
    page.get_by_label("Anexo ordinario").fill("C-5")
    page.get_by_label("Nueva partida").fill("5.40")
    revisar(page, "pue-convertir")
    page.get_by_role("button", name="Convertir", exact=True).click()

    expect(page.get_by_text("El PUE ahora es el concepto 5.40 del anexo C-5.")).to_be_visible()
    fila = page.locator("tbody tr", has_text="5.40")
    expect(fila).to_contain_text("Grapa de reparación 1")
    expect(fila).to_contain_text("$99.50")
    convertido = Concepto.objects.get(concepto="Grapa de reparación 1")
    assert (convertido.anexo.clave, convertido.tipo) == ("C-5", "ordinaria")
    assert console_errors == []


def test_add_a_concept_to_the_anexo_from_the_sheet(
    page: Page, browser_login, console_errors, revisar
):
    _usuario("ingeniero", "Ingeniería")
    ot = OTFactory(orden_trabajo="OT-2026-060")
    tubo = ConceptoFactory(anexo__clave="C-5", partida="2.1", concepto="Tubería", unidad="M")
    linea_de(ot, concepto=tubo, volumen=Decimal("100"))
    ConceptoFactory(anexo=tubo.anexo, partida="2.3", concepto="Abrazadera de acero", unidad="PZA")
    page.set_viewport_size(WIDE)
    browser_login("ingeniero", PASSWORD)
    page.goto(f"/produccion/sabana/?ot={ot.pk}&anio=2026&mes=5")
    expect(page.locator("#rejilla")).to_contain_text("Tubería")

    buscar = page.get_by_label("Partida o texto")
    buscar.fill("abrazadera")
    buscar.press("Enter")
    agregar = page.get_by_role("button", name="Agregar C-5 2.3")
    expect(agregar).to_be_visible()
    revisar(page, "sabana-agregar-busqueda")
    agregar.focus()
    page.keyboard.press("Enter")

    expect(page.get_by_text("Se agregó la partida 2.3 del anexo C-5")).to_be_visible()
    expect(page.locator("#rejilla")).to_contain_text("Abrazadera de acero")
    activo = AnexoOT.objects.get(ot=ot, activo=True)
    assert activo.version == 2 and activo.partidas.count() == 2
    assert page.url.endswith(f"/produccion/sabana/?ot={ot.pk}&anio=2026&mes=5")
    revisar(page, "sabana-agregar-hecho")
    assert console_errors == []


def test_draw_up_edit_and_deactivate_a_pue_from_the_price_book(
    page: Page, browser_login, console_errors, revisar
):
    _usuario("admin", "Administración")
    AnexoFactory(clave="C-10")
    page.set_viewport_size(WIDE)
    browser_login("admin", PASSWORD)
    page.goto("/precios/")

    page.get_by_role("link", name="Nuevo PUE").click()
    page.get_by_label("Partida").fill("PUE-7")
    page.get_by_label("Concepto").fill("Inspección con ROV")
    page.get_by_label("Unidad").fill("Día")
    page.get_by_label("P.U. M.N.").fill("1500.25")
    revisar(page, "pue-nuevo")
    page.get_by_role("button", name="Elaborar PUE").click()

    expect(page.get_by_text("Se elaboró el PUE C-10 PUE-7; espera autorización.")).to_be_visible()
    page.get_by_role("link", name="Editar C-10 PUE-7").click()
    page.get_by_label("P.U. M.N.").fill("1600")
    page.get_by_role("button", name="Guardar cambios").click()
    expect(page.get_by_text("PUE C-10 PUE-7 guardado.")).to_be_visible()
    expect(page.locator("tbody tr", has_text="PUE-7")).to_contain_text("$1,600.00")

    page.once("dialog", lambda dialogo: dialogo.accept())
    page.get_by_role("button", name="Desactivar C-10 PUE-7").click()
    expect(page.get_by_text("PUE C-10 PUE-7 desactivado")).to_be_visible()
    fila = page.locator("tbody tr", has_text="PUE-7")
    expect(fila).to_contain_text("Inactivo")
    expect(fila.get_by_role("button", name="Autorizar C-10 PUE-7")).to_have_count(0)
    expect(page.get_by_role("link", name="C-10 1 concepto", exact=True)).to_be_visible()
    concepto = Concepto.objects.get(partida="PUE-7")
    assert (concepto.activo, concepto.pu_mn, concepto.unidad) == (False, Decimal("1600"), "DIA")
    revisar(page, "pue-desactivado")
    assert console_errors == []
