"""The administrators' pages in a real browser: catalogs, the activity log, the price book
(import with a bad row, authorise a PUE) and the dashboard's filters; each at desktop and
390 px without sideways scroll, console errors or serious accessibility faults."""

from __future__ import annotations

import datetime
import importlib
import re
from decimal import Decimal
from http import HTTPStatus
from io import BytesIO

import pytest
from django.contrib.auth.models import Group, Permission
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from sascop.accounts.tests.factories import PASSWORD, UserFactory
from sascop.actividad.models import RegistroActividad
from sascop.catalogos.models import Cliente
from sascop.catalogos.tests.factories import (
    ClienteFactory,
    FrenteFactory,
    ResponsableFactory,
    TipoClienteFactory,
    TipoPTEFactory,
)
from sascop.core.tests.test_shell import MENU_DE_CONSULTA
from sascop.ots.tests.factories import OTFactory
from sascop.precios.models import Concepto
from sascop.precios.tests.factories import AnexoFactory, ConceptoFactory, PUEFactory
from sascop.precios.tests.libros import ENCABEZADO, TITULOS, libro_simple, xlsx
from sascop.ptes.tests.factories import PTEFactory
from tests.browser.conftest import DESKTOP, PHONE, page_wide_scroll
from tests.browser.test_pages import _rol

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
PRECIOS_ROLES = [
    importlib.import_module("sascop.precios.migrations.0002_roles").ROLES,
    importlib.import_module("sascop.precios.migrations.0004_anexo_ot_roles").ROLES,
]


def _usuario(username: str, rol: str, **campos: object) -> None:
    grupo: Group = _rol(rol)
    # The price book's permissions, as its migrations give them (flushed with the roles).
    for roles in PRECIOS_ROLES:
        grupo.permissions.add(
            *Permission.objects.filter(content_type__app_label="precios", codename__in=roles[rol])
        )
    UserFactory(username=username, **campos).groups.add(grupo)


def _datos() -> dict[str, object]:
    tipo = TipoClienteFactory(descripcion="Activo de producción")
    cliente = ClienteFactory(tipo=tipo, descripcion="PEP Activo Cantarell")
    otro = ClienteFactory(tipo=tipo, descripcion="PEP Activo Ku-Maloob-Zaap")
    FrenteFactory(descripcion="Frente Litoral de Tabasco")
    responsable = ResponsableFactory(nombre="Ing. Laura Méndez")
    tipo_pte = TipoPTEFactory(descripcion="Inspección submarina")
    comunes = {"responsable_proyecto": responsable, "tipo": tipo_pte}
    hace = datetime.date.today() - datetime.timedelta(days=60)
    PTEFactory(
        oficio_pte="PTE-2026-0201",
        cliente=cliente,
        estatus=2,
        fecha_solicitud=hace,
        plazo_dias=20,
        **comunes,
    )
    PTEFactory(oficio_pte="PTE-2026-0202", cliente=otro, estatus=1, **comunes)
    OTFactory(cliente=cliente, monto_mxn=Decimal("1250000.75"), orden_trabajo="OT-2026-001")
    c5 = AnexoFactory(clave="C-5")
    c10 = AnexoFactory(clave="C-10", contrato=c5.contrato)
    ConceptoFactory(
        anexo=c5,
        partida="2.1",
        concepto="Tubería de acero al carbón de 8 pulgadas "
        "cédula 40, incluye suministro, habilitado y colocación",
        pu_mn=Decimal("1234.5"),
    )
    ConceptoFactory(
        anexo=c5, partida="2.2", concepto="Tubería de 10 pulgadas", pu_usd=Decimal("15.5")
    )
    pue = PUEFactory(anexo=c10, partida="PUE-1", concepto="Reparación de ducto con grapa")
    for i in range(60):
        RegistroActividad.objects.create(
            nombre_usuario="ana",
            accion="modificar",
            entidad="pte",
            entidad_id=str(i),
            campo="estatus",
            valor_anterior="1",
            valor_nuevo="2",
            ip="10.0.0.8",
        )
    return {"cliente": cliente, "pue": pue}


def test_every_admin_page_fits_a_phone_and_passes_the_checks(
    page: Page, browser_login, screenshot, console_errors, axe
):
    datos = _datos()
    cliente = datos["cliente"]
    assert isinstance(cliente, Cliente)
    _usuario("ana", "Administración", first_name="Ana", last_name="Pech")
    browser_login("ana", PASSWORD)
    paginas = {
        "catalogos": "/catalogos/",
        "catalogo-clientes": "/catalogos/clientes/",
        "catalogo-pasos": "/catalogos/pasos/",
        "catalogo-nueva": "/catalogos/sitios/nueva/",
        "catalogo-editar": f"/catalogos/clientes/{cliente.pk}/editar/",
        "actividad": "/actividad/",
        "actividad-filtrada": "/actividad/?entidad=pte&por_pagina=10",
        "precios": "/precios/",
        "precios-importar": "/precios/importar/",
        "tablero-filtrado": f"/?desde=2026-01-01&cliente={cliente.pk}",
    }
    for nombre, url in paginas.items():
        response = page.goto(url)
        assert response is not None and response.status == HTTPStatus.OK, url
        page.wait_for_load_state("networkidle")
        for width in (PHONE, DESKTOP):
            page.set_viewport_size(width)
            assert page_wide_scroll(page) == 0, f"{url} scrolls sideways at {width['width']} px"
            assert axe(page) == [], url
        screenshot(page, nombre)
    # Every menu entry of an administrator stays inside the bar at 390 px.
    page.set_viewport_size(PHONE)
    page.goto("/")
    menu = page.locator("nav.menu a")
    expect(menu).to_have_text([*MENU_DE_CONSULTA, "Catálogos", "Actividad"])
    for i in range(menu.count()):
        caja = menu.nth(i).bounding_box()
        assert caja is not None and caja["x"] + caja["width"] <= PHONE["width"]
    assert console_errors == []


def test_an_administrator_keeps_a_catalog(page: Page, browser_login, screenshot, console_errors):
    _datos()
    _usuario("ana", "Administración")
    browser_login("ana", PASSWORD)

    page.get_by_role("link", name="Catálogos").click()
    page.get_by_role("link", name="Clientes").click()
    page.get_by_role("link", name="Agregar").click()
    page.get_by_label("Descripción").fill("PEP Activo Abkatún-Pol-Chuc")
    page.get_by_label("Tipo").select_option(label="Activo de producción")
    page.get_by_role("button", name="Agregar").click()
    expect(page.get_by_role("status")).to_contain_text("«PEP Activo Abkatún-Pol-Chuc» creado")

    # Filter, then deactivate from the filtered list (the browser asks first).
    page.get_by_label("Buscar").fill("Abkatún")
    page.get_by_role("button", name="Filtrar").click()
    expect(page.locator("#catalogo tbody tr")).to_have_count(1)
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Desactivar PEP Activo Abkatún-Pol-Chuc").click()
    expect(page.get_by_role("status")).to_contain_text("desactivado")
    expect(page).to_have_url(re.compile(r"buscar=Abkat"))
    expect(page.locator("#catalogo tbody tr .estatus")).to_have_text("Inactivo")
    assert Cliente.objects.get(descripcion="PEP Activo Abkatún-Pol-Chuc").activo is False

    # Export exactly the filtered list.
    with page.expect_download() as descarga:
        page.get_by_role("link", name="Exportar a Excel").click()
    hoja = load_workbook(BytesIO(descarga.value.path().read_bytes()))["Clientes"]
    filas = list(hoja.iter_rows(min_row=2, values_only=True))
    # Description, kind, the id it had in the previous system (none: made here), active.
    assert [f[1:] for f in filas] == [
        ("PEP Activo Abkatún-Pol-Chuc", "Activo de producción", None, "No")
    ]
    screenshot(page, "recorrido-catalogo")
    assert console_errors == []


def test_the_activity_log_pages_without_counting(page: Page, browser_login, console_errors):
    _datos()
    _usuario("ana", "Administración")
    browser_login("ana", PASSWORD)

    page.goto("/actividad/?por_pagina=25")
    page.get_by_label("Modelo").select_option(label="PTE")
    page.get_by_role("button", name="Filtrar").click()
    filas = page.locator("#actividad tbody tr")
    expect(filas).to_have_count(25)
    primera = filas.first.inner_text()
    page.get_by_role("link", name="Siguiente").click()
    expect(filas).to_have_count(25)
    page.get_by_role("link", name="Siguiente").click()
    expect(filas).to_have_count(10)
    expect(page.get_by_role("link", name="Siguiente")).to_have_count(0)
    page.get_by_role("link", name="Más recientes").click()
    expect(filas.first).to_have_text(primera)
    assert console_errors == []


def test_the_price_book_import_shows_bad_rows_and_a_pue_is_authorised(
    page: Page, browser_login, screenshot, console_errors, tmp_path
):
    datos = _datos()
    _usuario("ana", "Administración")
    browser_login("ana", PASSWORD)
    malo = tmp_path / "malo.xlsx"
    malo.write_bytes(
        xlsx({"C-6": [*TITULOS, ENCABEZADO, ["C-6", "1", "Buzo", "DIA", None, "diez", None]]})
    )
    bueno = tmp_path / "bueno.xlsx"
    bueno.write_bytes(libro_simple(anexo="C-7"))

    page.goto("/precios/")
    page.get_by_role("link", name="Importar libro").click()
    page.get_by_label("Libro de precios o lista de PUE (.xlsx)").set_input_files(malo)
    page.get_by_role("button", name="Ver vista previa").click()
    expect(page.get_by_role("alert")).to_contain_text("No se importó nada.")
    expect(page.locator("#errores-libro tbody tr")).to_have_count(1)
    expect(page.locator("#errores-libro tbody tr")).to_contain_text("C-6")
    screenshot(page, "precios-importar-errores")
    page.get_by_label("Libro de precios o lista de PUE (.xlsx)").set_input_files(bueno)
    # Once sent, the page says it is working (the sending is stopped here to look at it).
    page.evaluate("document.addEventListener('submit', (e) => e.preventDefault())")
    page.get_by_role("button", name="Ver vista previa").click()
    expect(page.get_by_role("status")).to_contain_text("Leyendo el libro… 0 s")
    expect(page.get_by_role("button", name="Ver vista previa")).to_be_disabled()
    expect(page.get_by_role("status")).to_contain_text("Leyendo el libro… 1 s")
    page.goto("/precios/importar/")
    page.get_by_label("Libro de precios o lista de PUE (.xlsx)").set_input_files(bueno)
    page.get_by_role("button", name="Ver vista previa").click()
    expect(page.get_by_role("status")).to_contain_text("Todavía no se guardó nada")
    assert not Concepto.objects.filter(anexo__clave="C-7").exists()
    page.get_by_role("button", name="Confirmar importación").click()
    expect(page.get_by_role("status").filter(has_text="creado")).to_contain_text("2 creados")
    assert Concepto.objects.filter(anexo__clave="C-7").count() == 2

    pue = datos["pue"]
    assert isinstance(pue, Concepto)
    page.goto("/precios/?tipo=extraordinaria")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Autorizar C-10 PUE-1").click()
    expect(page.get_by_role("status")).to_contain_text("autorizado")
    expect(page).to_have_url(re.compile(r"tipo=extraordinaria"))
    pue.refresh_from_db()
    assert pue.estatus == Concepto.Estatus.AUTORIZADO
    # The page answered 422 once (the refused workbook): that is the only console message.
    assert [e for e in console_errors if "422" not in e] == []


def test_the_dashboard_filters_by_client_and_its_counts_keep_the_filter(
    page: Page, browser_login, console_errors
):
    datos = _datos()
    cliente = datos["cliente"]
    assert isinstance(cliente, Cliente)
    _usuario("ana", "Administración")
    browser_login("ana", PASSWORD)

    page.get_by_label("Cliente", exact=True).select_option(label="PEP Activo Cantarell")
    page.get_by_role("button", name="Aplicar").click()
    expect(page).to_have_url(re.compile(rf"cliente={cliente.pk}"))
    vencidas = page.locator("#vencidas tbody tr")
    expect(vencidas).to_have_count(1)
    expect(vencidas).to_contain_text("PTE-2026-0201")
    page.get_by_role("link", name="En proceso: 1").click()
    page.wait_for_url(re.compile(rf"/ptes/\?estatus=2&cliente={cliente.pk}$"))
    expect(page.locator("#ptes tbody tr")).to_have_count(1)
    assert console_errors == []
