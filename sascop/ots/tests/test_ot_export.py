"""The OT list as an Excel workbook: from the page ("Exportar a Excel") and from the API
(`?formato=xlsx`), exactly the filtered rows in the list's order, with progress."""

from __future__ import annotations

import datetime
from decimal import Decimal
from http import HTTPStatus

import pytest

from sascop.catalogos.estatus import EstatusOT, EstatusPaso
from sascop.catalogos.tests.factories import ClienteFactory, PasoOtFactory
from sascop.core.tests import exportar
from sascop.ots import exports, selectors
from sascop.ots.models import OTDetalle
from sascop.ots.tests.factories import OTFactory
from sascop.ptes.tests.factories import PTEFactory

pytestmark = pytest.mark.django_db
API = "/operaciones/api/ots/"


@pytest.fixture
def ots(time_machine):
    time_machine.move_to("2026-03-11T12:00:00-06:00", tick=False)
    cliente = ClienteFactory(descripcion="PEP Cantarell")
    a = OTFactory(
        orden_trabajo="A",
        oficio_ot="OF-A",
        pte=PTEFactory(oficio_pte="PTE-A"),
        estatus=EstatusOT.EN_EJECUCION,
        cliente=cliente,
        fecha_inicio_programado=datetime.date(2026, 3, 1),
        fecha_termino_programado=datetime.date(2026, 3, 21),
        monto_mxn=Decimal("1234567.89"),
        monto_usd=Decimal("100.5"),
    )
    OTDetalle.objects.create(ot=a, paso=PasoOtFactory(), estatus=EstatusPaso.COMPLETADO)
    OTDetalle.objects.create(ot=a, paso=PasoOtFactory())
    OTFactory(orden_trabajo="B", estatus=EstatusOT.EN_EJECUCION)
    OTFactory(orden_trabajo="C", estatus=EstatusOT.ASIGNADA)
    return a


def test_the_page_exports_exactly_the_filtered_rows_in_order(viewer, ots):
    page = viewer.get("/ots/?estatus=8&orden=orden_trabajo&pagina=1&por_pagina=10")
    assert (
        'href="/ots/?estatus=8&amp;orden=orden_trabajo&amp;exportar=xlsx"' in page.content.decode()
    )

    hoja = exportar.hoja(
        viewer.get("/ots/?estatus=8&orden=orden_trabajo&exportar=xlsx"), "OTs", "ots-"
    )

    assert [c.value for c in hoja[1]] == [col.titulo for col in exports.COLUMNAS]
    assert exportar.primera_columna(hoja) == ["A", "B"]
    fila = [c.value for c in hoja[2]]
    assert fila[:6] == ["A", 0, "OF-A", "PTE-A", ot_descripcion(ots), "PEP Cantarell"]
    assert fila[10] == "En ejecución"
    assert fila[11] == datetime.datetime(2026, 3, 1)  # a real date
    # Contracted MXN and USD (no anexo: the amounts typed), their source, the amounts typed,
    # days elapsed, remaining and late, progress.
    assert fila[16:] == [
        pytest.approx(1234567.89),
        pytest.approx(100.5),
        "Capturado",
        pytest.approx(1234567.89),
        pytest.approx(100.5),
        10,
        10,
        0,
        50,
    ]
    assert hoja["Q2"].number_format == "#,##0.00"
    assert hoja.freeze_panes == "A2"
    # The page's default order (newest first) is the export's too.
    assert exportar.primera_columna(
        exportar.hoja(viewer.get("/ots/?estatus=8&exportar=xlsx"), "OTs", "ots-")
    ) == ["B", "A"]


def ot_descripcion(ot) -> str:
    return ot.descripcion_trabajo


def test_the_export_has_the_apis_progress(viewer, ots):
    api = viewer.get(API).json()["ots"]
    progreso = {o["orden_trabajo"]: o["progreso"] for o in api}

    hoja = exportar.hoja(viewer.get("/ots/?exportar=xlsx&orden=orden_trabajo"), "OTs", "ots-")

    assert {f[0]: f[-1] for f in hoja.iter_rows(min_row=2, values_only=True)} == progreso


def test_the_api_exports_the_same_rows_and_keeps_json_the_default(viewer, ots):
    hoja = exportar.hoja(
        viewer.get(API, {"estatus": 8, "orden": "orden_trabajo", "formato": "xlsx"}), "OTs", "ots-"
    )
    json_page = viewer.get(API, {"estatus": 8, "elementos_por_pagina": 1})

    assert exportar.primera_columna(hoja) == ["A", "B"]  # every row, not one page
    assert json_page.status_code == HTTPStatus.OK
    assert json_page["Content-Type"] == "application/json"
    assert [o["orden_trabajo"] for o in json_page.json()["ots"]] == ["B"]
    assert viewer.get(API, {"formato": "json"}).json()["total"] == 3


def test_the_api_refuses_what_it_cannot_use(viewer):
    exportar.assert_refuses_what_it_cannot_use(viewer, API)


def test_the_export_needs_the_same_permission_as_the_list(client, user, json_login):
    json_login()

    exportar.assert_needs_the_lists_permission(client, API, "/ots/")


def test_rows_are_read_in_batches_never_all_at_once(django_assert_num_queries, monkeypatch):
    for n in range(5):
        OTFactory(orden_trabajo=f"O{n}")

    primeras = exportar.leidas_por_lotes(
        django_assert_num_queries,
        monkeypatch,
        selectors,
        "pasos_de",
        lambda: exports.filas(selectors.ot_lista({}), lote=2),
    )

    assert primeras == ["O4", "O3", "O2", "O1", "O0"]


def test_the_export_is_documented(client):
    exportar.assert_documented(client, API, "OTPage")
