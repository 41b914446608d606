"""The activity page: administrators only (the API's permission), filters in the query
string, keyset pages that never count the log, and the Excel export (page and API)."""

from __future__ import annotations

import datetime
import re
from http import HTTPStatus

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from sascop.actividad.models import RegistroActividad
from sascop.core import excel
from sascop.core.tests import exportar

pytestmark = pytest.mark.django_db
URL = "/actividad/"
INICIO = datetime.datetime(2026, 5, 4, 12, 0, tzinfo=datetime.UTC)


@pytest.fixture
def admin(role_client) -> Client:
    return role_client("Administración")


def _registros(n: int, **campos: object) -> list[RegistroActividad]:
    filas = [
        RegistroActividad(
            fecha=INICIO + datetime.timedelta(minutes=i),
            nombre_usuario="ana",
            accion="modificar",
            entidad="pte",
            entidad_id=str(i),
            campo="estatus",
            valor_anterior="1",
            valor_nuevo="2",
            **campos,
        )
        for i in range(n)
    ]
    return RegistroActividad.objects.bulk_create(filas)


def _ids(html: str) -> list[str]:
    # The "Registro" column: entidad_id of each row, in order.
    return re.findall(r"<td >(\d+)</td>\s*<td >estatus</td>", html)


def _enlace(html: str, rel: str) -> str | None:
    found = re.search(rf'<a href="([^"]+)" rel="{rel}">', html)
    return found.group(1).replace("&amp;", "&") if found else None


@pytest.mark.parametrize("rol", ["Consulta", "Ingeniería", "Captura de producción"])
def test_only_administrators_see_the_page(role_client, rol):
    c = role_client(rol)

    assert c.get(URL).status_code == HTTPStatus.FORBIDDEN
    assert c.get("/operaciones/api/actividad/").status_code == HTTPStatus.FORBIDDEN


def test_anonymous_visitors_go_to_the_login_page(client):
    response = client.get(URL)

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"].startswith("/accounts/login/?next=")


def test_pages_go_forward_and_back_by_keyset_without_counting(admin):
    _registros(7)
    primera = admin.get(f"{URL}?entidad=pte&por_pagina=10")
    assert _ids(primera.content.decode()) == ["6", "5", "4", "3", "2", "1", "0"]

    # Same second for two rows: the id breaks the tie, no row is skipped or repeated.
    RegistroActividad.objects.filter(entidad_id="3").update(
        fecha=INICIO + datetime.timedelta(minutes=4)
    )
    vistos: list[str] = []
    url: str | None = f"{URL}?entidad=pte&por_pagina=10"
    # 10 is the smallest page size offered: make more rows so there are several pages.
    _registros(20)
    while url:
        html = admin.get(url).content.decode()
        vistos += _ids(html)
        url = _enlace(html, "next")
    esperados = RegistroActividad.objects.filter(entidad="pte").order_by("-fecha", "-id")
    assert vistos == [r.entidad_id for r in esperados] and len(vistos) == 27

    html = admin.get(f"{URL}?entidad=pte&por_pagina=10").content.decode()
    segunda = admin.get(_enlace(html, "next")).content.decode()
    de_vuelta = admin.get(_enlace(segunda, "prev")).content.decode()
    assert _ids(de_vuelta) == _ids(html)
    assert _enlace(html, "prev") is None and _enlace(de_vuelta, "prev") is None


def test_no_query_counts_the_log(admin):
    _registros(30)

    with CaptureQueriesContext(connection) as queries:
        admin.get(f"{URL}?por_pagina=10")

    log = [q["sql"] for q in queries.captured_queries if "actividad_registroactividad" in q["sql"]]
    assert log and not any("COUNT(" in sql.upper() for sql in log)


def test_queries_are_constant_whatever_the_page_size(admin, assert_same_queries):
    _registros(120)

    admin.get("/api/user/")  # the user row is cached after the first request with Redis
    assert_same_queries(
        lambda: admin.get(f"{URL}?por_pagina=10"),
        lambda: admin.get(f"{URL}?por_pagina=100"),
    )


def test_filters_by_user_model_record_action_and_dates(admin):
    _registros(3)
    RegistroActividad.objects.create(
        fecha=INICIO - datetime.timedelta(days=2),
        nombre_usuario="beto",
        accion="crear",
        entidad="ot",
        entidad_id="77",
    )

    por_modelo = admin.get(f"{URL}?entidad=ot").content.decode()
    por_registro = admin.get(f"{URL}?entidad=pte&entidad_id=1").content.decode()
    por_fecha = admin.get(f"{URL}?desde=2026-05-04&hasta=2026-05-04").content.decode()
    por_accion = admin.get(f"{URL}?accion=crear").content.decode()

    assert "beto" in por_modelo and "<strong>1</strong> registro," in por_modelo
    assert _ids(por_registro) == ["1"]
    assert _ids(por_fecha) == ["2", "1", "0"]
    assert "beto" in por_accion and "<strong>1</strong> registro," in por_accion


def test_a_filter_that_is_not_one_is_reported_and_left_out(admin):
    _registros(2)

    response = admin.get(f"{URL}?desde=ayer&entidad=nada&despues=basura")

    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    assert 'id="id_desde_error"' in html and 'id="id_entidad_error"' in html
    assert _ids(html) == ["1", "0"]


def test_page_and_api_export_the_filtered_log_with_typed_cells(admin):
    _registros(3)
    RegistroActividad.objects.create(nombre_usuario="beto", accion="crear", entidad="ot")

    pagina = exportar.hoja(admin.get(f"{URL}?entidad=pte&exportar=xlsx"), "Actividad")
    api = exportar.hoja(
        admin.get("/operaciones/api/actividad/?entidad=pte&formato=xlsx"), "Actividad"
    )

    for hoja in (pagina, api):
        filas = list(hoja.iter_rows(values_only=True))
        assert filas[0][:4] == ("Id", "Fecha", "Usuario", "Acción")
        assert [f[5] for f in filas[1:]] == ["2", "1", "0"]
        primera = filas[1]
        assert isinstance(primera[0], int)
        local = timezone.localtime(INICIO + datetime.timedelta(minutes=2)).replace(tzinfo=None)
        assert primera[1] == local
        assert primera[3] == "Modificación"


def test_the_export_needs_the_same_permission(role_client):
    c = role_client("Consulta")

    assert c.get(f"{URL}?exportar=xlsx").status_code == HTTPStatus.FORBIDDEN
    assert c.get("/operaciones/api/actividad/?formato=xlsx").status_code == HTTPStatus.FORBIDDEN


def test_the_export_reads_rows_through_one_cursor_never_as_objects(django_assert_num_queries):
    from sascop.actividad import exports
    from sascop.actividad.selectors import actividad_lista

    _registros(5)

    with django_assert_num_queries(1):
        filas = list(exports.filas(actividad_lista({})))

    assert len(filas) == 5 and all(isinstance(f, list) for f in filas)


@pytest.mark.parametrize(
    "path",
    [
        "/operaciones/api/actividad/",
        "/operaciones/api/catalogos/{nombre}/",
        "/operaciones/api/precios/conceptos/",
    ],
)
def test_the_exports_are_documented(client, path):
    document = client.get("/api/schema/", {"format": "json"}).json()
    operation = document["paths"][path]["get"]

    formato = next(p for p in operation["parameters"] if p["name"] == "formato")
    assert formato["schema"] == {"type": "string", "enum": ["json", "xlsx"]}
    assert set(operation["responses"]["200"]["content"]) == {"application/json", excel.XLSX}
