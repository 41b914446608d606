"""Reading an OT's anexo workbook: the second header profile of the reader."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import openpyxl
import pytest

from sascop.precios import libros_salida
from sascop.precios.libro import (
    FILAS_DE_TITULO,
    ErrorFila,
    FilaAnexo,
    LibroIlegible,
    leer_anexo,
    leer_libro,
)
from sascop.precios.tests.libros import TITULOS, xlsx

# The header of the anexo workbook the service exports, without its two IMPORTE columns:
# ANEXO, PARTIDA, CONCEPTO, UNIDAD, VOLUMEN PTE, P.U. M.N., P.U. USD.
ENCABEZADO_ANEXO = libros_salida.ENCABEZADO_ANEXO[:7]
LUNES = datetime.date(2026, 3, 2)


def leer(datos: bytes):
    return leer_anexo(io.BytesIO(datos))


def test_reads_title_lines_keys_units_prices_and_date_columns():
    libro = leer(
        xlsx(
            {
                "Anexo": [
                    *TITULOS,
                    [*ENCABEZADO_ANEXO, datetime.datetime(2026, 3, 2), "2026-03-03", "04/03/2026"],
                    [None, None, "Tubos"],
                    ["C-5", "2.1.", "Tubería de 8 pulgadas", "Día", 10, 1234.5, None, 4, 6, None],
                    ["c 5", 2.2, "Tubería de 10 pulgadas", "día.", "2.5", "1,500.00", 15.5],
                    ["Anexo C-5-1", 3, "Buzo", "HOM/DÍA", 1, None, None, None, None, "1"],
                    [None, None, "TOTAL", None, 13.5, None, None, None, None, None],
                ]
            }
        )
    )

    assert libro.errores == []
    assert (libro.encabezado, libro.hoja) == (4, "Anexo")
    assert libro.filas == [
        FilaAnexo(
            6, "C-5", "2.1", "Tubería de 8 pulgadas", "DIA", Decimal("10.0000"),
            Decimal("1234.50"), None,
            {LUNES: Decimal("4.0000"), LUNES + datetime.timedelta(days=1): Decimal("6.0000")},
        ),
        FilaAnexo(
            7, "C-5", "2.2", "Tubería de 10 pulgadas", "DIA", Decimal("2.5000"),
            Decimal("1500.00"), Decimal("15.50"), {},
        ),
        FilaAnexo(
            8, "C-5-1", "3", "Buzo", "HOM/DIA", Decimal("1.0000"), None, None,
            {LUNES + datetime.timedelta(days=2): Decimal("1.0000")},
        ),
    ]  # fmt: skip


def test_header_variants_and_a_two_row_price_header():
    libro = leer(
        xlsx(
            {
                "A": [
                    ["ANEXO", "PART.", "DESCRIPCIÓN", "UNID.", "VOLUMEN", "PRECIO UNITARIO", None],
                    [None, None, None, None, None, "M.N.", "U.S.D."],
                    ["C-5", "1", "Supervisor", "H-H", 1, 420, 3],
                ]
            }
        )
    )

    assert libro.errores == []
    assert libro.filas == [
        FilaAnexo(3, "C-5", "1", "Supervisor", "H-H", Decimal("1.0000"), Decimal("420.00"),
                  Decimal("3.00"), {}),
    ]  # fmt: skip


def test_every_wrong_row_is_reported_with_its_reasons():
    libro = leer(
        xlsx(
            {
                "A": [
                    [*ENCABEZADO_ANEXO, "2026-03-02"],
                    [None, "1", "Sin anexo", "DIA", 1],
                    ["C-5", "2", "Volumen negativo", "DIA", -1],
                    ["C-5", "3", "Volumen de texto", "DIA", "mucho"],
                    ["C-5", "4", "Sin volumen", "DIA", None],
                    ["C-5", "4.", "Sin  VOLUMEN", "DIA", 1, None, None, "x"],
                    ["C-5", datetime.datetime(2026, 2, 1), "Fecha", "DIA", 1],
                ]
            }
        )
    )

    assert libro.filas == []
    assert libro.errores == [
        ErrorFila("A", 2, "1", ["Falta el anexo."]),
        ErrorFila("A", 3, "2", ["VOLUMEN PTE es negativo: -1."]),
        ErrorFila("A", 4, "3", ["VOLUMEN PTE no es un número: «mucho»."]),
        ErrorFila("A", 5, "4", ["Falta VOLUMEN PTE."]),
        ErrorFila(
            "A",
            6,
            "4",
            [
                "Volumen del 02/03/2026 no es un número: «x».",
                "La partida 4 del anexo C-5 repite la fila 5.",
            ],
        ),
        ErrorFila(
            "A",
            7,
            "2026-02-01 00:00:00",
            ["Excel convirtió la partida en la fecha 01/02/2026; escríbela como texto."],
        ),
    ]


def test_no_header_row():
    filas = [["Algo"], ["ANEXO", "PARTIDA", "CONCEPTO", "UNIDAD"], ["C-5", "1", "x", "DIA"]]

    libro = leer(xlsx({"A": filas}))

    assert libro.encabezado is None
    assert libro.errores == [
        ErrorFila(
            "A",
            None,
            None,
            [
                "No se encontró el encabezado: se esperaban las columnas ANEXO, PARTIDA, CONCEPTO, "
                f"UNIDAD y VOLUMEN PTE en las primeras {FILAS_DE_TITULO} filas."
            ],
        )
    ]


def test_empty_sheet_and_a_header_without_lines():
    assert leer(xlsx({"A": []})).errores == [ErrorFila("A", None, None, ["La hoja está vacía."])]
    assert leer(xlsx({"A": [ENCABEZADO_ANEXO]})).errores == [
        ErrorFila("A", None, None, ["El anexo no tiene partidas."])
    ]


def test_a_malformed_file_is_unreadable():
    with pytest.raises(LibroIlegible, match="no es un archivo zip"):
        leer(b"PK no es un libro")
    with pytest.raises(LibroIlegible, match=r"libro \.xls antiguo"):
        leer(b"\xd0\xcf\x11\xe0" + b"\0" * 100)


def test_the_price_book_profile_does_not_take_an_anexo_without_prices():
    # The same header is not a price book: prices are what a catalog is for.
    libro = leer_libro(io.BytesIO(xlsx({"A": [ENCABEZADO_ANEXO[:5], ["C-5", "1", "x", "DIA", 1]]})))

    assert libro.conceptos == []
    assert [e.errores[0][:29] for e in libro.errores] == ["No se encontró el encabezado:"]


def test_observations_of_a_file_openpyxl_cannot_reopen_come_back_as_a_list():
    filas = [{"fila": 3, "partida": "1", "errores": ["Uno.", "Dos."]}]

    contenido = libros_salida.con_observaciones(b"PK roto", None, filas)

    hoja = openpyxl.load_workbook(io.BytesIO(contenido)).worksheets[0]
    assert [list(f) for f in hoja.iter_rows(values_only=True)] == [
        ["FILA", "PARTIDA", "OBSERVACIONES"],
        [3, "1", "Uno. Dos."],
    ]
