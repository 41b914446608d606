"""Small workbooks that unpack into a great deal of work are refused before openpyxl reads
them, and a read that runs too long is stopped; legitimate workbooks still load."""

from __future__ import annotations

import io
import re
import zipfile
from http import HTTPStatus
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from sascop.precios import paquete
from sascop.precios.libro import LibroExcesivo, leer_anexo, leer_libro
from sascop.precios.tests.libros import ENCABEZADO, xlsx

URL = "/operaciones/api/precios/importar/"


def _cambiar(datos: bytes, cambios: dict[str, bytes | None]) -> bytes:
    """The workbook with some parts replaced (or added); None drops one."""
    entrada = zipfile.ZipFile(io.BytesIO(datos))
    salida = io.BytesIO()
    with zipfile.ZipFile(salida, "w", zipfile.ZIP_DEFLATED) as nuevo:
        for nombre in entrada.namelist():
            if nombre not in cambios:
                nuevo.writestr(nombre, entrada.read(nombre))
        for nombre, contenido in cambios.items():
            if contenido is not None:
                nuevo.writestr(nombre, contenido)
    return salida.getvalue()


def _hoja(filas_xml: bytes) -> bytes:
    return (
        b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats'
        b'.org/spreadsheetml/2006/main"><sheetData>' + filas_xml + b"</sheetData></worksheet>"
    )


def _conceptos(cuantos: int) -> list[list[Any]]:
    return [["C-2", str(n), f"Concepto {n}", "DIA", None, 1, 1] for n in range(cuantos)]


def _libro() -> bytes:
    return xlsx({"C-2": [ENCABEZADO, ["C-2", "1", "Buzo", "DIA", None, 10, 1, None, None]]})


def test_a_part_of_filler_that_unpacks_hundreds_of_times_is_refused():
    relleno = b"<!--" + b"x" * (8 * 1024 * 1024) + b"-->"
    datos = _cambiar(_libro(), {"xl/worksheets/sheet1.xml": _hoja(relleno)})
    assert len(datos) < 100_000

    with pytest.raises(LibroExcesivo, match=r"crece \d+ veces al descomprimirse"):
        leer_libro(io.BytesIO(datos))


def test_cells_beyond_the_last_column_read_are_refused():
    filas = b"".join(
        b'<row r="%d"><c r="XFD%d" t="inlineStr"><is><t>x</t></is></c></row>' % (n, n)
        for n in range(1, 2001)
    )
    datos = _cambiar(_libro(), {"xl/worksheets/sheet1.xml": _hoja(filas)})

    with pytest.raises(LibroExcesivo, match=f"más allá de la columna {paquete.MAX_COLUMNA}"):
        leer_libro(io.BytesIO(datos))


def test_too_many_shared_strings_are_refused(monkeypatch):
    monkeypatch.setattr(paquete, "MAX_TEXTOS", 1000)
    textos = b"".join(b"<si><t>texto %d</t></si>" % n for n in range(1500))
    tabla = (
        b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/'
        b'spreadsheetml/2006/main">' + textos + b"</sst>"
    )
    datos = _cambiar(_libro(), {"xl/sharedStrings.xml": tabla})

    with pytest.raises(LibroExcesivo, match="más de 1,000 textos distintos"):
        leer_libro(io.BytesIO(datos))


def test_a_sheet_nobody_imports_with_too_many_cells_is_refused(monkeypatch):
    monkeypatch.setattr(paquete, "MAX_CELDAS_POR_HOJA", 5000)
    anexo: list[list[Any]] = [
        ["ANEXO", "PARTIDA", "CONCEPTO", "UNIDAD", "VOLUMEN PTE"],
        ["C-2", "1", "Buzo", "DIA", 3],
    ]
    grande: list[list[Any]] = [[n] * 10 for n in range(600)]  # 6,000 cells on the second sheet
    datos = xlsx({"Anexo": anexo, "Otra": grande})

    with pytest.raises(LibroExcesivo, match="La hoja sheet2 tiene más de 5,000 celdas"):
        leer_anexo(io.BytesIO(datos))


def test_a_read_that_runs_past_its_time_is_stopped(monkeypatch):
    datos = xlsx({"C-2": [list(ENCABEZADO), *_conceptos(1200)]})
    reloj = iter(range(0, 10_000, 15))  # every look at the clock: 15 s later
    monkeypatch.setattr(paquete.time, "monotonic", lambda: float(next(reloj)))

    with pytest.raises(LibroExcesivo, match="tomó más de 25 segundos"):
        leer_libro(io.BytesIO(datos))


def test_a_workbook_within_the_bounds_loads():
    datos = xlsx(
        {"C-2": [ENCABEZADO, *(["C-2", str(n), f"C {n}", "DIA", None, 1, 1] for n in range(3000))]}
    )
    assert len(leer_libro(io.BytesIO(datos)).conceptos) == 3000


@pytest.mark.django_db
def test_the_import_api_answers_413_naming_the_bound(role_client, csrf):
    admin = role_client("Administración")
    relleno = b"<!--" + b"x" * (8 * 1024 * 1024) + b"-->"
    datos = _cambiar(_libro(), {"xl/worksheets/sheet1.xml": _hoja(relleno)})

    answer = admin.post(URL, {"archivo": SimpleUploadedFile("libro.xlsx", datos)}, **csrf(admin))

    assert answer.status_code == HTTPStatus.REQUEST_ENTITY_TOO_LARGE
    body = answer.json()
    assert body["code"] == "workbook_too_large"
    assert re.search(r"grows \d+ times when unpacked", body["detail"]), body
    en_espanol = admin.post(
        URL,
        {"archivo": SimpleUploadedFile("libro.xlsx", datos)},
        HTTP_ACCEPT_LANGUAGE="es-MX",
        **csrf(admin),
    )
    assert re.search(r"crece \d+ veces", en_espanol.json()["detail"]), en_espanol.json()
