"""Guard cycles: two superintendents take turns at a site, 14 days on and 14 off, from the
cycle's start date; the calendar API; the cycles administered as catalogs."""

from __future__ import annotations

import datetime
from http import HTTPStatus
from io import BytesIO
from unittest.mock import ANY

import pytest
from django.test import Client
from openpyxl import load_workbook

from sascop.accounts.tests.factories import UserFactory
from sascop.catalogos import guardias
from sascop.catalogos.models import CicloGuardia
from sascop.catalogos.tests.factories import (
    CicloGuardiaFactory,
    SitioFactory,
    SuperintendenteFactory,
)
from tests.envelope import assert_error

pytestmark = pytest.mark.django_db


def _quien(sitio_id: int, dia: datetime.date) -> str | None:
    persona = guardias.calendario(sitio_id=sitio_id, anio=dia.year, mes=dia.month)[dia.day]
    return persona.nombre if persona else None


def test_fourteen_days_on_and_fourteen_off_across_month_and_year_ends():
    a = SuperintendenteFactory(nombre="Alberto")
    b = SuperintendenteFactory(nombre="Beatriz")
    # Starts on 20 Nov 2026: A to 3 Dec, B 4-17 Dec, A 18-31 Dec, B 1-14 Jan 2027, A from 15 Jan.
    ciclo = CicloGuardiaFactory(
        superintendente_a=a, superintendente_b=b, fecha_inicio=datetime.date(2026, 11, 20)
    )
    inicio = ciclo.fecha_inicio
    esperado = {}
    for n in range(-3, 120):
        dia = inicio + datetime.timedelta(days=n)
        esperado[dia] = None if n < 0 else ("Alberto" if (n // 14) % 2 == 0 else "Beatriz")

    vistos = {dia: _quien(ciclo.sitio_id, dia) for dia in esperado}

    assert vistos == esperado
    assert vistos[datetime.date(2026, 11, 19)] is None
    assert vistos[datetime.date(2026, 12, 3)] == "Alberto"  # day 14 of the cycle
    assert vistos[datetime.date(2026, 12, 4)] == "Beatriz"  # day 15: B takes over
    assert vistos[datetime.date(2026, 12, 31)] == "Alberto"
    assert vistos[datetime.date(2027, 1, 1)] == "Beatriz"  # across the year's end
    assert vistos[datetime.date(2027, 1, 14)] == "Beatriz"
    assert vistos[datetime.date(2027, 1, 15)] == "Alberto"
    # February 2027 (28 days) and the leap February 2028 keep the rhythm.
    assert _quien(ciclo.sitio_id, datetime.date(2027, 2, 28)) == "Beatriz"
    assert _quien(ciclo.sitio_id, datetime.date(2028, 2, 29)) == "Beatriz"  # day 467: turn 34


def test_changing_the_start_date_recomputes_the_calendar():
    ciclo = CicloGuardiaFactory(fecha_inicio=datetime.date(2026, 3, 1))
    antes = guardias.calendario(sitio_id=ciclo.sitio_id, anio=2026, mes=3)
    assert antes[1] == ciclo.superintendente_a and antes[15] == ciclo.superintendente_b

    ciclo.fecha_inicio = datetime.date(2026, 3, 8)
    ciclo.save()
    despues = guardias.calendario(sitio_id=ciclo.sitio_id, anio=2026, mes=3)

    assert despues[1] is None and despues[7] is None
    assert despues[8] == ciclo.superintendente_a and despues[21] == ciclo.superintendente_a
    assert despues[22] == ciclo.superintendente_b


def test_a_later_cycle_takes_over_from_its_start_and_inactive_ones_count_for_nothing():
    primero = CicloGuardiaFactory(fecha_inicio=datetime.date(2026, 1, 1))
    nuevo_a = SuperintendenteFactory()
    CicloGuardiaFactory(
        sitio=primero.sitio,
        superintendente_a=nuevo_a,
        superintendente_b=primero.superintendente_a,
        fecha_inicio=datetime.date(2026, 3, 10),
    )
    CicloGuardiaFactory(sitio=primero.sitio, fecha_inicio=datetime.date(2026, 3, 20), activo=False)

    dias = guardias.calendario(sitio_id=primero.sitio_id, anio=2026, mes=3)

    # 1 Jan + 56 days = 26 Feb: A again until 11 Mar, but the new cycle starts on the 10th.
    assert dias[9] == primero.superintendente_a
    assert all(dias[n] == nuevo_a for n in range(10, 24))
    assert dias[24] == primero.superintendente_a


def test_the_calendar_is_one_query(django_assert_num_queries):
    ciclo = CicloGuardiaFactory()
    CicloGuardiaFactory(sitio=ciclo.sitio, fecha_inicio=datetime.date(2026, 2, 1))

    with django_assert_num_queries(1):
        guardias.calendario(sitio_id=ciclo.sitio_id, anio=2026, mes=2)


def test_the_api_gives_who_is_on_duty_each_day(viewer):
    a = SuperintendenteFactory(nombre="Alberto", color=1)
    b = SuperintendenteFactory(nombre="Beatriz", color=2)
    ciclo = CicloGuardiaFactory(
        superintendente_a=a, superintendente_b=b, fecha_inicio=datetime.date(2026, 1, 20)
    )

    response = viewer.get(f"/operaciones/api/sitios/{ciclo.sitio_id}/guardias/?anio=2026&mes=2")

    assert response.status_code == HTTPStatus.OK
    alberto = {"id": a.pk, "nombre": "Alberto", "color": 1}
    beatriz = {"id": b.pk, "nombre": "Beatriz", "color": 2}
    # 20 Jan + 14 = 3 Feb (B), + 28 = 17 Feb (A).
    dias = {str(n): alberto for n in range(1, 3)}
    dias.update({str(n): beatriz for n in range(3, 17)})
    dias.update({str(n): alberto for n in range(17, 29)})
    assert response.json() == {
        "sitio": ciclo.sitio_id,
        "sitio_descripcion": ciclo.sitio.descripcion,
        "anio": 2026,
        "mes": 2,
        "dias": dias,
    }


def test_days_before_any_cycle_are_null(viewer):
    sitio = SitioFactory()

    response = viewer.get(f"/operaciones/api/sitios/{sitio.pk}/guardias/?anio=2026&mes=4")

    assert response.json() == {
        "sitio": sitio.pk,
        "sitio_descripcion": ANY,
        "anio": 2026,
        "mes": 4,
        "dias": {str(n): None for n in range(1, 31)},
    }


def test_the_api_refuses_a_bad_month_an_unknown_site_and_users_without_the_permission(
    viewer, client, role_client
):
    sitio = SitioFactory()
    url = f"/operaciones/api/sitios/{sitio.pk}/guardias/"

    assert_error(viewer.get(f"{url}?anio=2026&mes=13"), HTTPStatus.BAD_REQUEST, "invalid")
    assert_error(viewer.get(f"{url}?anio=2026"), HTTPStatus.BAD_REQUEST, "invalid")
    assert_error(
        viewer.get("/operaciones/api/sitios/999999/guardias/?anio=2026&mes=1"),
        HTTPStatus.NOT_FOUND,
        "not_found",
    )
    assert_error(client.get(f"{url}?anio=2026&mes=1"), HTTPStatus.UNAUTHORIZED, "not_authenticated")


def test_a_user_without_a_role_gets_403(json_login):
    sin_rol = UserFactory()
    c = Client(enforce_csrf_checks=True)
    json_login(sin_rol.username, c=c)
    sitio = SitioFactory()

    response = c.get(f"/operaciones/api/sitios/{sitio.pk}/guardias/?anio=2026&mes=1")

    assert_error(response, HTTPStatus.FORBIDDEN, "permission_denied")


def test_cycles_are_administered_on_the_catalog_pages(role_client):
    admin = role_client("Administración")
    sitio = SitioFactory(descripcion="Akal-C")
    a = SuperintendenteFactory(nombre="Alberto")
    b = SuperintendenteFactory(nombre="Beatriz")
    token = admin.cookies["csrftoken"].value

    form = admin.get("/catalogos/guardias/nueva/").content.decode()
    response = admin.post(
        "/catalogos/guardias/nueva/",
        {
            "sitio": sitio.pk,
            "superintendente_a": a.pk,
            "superintendente_b": b.pk,
            "fecha_inicio": "2026-12-01",
            "csrfmiddlewaretoken": token,
        },
    )

    assert 'type="date" name="fecha_inicio"' in form
    assert response.status_code == HTTPStatus.FOUND, response.content.decode()[:2000]
    ciclo = CicloGuardia.objects.get(sitio=sitio)
    assert ciclo.fecha_inicio == datetime.date(2026, 12, 1)
    lista = admin.get("/catalogos/guardias/").content.decode()
    assert "Akal-C" in lista and "Alberto" in lista and "01/12/2026" in lista
    libro = admin.get("/catalogos/guardias/?exportar=xlsx")
    hoja = load_workbook(BytesIO(b"".join(libro.streaming_content))).active
    filas = list(hoja.iter_rows(values_only=True))
    assert filas[0][:5] == (
        "Id",
        "Sitio",
        "Superintendente A",
        "Superintendente B",
        "Fecha de inicio",
    )
    assert filas[1][1:5] == ("Akal-C", "Alberto", "Beatriz", datetime.datetime(2026, 12, 1))


def test_a_cycle_needs_two_different_superintendents(role_client):
    admin = role_client("Administración")
    sitio = SitioFactory()
    a = SuperintendenteFactory()

    response = admin.post(
        "/catalogos/guardias/nueva/",
        {
            "sitio": sitio.pk,
            "superintendente_a": a.pk,
            "superintendente_b": a.pk,
            "fecha_inicio": "2026-12-01",
            "csrfmiddlewaretoken": admin.cookies["csrftoken"].value,
        },
    )

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "deben ser distintos" in response.content.decode()
    assert not CicloGuardia.objects.exists()


@pytest.mark.parametrize("rol", ["Consulta", "Captura de producción", "Ingeniería"])
def test_every_role_reads_the_calendar_but_only_administrators_edit_cycles(role_client, rol):
    c = role_client(rol)
    ciclo = CicloGuardiaFactory()

    api = c.get(f"/operaciones/api/sitios/{ciclo.sitio_id}/guardias/?anio=2026&mes=1")

    assert api.status_code == HTTPStatus.OK
    assert c.get("/catalogos/guardias/").status_code == HTTPStatus.FORBIDDEN


def test_the_answer_is_the_one_the_openapi_document_gives(client, viewer):
    from sascop.core.tests.test_openapi_document import assert_documented

    ciclo = CicloGuardiaFactory(fecha_inicio=datetime.date(2026, 1, 10))
    document = client.get("/api/schema/", {"format": "json"}).json()

    response = viewer.get(f"/operaciones/api/sitios/{ciclo.sitio_id}/guardias/?anio=2026&mes=1")

    assert response.json()["dias"]["1"] is None and response.json()["dias"]["10"] is not None
    assert_documented(document, "GET", "/operaciones/api/sitios/{sitio_id}/guardias/", response)
    operation = document["paths"]["/operaciones/api/sitios/{sitio_id}/guardias/"]["get"]
    assert {"200", "400", "401", "403", "404"} <= set(operation["responses"])
    assert [p["name"] for p in operation["parameters"] if p["in"] == "query"] == ["anio", "mes"]
