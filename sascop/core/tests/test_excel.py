"""The Excel export every list uses: a real workbook, typed, written row by row."""

from __future__ import annotations

import datetime
from decimal import Decimal
from http import HTTPStatus
from io import BytesIO

import pytest
from django.http import QueryDict
from django.utils import translation
from openpyxl import load_workbook

from sascop.core import excel
from sascop.core.errors import InvalidInput
from sascop.core.excel import Columna

COLUMNAS = [
    Columna("Oficio", 18),
    Columna("Fecha", 12, excel.FECHA),
    Columna("Monto", 16, excel.DINERO),
    Columna("Cantidad", 9, excel.ENTERO),
    Columna("Registrado", 17, excel.FECHA_HORA),
]


def _libro(filas):
    archivo = excel.escribir_libro(COLUMNAS, filas, hoja="PTEs")
    return load_workbook(BytesIO(archivo.read()))


def test_a_typed_workbook_with_header_frozen_panes_and_widths():
    momento = datetime.datetime(2026, 3, 2, 2, 30, tzinfo=datetime.UTC)
    libro = _libro(
        [
            ["PTE-1", datetime.date(2026, 3, 2), Decimal("1234567.89"), 3, momento],
            ["PTE-2", None, Decimal("0"), None, None],
        ]
    )

    hoja = libro["PTEs"]
    assert [c.value for c in hoja[1]] == ["Oficio", "Fecha", "Monto", "Cantidad", "Registrado"]
    assert all(c.font.bold for c in hoja[1])
    assert hoja.freeze_panes == "A2"
    assert [hoja.column_dimensions[c].width for c in "ABCDE"] == [18, 12, 16, 9, 17]
    _, fecha, monto, cantidad, registrado = hoja[2]
    assert fecha.value == datetime.datetime(2026, 3, 2) and fecha.is_date
    assert fecha.number_format == "dd/mm/yyyy"
    assert monto.value == pytest.approx(1234567.89) and monto.data_type == "n"
    assert monto.number_format == "#,##0.00"
    assert cantidad.value == 3 and cantidad.number_format == "#,##0"
    # Excel has no time zones: Mexico City's local time (UTC-6).
    assert registrado.value == datetime.datetime(2026, 3, 1, 20, 30)
    assert [c.value for c in hoja[3]] == ["PTE-2", None, 0, None, None]
    assert hoja.max_row == 3


def test_an_empty_list_is_a_workbook_with_its_header():
    hoja = _libro([])["PTEs"]

    assert hoja.max_row == 1
    assert hoja["A1"].value == "Oficio"


def test_rows_are_consumed_as_they_come():
    consumed = []

    def filas():
        for n in range(5):
            consumed.append(n)
            yield [f"PTE-{n}", None, None, n, None]

    gen = filas()
    archivo = excel.escribir_libro(COLUMNAS, gen, hoja="x")

    assert consumed == [0, 1, 2, 3, 4]
    assert load_workbook(BytesIO(archivo.read()))["x"].max_row == 6


def test_batches():
    assert list(excel.lotes(range(5), 2)) == [[0, 1], [2, 3], [4]]
    assert list(excel.lotes([], 2)) == []


@pytest.mark.parametrize(
    ("query", "expected"),
    [("", False), ("formato=json", False), ("formato=", False), ("formato=xlsx", True)],
)
def test_the_format_parameter(query, expected):
    assert excel.pide_xlsx(QueryDict(query)) is expected


def test_an_unknown_format_is_refused():
    # In the API's English (outside a request the language is the pages' es-MX).
    with translation.override("en"), pytest.raises(InvalidInput) as refused:
        excel.pide_xlsx(QueryDict("formato=csv"))

    assert refused.value.fields == {"formato": ["Use json or xlsx."]}


def test_the_response_is_an_attachment_sent_in_chunks(time_machine):
    time_machine.move_to("2026-05-20T12:00:00-06:00", tick=False)

    response = excel.respuesta_xlsx(
        COLUMNAS, [["A", None, None, None, None]], nombre="ptes", hoja="PTEs"
    )

    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"] == excel.XLSX
    assert response["Content-Disposition"] == 'attachment; filename="ptes-2026-05-20.xlsx"'
    assert response.streaming
    body = response.getvalue()
    assert load_workbook(BytesIO(body))["PTEs"]["A2"].value == "A"
