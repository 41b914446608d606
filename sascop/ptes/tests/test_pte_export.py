"""The PTE list as an Excel workbook: from the page ("Exportar a Excel") and from the API
(`?formato=xlsx`), exactly the filtered rows in the list's order."""

from __future__ import annotations

import datetime
from decimal import Decimal
from http import HTTPStatus

import pytest

from sascop.catalogos.estatus import EstatusPaso
from sascop.catalogos.tests.factories import ClienteFactory, PasoFactory
from sascop.core.tests import exportar
from sascop.ptes import exports, selectors
from sascop.ptes.models import PTEDetalle
from sascop.ptes.tests.factories import PTEFactory

pytestmark = pytest.mark.django_db
API = "/operaciones/api/ptes/"


@pytest.fixture
def ptes():
    cliente = ClienteFactory(descripcion="PEP Cantarell")
    a = PTEFactory(
        oficio_pte="A",
        estatus=2,
        cliente=cliente,
        fecha_solicitud=datetime.date(2026, 3, 2),
        total_homologado=Decimal("1234567.89"),
        prioridad=1,
    )
    paso = PasoFactory(tipo_cliente=cliente.tipo)
    PTEDetalle.objects.create(pte=a, paso=paso, estatus=EstatusPaso.COMPLETADO)
    PTEDetalle.objects.create(pte=a, paso=PasoFactory(tipo_cliente=cliente.tipo))
    PTEFactory(oficio_pte="B", estatus=2, fecha_solicitud=datetime.date(2026, 4, 1))
    PTEFactory(oficio_pte="C", estatus=1)
    return a


def test_the_page_exports_exactly_the_filtered_rows_in_order(viewer, ptes):
    page = viewer.get("/ptes/?estatus=2&orden=oficio_pte&pagina=1&por_pagina=10").content.decode()
    assert 'href="/ptes/?estatus=2&amp;orden=oficio_pte&amp;exportar=xlsx"' in page

    hoja = exportar.hoja(
        viewer.get("/ptes/?estatus=2&orden=oficio_pte&exportar=xlsx"), "PTEs", "ptes-"
    )

    assert [c.value for c in hoja[1]] == [col.titulo for col in exports.COLUMNAS]
    assert exportar.primera_columna(hoja) == ["A", "B"]
    fila = [c.value for c in hoja[2]]
    assert fila[3] == "PEP Cantarell"
    assert fila[6] == datetime.datetime(2026, 3, 2)  # a real date
    assert fila[9:] == ["Alta", "En proceso", pytest.approx(1234567.89), 50]
    assert hoja["L2"].number_format == "#,##0.00"
    assert hoja.freeze_panes == "A2"
    # The page's default order (newest first) is the export's too.
    assert exportar.primera_columna(
        exportar.hoja(viewer.get("/ptes/?estatus=2&exportar=xlsx"), "PTEs", "ptes-")
    ) == ["B", "A"]


def test_the_api_exports_the_same_rows_and_keeps_json_the_default(viewer, ptes):
    hoja = exportar.hoja(
        viewer.get(API, {"estatus": 2, "orden": "oficio_pte", "formato": "xlsx"}), "PTEs", "ptes-"
    )
    json_page = viewer.get(API, {"estatus": 2, "elementos_por_pagina": 1})

    assert exportar.primera_columna(hoja) == ["A", "B"]  # every row, not one page
    assert json_page.status_code == HTTPStatus.OK
    assert json_page["Content-Type"] == "application/json"
    assert [p["oficio_pte"] for p in json_page.json()["ptes"]] == ["B"]
    assert viewer.get(API, {"formato": "json"}).json()["total"] == 3


def test_the_api_refuses_what_it_cannot_use(viewer):
    exportar.assert_refuses_what_it_cannot_use(viewer, API)


def test_the_export_needs_the_same_permission_as_the_list(client, user, json_login):
    json_login()

    exportar.assert_needs_the_lists_permission(client, API, "/ptes/")


def test_rows_are_read_in_batches_never_all_at_once(django_assert_num_queries, monkeypatch):
    for n in range(5):
        PTEFactory(oficio_pte=f"P{n}")

    primeras = exportar.leidas_por_lotes(
        django_assert_num_queries,
        monkeypatch,
        selectors,
        "progreso_de",
        lambda: exports.filas(selectors.pte_lista({}), lote=2),
    )

    assert primeras == ["P4", "P3", "P2", "P1", "P0"]


def test_the_export_is_documented(client):
    exportar.assert_documented(client, API, "PTEPage")
