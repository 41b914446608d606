"""The web application in a real browser, as a planner uses it: dashboard, filtered list,
a PTE, a step changed in place, a stale edit, the Excel export, logout; every page at phone
and desktop width without sideways scroll, console errors or serious accessibility faults."""

from __future__ import annotations

import datetime
import importlib
import re
from decimal import Decimal
from http import HTTPStatus
from io import BytesIO

import pytest
from django.apps import apps
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission
from openpyxl import load_workbook
from playwright.sync_api import Browser, Page, expect

from sascop.accounts.tests.factories import PASSWORD, UserFactory
from sascop.catalogos.estatus import EstatusPaso
from sascop.catalogos.tests.factories import (
    ClienteFactory,
    PasoFactory,
    ResponsableFactory,
    TipoClienteFactory,
    TipoPTEFactory,
)
from sascop.ots.tests.factories import OTFactory
from sascop.produccion.tests.factories import ProduccionFactory
from sascop.ptes.models import PTE, PTEDetalle
from sascop.ptes.tests.factories import PTEFactory
from tests.browser.conftest import DESKTOP, PHONE, page_wide_scroll

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
# The roles as their migration makes them. An earlier transactional test's flush removes
# them, and `serialized_rollback` cannot bring them back here: while Playwright's loop runs,
# Django hands this thread fresh connection objects, without the saved copy of the data.
ROLES_MIGRATION = importlib.import_module("sascop.accounts.migrations.0002_roles")


def _rol(nombre: str) -> Group:
    grupo, creado = Group.objects.get_or_create(name=nombre)
    if creado:
        for app_config in apps.get_app_configs():  # flushed with the roles
            create_permissions(app_config, verbosity=0)
        lectura = [
            f"{app}.view_{model}"
            for app, models in ROLES_MIGRATION.READ.items()
            for model in models
        ]
        for permiso in {*lectura, *ROLES_MIGRATION.ROLES[nombre]}:
            app_label, codename = permiso.split(".")
            grupo.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )
    return grupo


def _usuario(username: str, rol: str = "Ingeniería", **campos: object) -> None:
    usuario = UserFactory(username=username, **campos)
    usuario.groups.add(_rol(rol))


def _datos():
    """Three PTEs in progress (one with two steps and an OT), one pending, production."""
    tipo = TipoClienteFactory()
    cliente = ClienteFactory(tipo=tipo, descripcion="PEP Activo Cantarell")
    responsable = ResponsableFactory(nombre="Ing. Laura Méndez")
    tipo_pte = TipoPTEFactory(descripcion="Inspección submarina")
    pasos = [
        PasoFactory(tipo_cliente=tipo, orden=1, descripcion="Recepción de solicitud"),
        PasoFactory(tipo_cliente=tipo, orden=2, descripcion="Visita técnica"),
    ]
    comunes = {"cliente": cliente, "responsable_proyecto": responsable, "tipo": tipo_pte}
    pte = PTEFactory(
        oficio_pte="PTE-2026-0101",
        descripcion_trabajo="Inspección de ducto de 36 pulgadas en Akal-C",
        estatus=2,
        fecha_solicitud=datetime.date(2026, 3, 2),
        total_homologado=Decimal("1250000.75"),
        **comunes,
    )
    for paso in pasos:
        PTEDetalle.objects.create(pte=pte, paso=paso)
    PTEFactory(oficio_pte="PTE-2026-0102", estatus=2, **comunes)
    PTEFactory(oficio_pte="PTE-2026-0103", estatus=2, **comunes)
    PTEFactory(oficio_pte="PTE-2026-0104", estatus=1, **comunes)
    ot = OTFactory(pte=pte, cliente=cliente, orden_trabajo="OT-2026-017")
    ProduccionFactory(ot=ot, volumen_produccion=Decimal("125.5"))
    return pte


def _paginas(pte: PTE) -> dict[str, str]:
    return {
        "tablero": "/",
        "ptes": "/ptes/",
        "ptes-filtradas": "/ptes/?estatus=2&orden=oficio_pte",
        "pte": f"/ptes/{pte.pk}/",
        "pte-paso": f"/ptes/{pte.pk}/?editar_paso={pte.detalles.first().pk}",
        "pte-editar": f"/ptes/{pte.pk}/editar/",
        "pte-nueva": "/ptes/nueva/",
        "pte-eliminar": f"/ptes/{pte.pk}/eliminar/",
    }


def test_every_page_fits_a_phone_and_passes_the_checks(
    page: Page, browser_login, screenshot, console_errors, axe
):
    pte = _datos()
    _usuario("ana", first_name="Ana", last_name="Pech")
    page.goto("/accounts/login/")
    for width in (DESKTOP, PHONE):
        page.set_viewport_size(width)
        assert page_wide_scroll(page) == 0
    assert axe(page) == []
    screenshot(page, "login")
    browser_login("ana", PASSWORD)

    for nombre, url in _paginas(pte).items():
        response = page.goto(url)
        assert response is not None and response.status == HTTPStatus.OK, url
        page.wait_for_load_state("networkidle")
        for width in (PHONE, DESKTOP):
            page.set_viewport_size(width)
            assert page_wide_scroll(page) == 0, f"{url} scrolls sideways at {width['width']} px"
            assert axe(page) == [], url
        screenshot(page, nombre)
    assert console_errors == []


def test_a_planner_goes_from_the_dashboard_to_a_step_and_an_export(
    page: Page, browser: Browser, browser_login, screenshot, console_errors, base_url
):
    pte = _datos()
    _usuario("ana", first_name="Ana", last_name="Pech")
    _usuario("beto")
    browser_login("ana", PASSWORD)

    # The dashboard: real charts, and every count leads to the list filtered by it.
    expect(page.get_by_role("heading", name="Tablero", exact=True)).to_be_visible()
    assert page.evaluate(
        "() => Chart.getChart(document.querySelector('[data-grafica=grafica-ptes]')) !== undefined"
    )
    _hover_bar(page, "grafica-ptes", 1)
    assert page.evaluate(
        "() => Chart.getChart(document.querySelector('[data-grafica=grafica-ptes]'))"
        ".tooltip.getActiveElements().map(e => e.index)"
    ) == [1]
    page.get_by_role("link", name="En proceso: 3").click()

    page.wait_for_url(re.compile(r"/ptes/\?estatus=2$"))
    filas = page.locator("#ptes tbody tr")
    expect(filas).to_have_count(3)
    expect(page.get_by_label("En proceso")).to_be_checked()
    screenshot(page, "recorrido-lista-filtrada")

    # Another filter swaps only the table, and the address follows it: a box at once,
    # the text when asked.
    page.evaluate("window.sinRecarga = true")
    page.get_by_label("Pendiente").check()
    expect(filas).to_have_count(4)
    page.get_by_label("Pendiente").uncheck()
    expect(filas).to_have_count(3)
    page.get_by_label("Buscar").fill("36 pulgadas")
    page.get_by_role("button", name="Filtrar").click()
    expect(filas).to_have_count(1)
    expect(page).to_have_url(re.compile(r"buscar=36(%20|\+)pulgadas"))
    assert page.evaluate("window.sinRecarga") is True

    # Sorting swaps the table too.
    page.get_by_role("link", name="Oficio").click()
    expect(page).to_have_url(re.compile(r"orden=oficio_pte"))
    assert page.evaluate("window.sinRecarga") is True

    # Export exactly that list, and open the workbook.
    with page.expect_download() as descarga:
        page.get_by_role("link", name="Exportar a Excel").click()
    hoja = load_workbook(BytesIO(descarga.value.path().read_bytes()))["PTEs"]
    assert [fila[0] for fila in hoja.iter_rows(min_row=2, values_only=True)] == ["PTE-2026-0101"]
    assert hoja["L2"].value == pytest.approx(1250000.75)

    # Open the PTE and change a step in place: no page load.
    page.get_by_role("link", name="PTE-2026-0101").click()
    page.wait_for_url(f"**/ptes/{pte.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"^PTE-2026-0101"))
    expect(page.locator(".filtros")).to_have_count(0)  # a whole page, not swapped into the list
    page.evaluate("window.sinRecarga = true")
    paso = page.locator("tr", has=page.get_by_role("rowheader", name="Recepción de solicitud"))
    paso.get_by_role("link", name="Editar").click()
    formulario = page.locator(".paso-edicion")
    expect(formulario.get_by_label("Estatus")).to_be_focused()
    formulario.get_by_label("Estatus").select_option(label="Completado")
    formulario.get_by_label("Comentario").fill("Solicitud recibida por oficio")
    formulario.get_by_role("button", name="Guardar paso").click()
    expect(paso.locator(".estatus")).to_have_text("Completado")
    expect(page.locator("#progreso-pte")).to_contain_text("50%")
    expect(paso.get_by_role("link", name="Editar")).to_be_focused()
    assert page.evaluate("window.sinRecarga") is True
    detalle = pte.detalles.get(paso__descripcion="Recepción de solicitud")
    assert (detalle.estatus, detalle.comentario) == (
        EstatusPaso.COMPLETADO,
        "Solicitud recibida por oficio",
    )
    screenshot(page, "recorrido-paso-guardado")

    # A stale edit: Beto saves from another browser while Ana's form is open.
    page.get_by_role("link", name="Editar", exact=True).first.click()
    page.wait_for_url(f"**/ptes/{pte.pk}/editar/")
    page.get_by_label("Comentario").fill("Nota de Ana")
    otro = browser.new_context(base_url=base_url, viewport=DESKTOP, locale="es-MX")
    try:
        beto = otro.new_page()
        beto.goto("/accounts/login/")
        beto.get_by_label("Usuario o correo electrónico").fill("beto")
        beto.get_by_label("Contraseña").fill(PASSWORD)
        beto.get_by_role("button", name="Iniciar sesión").click()
        beto.goto(f"/ptes/{pte.pk}/editar/")
        beto.get_by_label("Plazo (días)").fill("45")
        beto.get_by_role("button", name="Guardar cambios").click()
        expect(beto.get_by_role("status")).to_contain_text("guardada")
    finally:
        otro.close()
    page.get_by_role("button", name="Guardar cambios").click()
    expect(page.get_by_role("alert")).to_contain_text("Alguien más guardó cambios")
    expect(page.get_by_label("Comentario")).to_have_value("Nota de Ana")
    expect(page.locator(".campo", has=page.get_by_label("Plazo (días)"))).to_contain_text(
        "Guardado ahora: 45"
    )
    # Only Beto's change is marked; Ana's own comment is hers, not a clash.
    expect(page.locator(".actual")).to_have_count(1)
    pte.refresh_from_db()
    assert (pte.plazo_dias, pte.comentario) == (45, "")
    screenshot(page, "recorrido-edicion-desactualizada")

    # Log out from the user menu.
    page.get_by_text("Ana Pech").click()
    page.get_by_role("button", name="Cerrar sesión").click()
    page.wait_for_url("**/accounts/login/?logout_exitoso=1")
    expect(page.get_by_role("status")).to_contain_text("Cerraste sesión")
    # The page answered 412 once (the stale edit): that is the only console message.
    assert [e for e in console_errors if "412" not in e] == []


def _hover_bar(page: Page, grafica: str, index: int) -> tuple[float, float]:
    lienzo = page.locator(f"[data-grafica={grafica}]")
    caja = lienzo.bounding_box()
    assert caja is not None
    x, y = page.evaluate(
        """([grafica, index]) => {
            const chart = Chart.getChart(document.querySelector(`[data-grafica=${grafica}]`));
            const bar = chart.getDatasetMeta(0).data[index];
            return [bar.x, (bar.y + bar.base) / 2];
        }""",
        [grafica, index],
    )
    page.mouse.move(caja["x"] + x, caja["y"] + y)
    return caja["x"] + x, caja["y"] + y


def test_a_bar_of_the_chart_opens_its_list(page: Page, browser_login):
    _datos()
    _usuario("ana")
    browser_login("ana", PASSWORD)

    x, y = _hover_bar(page, "grafica-ptes", 0)
    page.mouse.click(x, y)

    page.wait_for_url(re.compile(r"/ptes/\?estatus=1$"))
    expect(page.locator("#ptes tbody tr")).to_have_count(1)


def test_consulta_sees_no_edit_controls_and_gets_the_403_page(page: Page, browser_login):
    pte = _datos()
    _usuario("carla", rol="Consulta")
    browser_login("carla", PASSWORD)

    page.goto(f"/ptes/{pte.pk}/")
    expect(page.get_by_role("link", name="Editar")).to_have_count(0)
    response = page.goto(f"/ptes/{pte.pk}/editar/")

    assert response is not None and response.status == HTTPStatus.FORBIDDEN
    expect(page.get_by_role("heading", name="Acceso denegado")).to_be_visible()


def test_the_idle_notice_keeps_the_session_alive(page: Page, browser_login, settings):
    # Five minutes of warning before a timeout 3 s after that: the notice shows at once.
    settings.SESSION_COOKIE_AGE = 303
    settings.SESSION_REFRESH_INTERVAL = 1
    _usuario("ana")
    browser_login("ana", PASSWORD)
    antes = page.request.get("/api/session/").json()["expires_at"]

    aviso = page.get_by_role("alertdialog")
    expect(aviso).to_be_visible()
    expect(aviso).to_contain_text("Tu sesión se cerrará por inactividad")
    expect(aviso.get_by_role("button", name="Seguir conectado")).to_be_focused()
    aviso.get_by_role("button", name="Seguir conectado").click()

    expect(aviso).to_be_hidden()
    assert page.request.get("/api/session/").json()["expires_at"] > antes
