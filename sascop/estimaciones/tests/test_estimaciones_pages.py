from __future__ import annotations

import io
import re
from decimal import Decimal
from http import HTTPStatus

import openpyxl
import pytest

from sascop.core.tests.navegador import csrf_token
from sascop.estimaciones import services
from sascop.estimaciones.models import Estimacion, EventoEstimacion
from sascop.estimaciones.selectors import montos_por_mes
from sascop.estimaciones.tests.conftest import D, firmar
from sascop.ots.tests.factories import OTFactory
from sascop.produccion.tests.factories import ProduccionFactory

pytestmark = pytest.mark.django_db


def _texto(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


@pytest.fixture
def ingeniero(role_client):
    return role_client("Ingeniería")


def _usuario():
    from sascop.accounts.tests.factories import UserFactory

    return UserFactory()


def _estimacion(obra, **datos):
    return services.estimacion_crear(
        usuario=_usuario(), ot_id=obra["ot"].pk, desde=D(2026, 5, 1), hasta=D(2026, 5, 31),
        **datos,
    )  # fmt: skip


def test_the_ots_page_draws_up_an_estimacion(ingeniero, obra):
    url = f"/ots/{obra['ot'].pk}/estimaciones/"
    vacia = ingeniero.get(url)
    assert vacia.status_code == HTTPStatus.OK
    assert "La OT aún no tiene estimaciones." in _texto(vacia)

    hecha = ingeniero.post(
        url,
        {"desde": "2026-05-01", "hasta": "2026-05-31", "oficio": "SUB-9",
         "csrfmiddlewaretoken": csrf_token(ingeniero)},
    )  # fmt: skip

    estimacion = Estimacion.objects.get()
    assert hecha.status_code == HTTPStatus.FOUND
    assert hecha["Location"] == f"/estimaciones/{estimacion.pk}/"
    pagina = _texto(ingeniero.get(hecha["Location"]))
    assert "Estimación E-1 de la OT OT-7/2026" in pagina
    assert "Estimación E-1 elaborada como borrador." in pagina
    assert "Subtotal anexo C-5 $5,452.50 $101.25" in pagina
    assert "TOTAL $5,452.50 MXN $101.25 USD" in pagina
    assert "01/05/2026 al 31/05/2026" in pagina


def test_the_ots_page_says_why_nothing_was_drawn_up(ingeniero, obra):
    response = ingeniero.post(
        f"/ots/{obra['ot'].pk}/estimaciones/",
        {
            "desde": "2026-05-05",
            "hasta": "2026-05-01",
            "csrfmiddlewaretoken": csrf_token(ingeniero),
        },
    )
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "No debe ser anterior al inicio." in _texto(response)
    vacio = ingeniero.post(
        f"/ots/{obra['ot'].pk}/estimaciones/",
        {
            "desde": "2026-05-05",
            "hasta": "2026-05-09",
            "csrfmiddlewaretoken": csrf_token(ingeniero),
        },
    )
    assert "La OT no tiene producción firmada por estimar entre 2026-05-05 y 2026-05-09." in (
        _texto(vacio)
    )
    assert not Estimacion.objects.exists()


def test_readers_see_no_forms_and_cannot_post(viewer, obra):
    estimacion = _estimacion(obra)

    de_la_ot = _texto(viewer.get(f"/ots/{obra['ot'].pk}/estimaciones/"))
    assert "E-1" in de_la_ot and "Elaborar una estimación" not in de_la_ot
    assert "Cambiar estatus" not in _texto(viewer.get(f"/estimaciones/{estimacion.pk}/"))
    post = viewer.post(
        f"/estimaciones/{estimacion.pk}/",
        {"estatus": "PRESENTADA", "csrfmiddlewaretoken": csrf_token(viewer)},
    )
    assert post.status_code == HTTPStatus.FORBIDDEN
    assert Estimacion.objects.get().estatus == "BORRADOR"


def test_the_detail_page_moves_it_on_with_the_version_it_showed(ingeniero, obra):
    estimacion = _estimacion(obra)
    url = f"/estimaciones/{estimacion.pk}/"

    def cambiar(estatus, version, **extra):
        return ingeniero.post(
            url,
            {"estatus": estatus, "version": version, "csrfmiddlewaretoken": csrf_token(ingeniero),
             **extra},
        )  # fmt: skip

    assert cambiar("PRESENTADA", f'"{estimacion.pk}-1"').status_code == HTTPStatus.FOUND
    viejo = cambiar("AUTORIZADA", f'"{estimacion.pk}-1"')
    assert viejo.status_code == HTTPStatus.BAD_REQUEST
    assert "Alguien más cambió esta estimación" in _texto(viejo)
    sin_motivo = cambiar("RECHAZADA", f'"{estimacion.pk}-2"')
    assert "Indica por qué se rechaza la estimación." in _texto(sin_motivo)
    assert (
        cambiar(
            "RECHAZADA", f'"{estimacion.pk}-2"', motivo_rechazo="Generadores incompletos"
        ).status_code
        == HTTPStatus.FOUND
    )

    pagina = _texto(ingeniero.get(url))
    assert "Generadores incompletos" in pagina
    assert "Borrador → Presentada" in pagina and "Presentada → Rechazada" in pagina
    assert "Cambiar estatus" not in pagina  # nothing follows a rejection
    assert list(EventoEstimacion.objects.values_list("estatus", flat=True)) == [
        "BORRADOR", "PRESENTADA", "RECHAZADA",
    ]  # fmt: skip


def test_the_list_filters_by_state_client_and_month_and_exports(viewer, obra):
    mayo = _estimacion(obra)
    otra = OTFactory(orden_trabajo="OT-8/2026")
    from sascop.precios.tests.factories import linea_de

    ProduccionFactory(ot=otra, partida_anexo=linea_de(otra), fecha_produccion=D(2026, 6, 1))
    firmar(otra, D(2026, 6, 1))
    junio = services.estimacion_crear(
        usuario=_usuario(), ot_id=otra.pk, desde=D(2026, 6, 1), hasta=D(2026, 6, 30)
    )
    services.estimacion_actualizar(
        usuario=_usuario(), estimacion_id=junio.pk, datos={"estatus": "PRESENTADA"}
    )

    todas = _texto(viewer.get("/estimaciones/"))
    assert "2 estimaciones" in todas
    assert "OT-7/2026" in todas and "OT-8/2026" in todas
    presentadas = _texto(viewer.get("/estimaciones/?estatus=PRESENTADA"))
    assert "1 estimación" in presentadas and "OT-8/2026" in presentadas
    assert "OT-7/2026" not in presentadas.split("Exportar")[-1]
    assert "OT-7/2026" in _texto(viewer.get("/estimaciones/?mes=2026-05"))
    del_cliente = _texto(viewer.get(f"/estimaciones/?cliente={otra.cliente_id}"))
    assert "1 estimación" in del_cliente

    libro = viewer.get("/estimaciones/?estatus=BORRADOR&exportar=xlsx")
    hoja = openpyxl.load_workbook(io.BytesIO(b"".join(libro.streaming_content))).active
    filas = list(hoja.iter_rows(values_only=True))
    assert len(filas) == 2 and filas[1][1] == "OT-7/2026" and filas[1][7] == 5452.5
    assert mayo.pk


def test_the_downloads_of_the_pages(viewer, obra):
    estimacion = _estimacion(obra)

    excel = viewer.get(f"/estimaciones/{estimacion.pk}/excel/")
    pdf = viewer.get(f"/estimaciones/{estimacion.pk}/pdf/")

    assert excel.status_code == pdf.status_code == HTTPStatus.OK
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert viewer.get("/estimaciones/999999/").status_code == HTTPStatus.NOT_FOUND


def test_the_list_costs_the_same_queries_for_few_or_many(viewer, obra, assert_same_queries):
    _estimacion(obra)
    for _ in range(5):
        otra = OTFactory()
        from sascop.precios.tests.factories import linea_de

        ProduccionFactory(ot=otra, partida_anexo=linea_de(otra), fecha_produccion=D(2026, 5, 2))
        firmar(otra, D(2026, 5, 2))
        services.estimacion_crear(
            usuario=_usuario(), ot_id=otra.pk, desde=D(2026, 5, 1), hasta=D(2026, 5, 31)
        )

    viewer.get("/api/user/")  # the first read copies the user to Redis, when it is there
    assert_same_queries(
        lambda: viewer.get("/estimaciones/?por_pagina=10&estatus=BORRADOR&mes=2026-04"),
        lambda: viewer.get("/estimaciones/?por_pagina=10"),
    )


def test_the_dashboard_shows_executed_claimed_and_authorised_by_month(viewer, obra):
    presentada = _estimacion(obra)
    services.estimacion_actualizar(
        usuario=_usuario(), estimacion_id=presentada.pk, datos={"estatus": "PRESENTADA"}
    )
    services.estimacion_actualizar(
        usuario=_usuario(), estimacion_id=presentada.pk, datos={"estatus": "AUTORIZADA"}
    )
    firmar(obra["ot"], D(2026, 5, 5))
    _estimacion(obra)  # a draft claims nothing

    # Executed: every row at its line's P.U. (signed or not): 9 JOR at 1,000.50, 1.5 DIA at
    # 300.00 and 1 DIA at 50.00.
    assert montos_por_mes(desde=D(2026, 1, 1)) == [
        {
            "mes": "2026-05",
            "ejecutado_mn": Decimal("9504.50"),
            "estimado_mn": Decimal("5452.50"),
            "autorizado_mn": Decimal("5452.50"),
        }
    ]
    assert montos_por_mes(desde=D(2026, 6, 1)) == []
    tablero = viewer.get("/?desde=2026-05-01&hasta=2026-05-31")
    texto = _texto(tablero)
    assert "Ejecutado, estimado y autorizado por mes (M.N.)" in texto
    assert "may 2026 $9,504.50 $5,452.50 $5,452.50" in texto
    assert 'id="grafica-estimaciones"' in tablero.content.decode()


def test_the_ots_page_leads_to_its_estimaciones(viewer, role_client, obra):
    html = viewer.get(f"/ots/{obra['ot'].pk}/").content.decode()
    assert f'href="/ots/{obra["ot"].pk}/estimaciones/"' in html

    from django.contrib.auth.models import Group, Permission

    Group.objects.get(name="Consulta").permissions.remove(
        Permission.objects.get(codename="view_estimacion")
    )
    sin_permiso = role_client("Consulta").get(f"/ots/{obra['ot'].pk}/")
    assert sin_permiso.status_code == HTTPStatus.OK
    assert "/estimaciones/" not in sin_permiso.content.decode()


def test_the_detail_page_costs_the_same_queries_however_many_lines(
    ingeniero, obra, assert_same_queries
):
    pocas = services.estimacion_crear(
        usuario=_usuario(), ot_id=obra["ot"].pk, desde=D(2026, 5, 4), hasta=D(2026, 5, 4)
    )
    muchas = _estimacion(obra)
    services.estimacion_actualizar(
        usuario=_usuario(), estimacion_id=pocas.pk, datos={"estatus": "PRESENTADA"}
    )
    assert muchas.partidas.count() == 2 and pocas.partidas.count() == 1

    ingeniero.get("/api/user/")  # the first read copies the user to Redis, when it is there
    assert_same_queries(
        lambda: ingeniero.get(f"/estimaciones/{pocas.pk}/"),
        lambda: ingeniero.get(f"/estimaciones/{muchas.pk}/"),
    )
    from sascop.precios.tests.factories import linea_de

    otra = OTFactory()
    ProduccionFactory(ot=otra, partida_anexo=linea_de(otra), fecha_produccion=D(2026, 5, 2))
    firmar(otra, D(2026, 5, 2))
    services.estimacion_crear(
        usuario=_usuario(), ot_id=otra.pk, desde=D(2026, 5, 1), hasta=D(2026, 5, 31)
    )
    assert_same_queries(
        lambda: ingeniero.get(f"/ots/{otra.pk}/estimaciones/"),
        lambda: ingeniero.get(f"/ots/{obra['ot'].pk}/estimaciones/"),
    )
