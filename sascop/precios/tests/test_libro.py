"""The workbook reader on its own: plain Python over openpyxl, no database."""

from __future__ import annotations

import datetime
import io
import re
import zipfile
from decimal import Decimal

import pytest

from sascop.precios.libro import (
    FILAS_DE_TITULO,
    ErrorFila,
    FilaConcepto,
    Hoja,
    LibroIlegible,
    leer_libro,
    normalizar_anexo,
    normalizar_partida,
    normalizar_unidad,
    orden_de_partida,
)
from sascop.precios.tests.libros import ENCABEZADO, TITULOS, libro_completo, xlsx


def leer(datos: bytes):
    return leer_libro(io.BytesIO(datos))


def concepto(**campos) -> FilaConcepto:
    base = {
        "hoja": "C-5",
        "anexo": "C-5",
        "pu_mn": Decimal("0.00"),
        "pu_usd": Decimal("0.00"),
        "cantidad_referencia": None,
        "seccion": "",
        "extraordinario": False,
    }
    return FilaConcepto(**{**base, **campos})


def test_reads_every_variant_of_the_clients_books():
    libro = leer(libro_completo())

    assert libro.errores == []
    assert libro.hojas_vacias == []
    assert libro.hojas == [
        Hoja(
            "C-5",
            "C-5",
            [
                "PEMEX EXPLORACIÓN Y PRODUCCIÓN",
                "CONTRATO 640857800: SERVICIOS DE BUCEO Y APOYO A INSTALACIONES COSTA AFUERA",
            ],
            extraordinaria=False,
        ),
        Hoja("C-5-1", "C-5-1", ["ANEXO C-5-1 PROGRAMA DE BUCEO"], extraordinaria=False),
        Hoja("C-10", "C-10", ["PRECIOS UNITARIOS EXTRAORDINARIOS (PUE)"], extraordinaria=True),
    ]
    assert libro.conceptos == [
        concepto(
            fila=6,
            partida="2.1",
            concepto="Tubería de acero al carbón de 8 pulgadas",
            unidad="DIA",
            pu_mn=Decimal("1234.50"),
            cantidad_referencia=Decimal("10.0000"),
            seccion="Tubos",
        ),
        concepto(
            fila=7,
            partida="2.2",
            concepto="Tubería de 10 pulgadas",
            unidad="DIA",
            pu_mn=Decimal("1500.00"),
            pu_usd=Decimal("15.50"),
            seccion="Tubos",
        ),
        concepto(
            fila=9,
            partida="4.4",
            concepto="Abrazadera estructural",
            unidad="JORNADA",
            pu_mn=Decimal("800.00"),
            cantidad_referencia=Decimal("3.0000"),
            seccion="Estructuras",
        ),
        # Row 10 is empty; the numbering keeps counting the sheet's rows.
        concepto(
            fila=11,
            partida="5.1",
            concepto="Buzo de saturación",
            unidad="HOM/DIA",
            pu_usd=Decimal("950.25"),
            seccion="Estructuras",
        ),
        concepto(
            fila=12,
            partida="1",
            concepto="Supervisor",
            unidad="H-H",
            pu_mn=Decimal("420.00"),
            cantidad_referencia=Decimal("1.0000"),
            seccion="Estructuras",
        ),
        # The same key in another anexo is another concept. PRECIO UNITARIO spans M.N. and
        # U.S.D. on the row below; the importe columns after it are not prices.
        concepto(
            hoja="C-5-1",
            anexo="C-5-1",
            fila=5,
            partida="5.1",
            concepto="Buzo de saturación (programa)",
            unidad="HOM/DIA",
            pu_mn=Decimal("1000.00"),
            pu_usd=Decimal("10.10"),
            cantidad_referencia=Decimal("2.0000"),
            seccion="Tubos",
        ),
        concepto(
            hoja="C-10",
            anexo="C-10",
            fila=3,
            partida="PUE-1",
            concepto="Reparación de ducto con grapa",
            unidad="PZA",
            pu_mn=Decimal("5000.00"),
            extraordinario=True,
            pte="PTE-2026-0001",
        ),
    ]


@pytest.mark.parametrize(
    ("valor", "clave"),
    [
        ("2.1.", "2.1"),
        ("2.1", "2.1"),
        (2.1, "2.1"),
        (" 2.1. ", "2.1"),
        ("2.10", "2.10"),
        (4.4, "4.4"),
        (1, "1"),
        (1.0, "1"),
        ("1.", "1"),
        (Decimal("3.50"), "3.5"),
        ("pue-1", "PUE-1"),
        (None, ""),
    ],
)
def test_keys_written_as_text_numbers_or_with_trailing_dots_are_one_key(valor, clave):
    assert normalizar_partida(valor) == clave


def test_a_key_excel_turned_into_a_date_is_refused():
    with pytest.raises(ValueError, match="Excel convirtió la partida en la fecha"):
        normalizar_partida(datetime.datetime(2026, 1, 2))


@pytest.mark.parametrize(
    ("valor", "unidad"),
    [
        ("Día", "DIA"),
        ("DÍA", "DIA"),
        ("día.", "DIA"),
        ("HOM/DÍA", "HOM/DIA"),
        ("hom/día", "HOM/DIA"),
        ("H-H", "H-H"),
        ("JORNADA", "JORNADA"),
        ("Jornada ", "JORNADA"),
        ("m²", "M2"),
        ("PZA.", "PZA"),
        ("  metro   lineal ", "METRO LINEAL"),
    ],
)
def test_units_lose_accents_case_and_trailing_dots(valor, unidad):
    assert normalizar_unidad(valor) == unidad


@pytest.mark.parametrize(
    ("valor", "anexo"),
    [
        ("C-5", "C-5"),
        ("c-5-1", "C-5-1"),
        ("Anexo C-5", "C-5"),
        ("ANEXO  C-10", "C-10"),
        ("C 4", "C-4"),
        ("C-10 PUE", "C-10"),
        ("C", "C"),
        ("C-4.1", "C-4.1"),
        ("Hoja1", "HOJA1"),
        ("PUE extraordinarios", "PUE"),
    ],
)
def test_anexo_keys(valor, anexo):
    assert normalizar_anexo(valor) == anexo


def test_book_order_puts_2_9_before_2_10():
    claves = ["2.10", "10.1", "2.9", "2.1", "PUE-2", "PUE-10", "1"]

    assert sorted(claves, key=orden_de_partida) == [
        "1",
        "2.1",
        "2.9",
        "2.10",
        "10.1",
        "PUE-2",
        "PUE-10",
    ]


def test_each_unreadable_row_is_reported_with_its_sheet_row_and_reasons():
    datos = xlsx(
        {
            "C-5": [
                *TITULOS,
                ENCABEZADO,
                ["C-5", "2.1.", "Bueno", "DIA", None, 10, None],
                ["C-5", "2.2", "Precio en letras", "DIA", None, "diez", None],
                ["C-5", "2.3", "Negativo", "DIA", None, -5, None],
                ["C-5", "2.4", "Centavos de más", "DIA", None, 10.125, None],
                ["C-5", "2.5", "Sin unidad", None, None, 10, None],
                ["C-5", "2.6", "Sin precio", "DIA", 4, None, None],
                ["C-5", "2.7", None, "DIA", None, 10, None],
                ["C-5", None, "Sin partida", "DIA", None, 10, None],
                ["C-5", 2.1, "  bueno ", "DIA", None, 10, None],
                ["C-5", datetime.datetime(2026, 2, 1), "Fecha", "DIA", None, 10, None],
                ["C-5", "2.8", "Cantidad mala", "DIA", "mucha", "$ 1,000.50", None],
                ["C-5", "2.9", "Ordinario con PTE", "DIA", None, 10, None, None, None],
                ["C-5", "3.0", None, None, None, None, None],
                # A concept below keeps the row above in the table (else it is the footer).
                ["C-5", "3.1", "Después", "DIA", None, 1, None],
            ]
        }
    )

    libro = leer(datos)

    assert [c.partida for c in libro.conceptos] == ["2.1", "2.9", "3.1"]
    assert libro.errores == [
        ErrorFila("C-5", 6, "2.2", ["P.U. M.N. no es un número: «diez»."]),
        ErrorFila("C-5", 7, "2.3", ["P.U. M.N. es negativo: -5."]),
        ErrorFila("C-5", 8, "2.4", ["P.U. M.N. tiene más de 2 decimales: 10.125."]),
        ErrorFila("C-5", 9, "2.5", ["Falta la unidad."]),
        ErrorFila("C-5", 10, "2.6", ["Falta el precio: P.U. M.N. y P.U. USD están vacíos."]),
        ErrorFila("C-5", 11, "2.7", ["Falta el concepto (descripción)."]),
        ErrorFila("C-5", 12, None, ["Falta la partida (clave)."]),
        ErrorFila(
            "C-5", 13, "2.1", ["La partida 2.1 del anexo C-5 repite la fila 5 (el mismo concepto)."]
        ),
        ErrorFila(
            "C-5",
            14,
            "2026-02-01 00:00:00",
            ["Excel convirtió la partida en la fecha 01/02/2026; escríbela como texto."],
        ),
        ErrorFila("C-5", 15, "2.8", ["Cantidad de referencia no es un número: «mucha»."]),
        ErrorFila(
            "C-5",
            17,
            "3.0",
            [
                "Falta el concepto (descripción).",
                "Falta la unidad.",
                "Falta el precio: P.U. M.N. y P.U. USD están vacíos.",
            ],
        ),
    ]


def test_pte_and_ot_only_on_extraordinary_concepts():
    encabezado = ["PARTIDA", "CONCEPTO", "UNIDAD", "P.U. MN", "PTE", "OT"]
    datos = xlsx(
        {
            "C-5": [encabezado, ["1", "Ordinario", "DIA", 10, "PTE-1", None]],
            "C-11 PUE": [encabezado, ["1", "Extraordinario", "DIA", 10, "PTE-1", "OT-7"]],
        }
    )

    libro = leer(datos)

    assert libro.errores == [
        ErrorFila(
            "C-5",
            2,
            "1",
            ["Sólo los conceptos extraordinarios (PUE) llevan la PTE u OT de la que vienen."],
        )
    ]
    assert libro.conceptos == [
        concepto(
            hoja="C-11 PUE",
            anexo="C-11",
            fila=2,
            partida="1",
            concepto="Extraordinario",
            unidad="DIA",
            pu_mn=Decimal("10.00"),
            extraordinario=True,
            pte="PTE-1",
            ot="OT-7",
        )
    ]


def test_formula_noise_below_a_cent_is_not_an_error():
    datos = xlsx({"C": [ENCABEZADO, ["C", "1", "Con fórmula", "DIA", None, 0.1 + 0.2, None]]})

    (fila,) = leer(datos).conceptos

    assert fila.pu_mn == Decimal("0.30")


def test_sheets_without_a_header_row_empty_sheets_and_header_only_sheets():
    datos = xlsx(
        {
            "Notas": [["Este libro sustituye al de enero."], ["PARTIDA", "CONCEPTO"]],
            "Hoja1": [],
            "C-2": [*TITULOS, ENCABEZADO],
            "C-3": [[None]] * (FILAS_DE_TITULO + 1) + [ENCABEZADO, ["C-3", "1", "X", "DIA", 1, 1]],
        }
    )

    libro = leer(datos)

    mensaje = (
        "No se encontró el encabezado: se esperaban las columnas PARTIDA, CONCEPTO, UNIDAD y "
        f"P.U. M.N. o P.U. USD en las primeras {FILAS_DE_TITULO} filas."
    )
    assert libro.errores == [
        ErrorFila("Notas", None, None, [mensaje]),
        ErrorFila("C-3", None, None, [mensaje]),
    ]
    assert libro.hojas_vacias == ["Hoja1"]
    assert [h.nombre for h in libro.hojas] == ["C-2"]
    assert libro.conceptos == []


def test_rows_beyond_a_wrong_dimension_are_read():
    # Some producers write <dimension ref="A1"/> whatever the sheet holds; read-only
    # openpyxl would trust it and stop at the first row.
    datos = xlsx(
        {
            "C-5": [
                ENCABEZADO,
                ["C-5", "1", "Uno", "DIA", None, 1],
                ["C-5", "2", "Dos", "DIA", None, 2],
            ]
        }
    )
    entrada = zipfile.ZipFile(io.BytesIO(datos))
    salida = io.BytesIO()
    with zipfile.ZipFile(salida, "w") as nuevo:
        for nombre in entrada.namelist():
            contenido = entrada.read(nombre)
            if nombre == "xl/worksheets/sheet1.xml":
                contenido = re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1"', contenido)
            nuevo.writestr(nombre, contenido)

    assert [c.partida for c in leer(salida.getvalue()).conceptos] == ["1", "2"]


def _zip(**archivos: bytes) -> bytes:
    salida = io.BytesIO()
    with zipfile.ZipFile(salida, "w") as paquete:
        for nombre, contenido in archivos.items():
            paquete.writestr(nombre, contenido)
    return salida.getvalue()


def _con_xml_roto() -> bytes:
    entrada = zipfile.ZipFile(io.BytesIO(xlsx({"C": [ENCABEZADO]})))
    salida = io.BytesIO()
    with zipfile.ZipFile(salida, "w") as nuevo:
        for nombre in entrada.namelist():
            contenido = entrada.read(nombre)
            if nombre.endswith("sheet1.xml"):
                contenido = b"<worksheet><sheetData><row><c"
            nuevo.writestr(nombre, contenido)
    return salida.getvalue()


@pytest.mark.parametrize(
    ("datos", "mensaje"),
    [
        (b"PARTIDA;CONCEPTO;UNIDAD\n1;Buzo;DIA\n", "no es un archivo zip"),
        (b"", "no es un archivo zip"),
        (xlsx({"C": [ENCABEZADO]})[:500], "no es un archivo zip"),
        (_zip(**{"hola.txt": b"hola"}), "no es un libro .xlsx legible (KeyError)"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512), "libro .xls antiguo"),
        (_con_xml_roto(), "no es un libro .xlsx legible (ParseError)"),
    ],
    ids=["csv", "empty", "truncated", "zip-not-xlsx", "xls", "broken-xml"],
)
def test_files_that_are_not_workbooks(datos, mensaje):
    with pytest.raises(LibroIlegible, match=re.escape(mensaje)):
        leer(datos)
