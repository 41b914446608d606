"""The OT pages in a real browser, as a project engineer uses them: the filtered OT list, an
OT, a step changed in place, the OT's Anexo C with a workbook that has one bad row; and
every OT page at phone and desktop width without sideways scroll, console errors or
serious accessibility faults."""

from __future__ import annotations

import datetime
import importlib
import io
import re
from decimal import Decimal
from http import HTTPStatus
from typing import Any

import openpyxl
import pytest
from django.apps import apps
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission
from playwright.sync_api import Page, expect

from sascop.accounts.tests.factories import PASSWORD, UserFactory
from sascop.catalogos.estatus import EstatusOT, EstatusPaso
from sascop.catalogos.tests.factories import (
    ClienteFactory,
    PasoFactory,
    PasoOtFactory,
    ResponsableFactory,
    SitioFactory,
)
from sascop.ots.models import OT, OTDetalle
from sascop.ots.tests.factories import OTFactory
from sascop.precios import services as precios
from sascop.precios.models import TipoCambio
from sascop.precios.tests.factories import AnexoFactory, ConceptoFactory
from sascop.produccion.tests.factories import ProduccionFactory
from sascop.ptes.models import PTEDetalle
from sascop.ptes.tests.factories import PTEFactory
from tests.browser.conftest import DESKTOP, PHONE, page_wide_scroll

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
# The roles as their migrations make them (see test_pages.py: a flush removes them).
ROLES = importlib.import_module("sascop.accounts.migrations.0002_roles")
ROLES_PRECIOS = importlib.import_module("sascop.precios.migrations.0004_anexo_ot_roles")
ENCABEZADO = ["ANEXO", "PARTIDA", "CONCEPTO", "UNIDAD", "VOLUMEN PTE"]


def _rol(nombre: str) -> Group:
    grupo, creado = Group.objects.get_or_create(name=nombre)
    if creado:
        for app_config in apps.get_app_configs():
            create_permissions(app_config, verbosity=0)
        lectura = [f"{app}.view_{model}" for app, models in ROLES.READ.items() for model in models]
        precios_ = [f"precios.{codigo}" for codigo in ROLES_PRECIOS.ROLES[nombre]]
        for permiso in {*lectura, *ROLES.ROLES[nombre], *precios_}:
            app_label, codename = permiso.split(".")
            grupo.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )
    return grupo


def _usuario(username: str, rol: str = "Ingeniería") -> None:
    UserFactory(username=username, first_name="Iván", last_name="Cruz").groups.add(_rol(rol))


def _libro(*filas: list[object]) -> bytes:
    libro = openpyxl.Workbook()
    hoja = libro.active
    assert hoja is not None
    hoja.title = "Anexo OT"
    todas: list[list[Any]] = [["ANEXO C DE LA ORDEN"], [], ENCABEZADO, *filas]
    for fila in todas:
        hoja.append(fila)
    salida = io.BytesIO()
    libro.save(salida)
    return salida.getvalue()


BUENO = [
    ["C-5", "2.1", "Tubería de acero al carbón de 8 pulgadas", "DIA", 10],
    ["C-5", "3", "Buzo de saturación", "HOM/DIA", 4],
]
MALO = ["C-5", "9.9", "Concepto que no existe en el catálogo", "DIA", 1]


def _datos() -> dict[str, Any]:
    """Two OTs in execution (one with steps, production, an anexo and a re-programming), one
    assigned, and a PTE ready for its OT."""
    cliente = ClienteFactory(descripcion="PEP Activo Cantarell")
    responsable = ResponsableFactory(nombre="Ing. Laura Méndez")
    sitio = SitioFactory(descripcion="Akal-C")
    comunes = {
        "cliente": cliente,
        "responsable_proyecto": responsable,
        "sitio": sitio,
        "frente": sitio.frente,
    }
    pasos = [
        PasoOtFactory(orden=1, descripcion="Kick-off con el cliente"),
        PasoOtFactory(orden=2, descripcion="Movilización de embarcación"),
    ]
    hoy = datetime.date.today()
    ot = OTFactory(
        orden_trabajo="OT-2026-017",
        oficio_ot="PEP-OF-2026-017",
        descripcion_trabajo="Inspección submarina de ducto de 36 pulgadas en Akal-C",
        estatus=EstatusOT.EN_EJECUCION,
        fecha_inicio_programado=hoy - datetime.timedelta(days=10),
        fecha_termino_programado=hoy + datetime.timedelta(days=20),
        fecha_inicio_real=hoy - datetime.timedelta(days=8),
        monto_mxn=Decimal("12500000.75"),
        monto_usd=Decimal("350000"),
        pte=PTEFactory(oficio_pte="PTE-2026-0101", cliente=cliente),
        **comunes,
    )
    for paso in pasos:
        OTDetalle.objects.create(ot=ot, paso=paso)
    OTFactory(orden_trabajo="OT-2026-018", estatus=EstatusOT.EN_EJECUCION, **comunes)
    OTFactory(orden_trabajo="OT-2026-019", estatus=EstatusOT.ASIGNADA, **comunes)
    OTFactory(
        orden_trabajo="OT-2026-017",
        ot_principal=ot,
        num_reprogramacion=1,
        estatus=EstatusOT.ASIGNADA,
        **comunes,
    )
    ProduccionFactory(ot=ot, volumen_produccion=Decimal("125.5"))
    c5 = AnexoFactory(clave="C-5")
    ConceptoFactory(
        anexo=c5,
        partida="2.1",
        concepto="Tubería de acero al carbón de 8 pulgadas",
        unidad="DIA",
        pu_mn=Decimal("12345.50"),
    )
    ConceptoFactory(
        anexo=c5,
        partida="3",
        concepto="Buzo de saturación",
        unidad="HOM/DIA",
        pu_mn=Decimal("0"),
        pu_usd=Decimal("950.25"),
    )
    TipoCambio.objects.create(fecha=datetime.date(2026, 1, 1), valor=Decimal("19.1648"))
    pte = PTEFactory(oficio_pte="PTE-2026-0150", cliente=cliente, responsable_proyecto=responsable)
    PTEDetalle.objects.create(
        pte=pte, paso=PasoFactory(tipo_cliente=cliente.tipo), estatus=EstatusPaso.COMPLETADO
    )
    return {"ot": ot, "pte": pte}


def _paginas(ot: OT, pte_id: int) -> dict[str, str]:
    return {
        "ots": "/ots/",
        "ots-filtradas": f"/ots/?estatus=8&cliente={ot.cliente_id}&orden=orden_trabajo",
        "ot": f"/ots/{ot.pk}/",
        "ot-paso": f"/ots/{ot.pk}/?editar_paso={ot.detalles.first().pk}",
        "ot-editar": f"/ots/{ot.pk}/editar/",
        "ot-nueva": "/ots/nueva/",
        "ot-nueva-de-pte": f"/ots/nueva/?pte={pte_id}",
        "ot-eliminar": f"/ots/{ot.pk}/eliminar/",
        "ot-anexo": f"/ots/{ot.pk}/anexo/",
    }


def test_every_ot_page_fits_a_phone_and_passes_the_checks(
    page: Page, browser_login, screenshot, console_errors, axe
):
    datos = _datos()
    ot = datos["ot"]
    precios.anexo_importar(
        usuario=None, ot_id=ot.pk, archivo=io.BytesIO(_libro(*BUENO)), nombre_archivo="a.xlsx"
    )
    _usuario("ivan")
    browser_login("ivan", PASSWORD)

    for nombre, url in _paginas(ot, datos["pte"].pk).items():
        response = page.goto(url)
        assert response is not None and response.status == HTTPStatus.OK, url
        page.wait_for_load_state("networkidle")
        for width in (PHONE, DESKTOP):
            page.set_viewport_size(width)
            assert page_wide_scroll(page) == 0, f"{url} scrolls sideways at {width['width']} px"
            assert axe(page) == [], url
        screenshot(page, nombre)
    assert console_errors == []


def test_an_engineer_filters_opens_an_ot_changes_a_step_and_uploads_its_anexo(
    page: Page, browser_login, screenshot, console_errors, axe, tmp_path
):
    datos = _datos()
    ot = datos["ot"]
    _usuario("ivan")
    browser_login("ivan", PASSWORD)

    # The bar's OTs link opens the list; a filter swaps only the table.
    page.get_by_role("navigation", name="Principal").get_by_role("link", name="OTs").click()
    page.wait_for_url("**/ots/")
    filas = page.locator("#ots tbody tr")
    expect(filas).to_have_count(4)
    page.evaluate("window.sinRecarga = true")
    page.get_by_label("En ejecución").check()
    expect(filas).to_have_count(2)
    expect(page).to_have_url(re.compile(r"estatus=8"))
    page.get_by_label("Buscar").fill("36 pulgadas")
    page.get_by_role("button", name="Filtrar").click()
    expect(filas).to_have_count(1)
    assert page.evaluate("window.sinRecarga") is True
    screenshot(page, "recorrido-ots-filtradas")

    # Open the OT: programmed against actual dates, amounts, its PTE, its re-programming.
    page.get_by_role("link", name="OT-2026-017").click()
    page.wait_for_url(f"**/ots/{ot.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"^OT OT-2026-017"))
    # Its production made it an anexo: the anexo's total is the amount, the one typed is
    # shown beside it, and the page warns that they differ.
    expect(page.get_by_text("$12,500,000.75 MXN", exact=True)).to_be_visible()
    expect(page.locator("#aviso-monto")).to_contain_text("el monto capturado es $12,500,000.75 MXN")
    expect(page.get_by_role("link", name="PTE-2026-0101")).to_be_visible()
    expect(page.get_by_role("link", name="OT-2026-017 R1")).to_be_visible()

    # Change a step in place: no page load, the OT's progress follows.
    page.evaluate("window.sinRecarga = true")
    antes = page.locator("#progreso-ot span").inner_text()
    paso = page.locator("tr", has=page.get_by_role("rowheader", name="Kick-off con el cliente"))
    paso.get_by_role("link", name="Editar").click()
    formulario = page.locator(".paso-edicion")
    expect(formulario.get_by_label("Estatus")).to_be_focused()
    formulario.get_by_label("Estatus").select_option(label="Completado")
    formulario.get_by_label("Comentario").fill("Reunión de arranque hecha")
    formulario.get_by_role("button", name="Guardar paso").click()
    expect(paso.locator(".estatus")).to_have_text("Completado")
    expect(page.locator("#progreso-ot span")).not_to_have_text(antes)
    assert page.evaluate("window.sinRecarga") is True
    detalle = ot.detalles.get(paso__descripcion="Kick-off con el cliente")
    assert (detalle.estatus, detalle.comentario) == (
        EstatusPaso.COMPLETADO,
        "Reunión de arranque hecha",
    )
    screenshot(page, "recorrido-ot-paso-guardado")

    # The OT's Anexo C: a workbook with one bad row is refused, row by row.
    page.get_by_role("link", name="Anexo C", exact=True).click()
    page.wait_for_url(f"**/ots/{ot.pk}/anexo/")
    archivo = tmp_path / "anexo-con-error.xlsx"
    archivo.write_bytes(_libro(*BUENO, MALO))
    page.get_by_label("Libro de Excel (.xlsx)").set_input_files(archivo)
    page.get_by_role("button", name="Subir anexo").click()
    expect(page.get_by_role("alert")).to_contain_text("no se importó nada")
    errores = page.get_by_role("region", name="Tabla de renglones con errores")
    expect(errores.locator("tbody tr")).to_have_count(1)
    expect(errores).to_contain_text("9.9")
    expect(errores).to_contain_text("no está en el catálogo de precios")
    with page.expect_download() as descarga:
        page.get_by_role("link", name="Descargar el libro con la columna OBSERVACIONES").click()
    hoja = openpyxl.load_workbook(io.BytesIO(descarga.value.path().read_bytes())).worksheets[0]
    assert "OBSERVACIONES" in [c.value for c in hoja[3]]
    for width in (PHONE, DESKTOP):
        page.set_viewport_size(width)
        assert page_wide_scroll(page) == 0
        assert axe(page) == []
    screenshot(page, "recorrido-anexo-con-error")

    # The corrected workbook becomes version 2 (the production made an anexo), with its totals.
    archivo.write_bytes(_libro(*BUENO))
    page.get_by_label("Libro de Excel (.xlsx)").set_input_files(archivo)
    page.get_by_role("button", name="Subir anexo").click()
    expect(page.get_by_role("status")).to_contain_text("Anexo versión 2 importado: 2 partidas")
    expect(page.get_by_role("heading", name="Versión 2 (vigente)")).to_be_visible()
    expect(page.get_by_text("$123,455.00 MXN", exact=True)).to_be_visible()
    screenshot(page, "recorrido-anexo")
    # The page answered 422 once (the refused workbook): that is the only console message.
    assert [e for e in console_errors if "422" not in e] == []


def test_crear_ot_from_a_pte_lands_on_the_new_ot(page: Page, browser_login):
    datos = _datos()
    _usuario("ivan")
    browser_login("ivan", PASSWORD)

    page.goto(f"/ptes/{datos['pte'].pk}/")
    page.get_by_role("link", name="Crear OT").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nueva OT de la PTE PTE-2026-0150")
    page.get_by_label("Orden de trabajo").fill("OT-2026-150")
    page.get_by_role("button", name="Crear OT").click()

    expect(page.get_by_role("status")).to_contain_text("OT OT-2026-150 creada.")
    expect(page.get_by_role("link", name="PTE-2026-0150")).to_be_visible()
    # The PTE has its OT now: asking again says why not.
    page.goto(f"/ots/nueva/?pte={datos['pte'].pk}")
    expect(page.get_by_role("alert")).to_contain_text("ya tiene la OT OT-2026-150")
