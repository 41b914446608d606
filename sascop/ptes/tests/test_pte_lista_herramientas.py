"""What the generic list gives the PTE list beyond filters and paging: each user's columns
("Configurar tabla"), the page-size choice, long text cut with a tooltip, and bulk actions
(export the ticked rows; change their status or delete them, confirmed, through the
services). And what the generic detail and edit pages read."""

from __future__ import annotations

import re
from html import unescape
from http import HTTPStatus
from io import BytesIO
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from sascop.actividad.models import RegistroActividad
from sascop.catalogos.estatus import EstatusPTE
from sascop.core.api.etags import etag_for
from sascop.core.tests.navegador import csrf_token, page_html
from sascop.ptes.models import PTE, PTEDetalle
from sascop.ptes.tests.factories import PTEFactory

pytestmark = pytest.mark.django_db


def _encabezados(html: str) -> list[str]:
    tabla = html[html.index('<table id="ptes"') :]
    tabla = tabla[: tabla.index("</thead>")]
    celdas = re.findall(r"<th[^>]*>(.*?)</th>", tabla, re.S)
    titulos = [re.sub(r"<[^>]+>", "", t).strip() for t in celdas]
    return [t for t in titulos if t]  # the selection's checkbox has no title


def _versiones(html: str) -> dict[str, str]:
    """The version of each row a confirmation page carries, as a browser sends it back."""
    return {k: unescape(v) for k, v in re.findall(r'name="version-(\d+)" value="([^"]*)"', html)}


def _hoja(libro: Any) -> Any:
    return libro.active


def _post(c: Client, url: str, datos: dict) -> Any:
    return c.post(url, {**datos, "csrfmiddlewaretoken": csrf_token(c)})


# --- Configurar tabla ---------------------------------------------------------------------


def test_each_user_chooses_and_orders_the_columns_of_a_list(viewer, role_client):
    PTEFactory(oficio_pte="A")
    otro = role_client("Consulta")
    assert _encabezados(page_html(viewer.get("/ptes/")))[:3] == ["Oficio", "Descripción", "Cliente"]

    response = _post(
        viewer,
        "/paginas/columnas/ptes/",
        {
            "columna": ["oficio_pte", "tipo", "progreso"],
            "orden-oficio_pte": "2",
            "orden-tipo": "1",
            "orden-progreso": "3",
            "volver": "/ptes/?estatus=2",
        },
    )

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == "/ptes/?estatus=2"
    assert _encabezados(page_html(viewer.get("/ptes/"))) == ["Tipo", "Oficio", "Avance"]
    # The choice is this user's only.
    assert "Cliente" in _encabezados(page_html(otro.get("/ptes/")))
    # The export keeps every column, in its order.
    libro = load_workbook(BytesIO(b"".join(viewer.get("/ptes/?exportar=xlsx").streaming_content)))
    assert _hoja(libro)["A1"].value == "Oficio PTE"

    _post(viewer, "/paginas/columnas/ptes/", {"restablecer": "1", "volver": "/ptes/"})

    assert _encabezados(page_html(viewer.get("/ptes/")))[:3] == ["Oficio", "Descripción", "Cliente"]


def test_the_chooser_page_shows_the_columns_seen_first_and_comes_back_to_the_list(viewer):
    _post(viewer, "/paginas/columnas/ptes/", {"columna": ["estatus", "tipo"], "volver": "/"})

    html = page_html(viewer.get("/ptes/?estatus=2&configurar=1"))

    marcadas = re.findall(r'name="columna" value="(\w+)" id="col-\w+" checked', html)
    assert marcadas == ["estatus", "tipo"]
    assert 'value="oficio_pte" id="col-oficio_pte">' in html  # offered, not shown
    assert '<input type="hidden" name="volver" value="/ptes/?estatus=2">' in html
    assert 'href="/ptes/?estatus=2&amp;configurar=1"' in page_html(viewer.get("/ptes/?estatus=2"))


def test_the_chooser_needs_the_csrf_token_and_goes_back_only_to_this_site(viewer):
    sin_token = viewer.post("/paginas/columnas/ptes/", {"columna": ["tipo"]})
    fuera = _post(
        viewer, "/paginas/columnas/ptes/", {"columna": ["tipo"], "volver": "https://evil.test/"}
    )

    assert sin_token.status_code == HTTPStatus.FORBIDDEN
    assert fuera.status_code == HTTPStatus.FOUND
    assert fuera["Location"] == "/"


def test_unknown_column_names_are_dropped(viewer):
    PTEFactory()
    _post(viewer, "/paginas/columnas/ptes/", {"columna": ["password", "estatus"], "volver": "/"})

    assert _encabezados(page_html(viewer.get("/ptes/"))) == ["Estatus"]


# --- Page size, long text -------------------------------------------------------------------


def test_the_page_size_is_offered_keeping_the_filters(viewer):
    for n in range(12):
        PTEFactory(oficio_pte=f"P{n:02d}", estatus=EstatusPTE.EN_PROCESO)

    html = page_html(viewer.get("/ptes/?estatus=2&por_pagina=10&pagina=2"))

    assert '<span aria-current="true">10</span>' in html
    assert 'href="/ptes/?estatus=2&amp;por_pagina=50"' in html
    assert "página 2 de 2" in html


def test_long_text_is_cut_with_the_whole_of_it_in_a_tooltip(viewer):
    largo = "Inspección submarina de ductos " * 6
    PTEFactory(descripcion_trabajo=largo.strip())

    html = page_html(viewer.get("/ptes/"))

    assert f'<span class="truncar" title="{largo.strip()}">' in html
    assert 'class="largo largo-2"' in html


# --- Bulk actions ----------------------------------------------------------------------------


@pytest.fixture
def tres():
    return [PTEFactory(oficio_pte=f"L{n}", estatus=EstatusPTE.PENDIENTE) for n in range(3)]


def test_the_ticked_rows_are_exported(viewer, tres):
    response = _post(viewer, "/ptes/", {"accion": "exportar", "pk": [tres[0].pk, tres[2].pk]})

    libro = load_workbook(BytesIO(b"".join(response.streaming_content)))
    assert sorted(c.value for c in _hoja(libro)["A"][1:]) == ["L0", "L2"]


def test_consulta_may_only_export(viewer, tres):
    html = page_html(viewer.get("/ptes/"))

    assert '<option value="exportar">' in html
    assert '<option value="eliminar">' not in html
    response = _post(viewer, "/ptes/", {"accion": "eliminar", "pk": [tres[0].pk]})
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert PTE.objects.count() == 3


def test_a_status_change_is_confirmed_then_done_row_by_row_through_the_service(engineer, tres):
    pks = [tres[0].pk, tres[1].pk]
    pedido = {"accion": "estatus", "estatus": EstatusPTE.EN_PROCESO, "pk": pks}

    confirmacion = _post(engineer, "/ptes/?estatus=1", pedido)

    html = page_html(confirmacion)
    assert confirmacion.status_code == HTTPStatus.OK
    assert "¿Cambiar el estatus de 2 PTEs a «En proceso»?" in html
    assert PTE.objects.filter(estatus=EstatusPTE.EN_PROCESO).count() == 0  # nothing yet
    versiones = _versiones(html)
    assert versiones == {str(p.pk): etag_for(p) for p in tres[:2]}

    # Someone else changes the second one meanwhile: it is left alone, and said.
    PTE.objects.filter(pk=tres[1].pk).update(version=9)
    hecho = _post(
        engineer,
        "/ptes/?estatus=1",
        {**pedido, "confirmar": "1", **{f"version-{k}": v for k, v in versiones.items()}},
    )

    assert hecho.status_code == HTTPStatus.FOUND
    assert hecho["Location"] == "/ptes/?estatus=1"
    estatus = dict(PTE.objects.values_list("oficio_pte", "estatus"))
    assert estatus == {"L0": EstatusPTE.EN_PROCESO, "L1": EstatusPTE.PENDIENTE, "L2": 1}
    assert RegistroActividad.objects.filter(entidad_id=str(tres[0].pk), campo="estatus").exists()
    mensajes = page_html(engineer.get("/ptes/"))
    assert "1 PTE actualizadas." in mensajes
    assert "Sin cambios: L1 (cambió desde que lo seleccionaste)." in mensajes


def test_a_bulk_delete_is_confirmed_then_hides_the_rows(engineer, tres):
    pedido = {"accion": "eliminar", "pk": [tres[0].pk, tres[2].pk]}

    html = page_html(_post(engineer, "/ptes/", pedido))
    assert "¿Eliminar 2 PTEs?" in html
    versiones = _versiones(html)
    _post(
        engineer,
        "/ptes/",
        {**pedido, "confirmar": "1", **{f"version-{k}": v for k, v in versiones.items()}},
    )

    assert list(PTE.objects.values_list("oficio_pte", flat=True)) == ["L1"]
    assert PTE.all_objects.count() == 3  # soft delete


def test_a_status_change_needs_a_status(engineer, tres):
    response = _post(engineer, "/ptes/", {"accion": "estatus", "estatus": "", "pk": [tres[0].pk]})

    assert response.status_code == HTTPStatus.FOUND
    assert "Elige el estatus nuevo." in page_html(engineer.get("/ptes/"))


# --- What the detail and edit pages read ------------------------------------------------------


def _tablas(hacer) -> str:
    with CaptureQueriesContext(connection) as consultas:
        assert hacer().status_code == HTTPStatus.OK
    return " ".join(q["sql"] for q in consultas.captured_queries)


def test_opening_a_step_costs_no_second_read_of_the_steps(engineer, assert_same_queries):
    pte = PTEFactory()
    for _ in range(3):
        PTEDetalle.objects.create(
            pte=pte,
            paso=PTEDetalle._meta.get_field("paso").related_model.objects.create(
                descripcion="x", orden=1, tipo_cliente=pte.cliente.tipo
            ),
        )
    paso = pte.detalles.first()
    engineer.get(f"/ptes/{pte.pk}/")  # with Redis, the first read caches the user's copy

    assert_same_queries(
        lambda: engineer.get(f"/ptes/{pte.pk}/"),
        lambda: engineer.get(f"/ptes/{pte.pk}/?editar_paso={paso.pk}"),
    )


def test_the_edit_and_delete_pages_read_the_pte_alone(engineer):
    pte = PTEFactory()

    for url in (f"/ptes/{pte.pk}/editar/", f"/ptes/{pte.pk}/eliminar/"):
        assert "ptes_ptedetalle" not in _tablas(lambda url=url: engineer.get(url))
