"""Legitimate large workbooks under gunicorn on PostgreSQL, with the server's limits for
request connections (DB_STATEMENT_TIMEOUT, 10 s, also ends a connection idle that long):
reading 50,000 rows takes seconds without a query, and the import still succeeds (the
connection is opened again after a long read: core.db.queries.sin_la_base_de_datos, whose
closing is tested in sascop/core/tests/test_queries.py). Both the price book and an OT's
anexo (Anexo C) of 50,000 lines."""

from __future__ import annotations

import io
import os
from collections.abc import Iterator
from http import HTTPStatus
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import openpyxl
import pytest
import requests

from sascop.precios.tests.libros import ENCABEZADO, xlsx
from tests.server import gunicorn, manage

URL = "/operaciones/api/precios/importar/"
PASSWORD = "Clave-Grande-2026"
DATABASE_URL = os.environ.get("DATABASE_URL", "")
pytestmark = pytest.mark.skipif(
    not DATABASE_URL.startswith("postgres"), reason="the idle limit is PostgreSQL's"
)
CONCEPTOS = 50_000


def _database(name: str) -> str:
    import psycopg

    partes = urlsplit(DATABASE_URL)
    admin = urlunsplit(partes._replace(scheme="postgresql", path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return urlunsplit(partes._replace(path=f"/{name}"))


def _libro() -> bytes:
    filas: list[list[Any]] = [list(ENCABEZADO)]
    for n in range(CONCEPTOS):
        filas.append(["C-2", f"{n // 100}.{n % 100}", f"Concepto {n}", "DIA", 1, 10 + n, None])
    return xlsx({"C-2": filas})


@pytest.fixture(scope="module")
def servidor(tmp_path_factory) -> Iterator[tuple[str, dict[str, str], requests.Response]]:
    """A new database under gunicorn with the server's request limits, the 50,000-concept
    book imported over HTTP: its URL, its environment and the import's answer."""
    name = f"{urlsplit(DATABASE_URL).path.lstrip('/')}_grande"
    datos = _libro()
    assert len(datos) < 10 * 1024 * 1024
    try:
        env = {
            "DATABASE_URL": _database(name),
            "REDIS_URL": "",
            "SASCOP_ENV": "development",
            "DEBUG": "false",
            # A loaded test machine reads slower than a server: time is not what is tested.
            "GUNICORN_TIMEOUT": "300",
            "LIBRO_MAX_SEGUNDOS": "280",
            # What is tested is the request's own import of a large book, not the queue's.
            "IMPORTAR_FILAS_EN_TAREA": "1000000",
        }
        manage("migrate", "--noinput", env=env)
        manage("ensure_demo_admin", "--username", "admin", "--password", PASSWORD, env=env)
        with gunicorn(env) as url, requests.Session() as session:
            _entrar(url, session)
            yield url, env, _enviar(url, session, URL, datos)
    finally:
        _drop(name)


def _entrar(url: str, session: requests.Session) -> None:
    session.post(
        f"{url}/api/login/", json={"username": "admin", "password": PASSWORD}, timeout=30
    ).raise_for_status()


def _enviar(url: str, session: requests.Session, ruta: str, datos: bytes) -> requests.Response:
    return session.post(
        f"{url}{ruta}",
        files={"archivo": ("grande.xlsx", datos)},
        headers={"X-CSRFToken": session.cookies["csrftoken"], "Referer": f"{url}/"},
        timeout=300,
    )


def test_a_50000_concept_book_imports_under_the_request_limits(servidor):
    _, _, answer = servidor

    assert answer.status_code == HTTPStatus.OK, answer.text[:500]
    assert answer.json()["creados"] == CONCEPTOS


def _anexo(*extra: list[Any]) -> bytes:
    """An OT's anexo naming every concept of `_libro()`, a programmed day on one line in ten;
    `extra` rows after them."""
    encabezado = ["ANEXO", "PARTIDA", "CONCEPTO", "UNIDAD", "VOLUMEN PTE", "2026-03-02"]
    filas: list[list[Any]] = [encabezado]
    for n in range(CONCEPTOS):
        dia = 1 if n % 10 == 0 else None
        filas.append(["C-2", f"{n // 100}.{n % 100}", f"Concepto {n}", "DIA", 2, dia])
    return xlsx({"Anexo C": [*filas, *extra]})


def test_a_50000_line_anexo_imports_under_the_request_limits(servidor, tmp_path):
    url, env, libro = servidor
    assert libro.status_code == HTTPStatus.OK, libro.text[:500]
    registro = tmp_path / "registro.xlsx"
    columnas = ["orden_trabajo", "descripcion_trabajo", "id_estatus_ot_id"]
    columnas += ["id_responsable_proyecto_id", "id_cliente_id"]
    una_ot = ["OT-GRANDE", "Una OT con un anexo de 50,000 partidas", 8, 1, 1]
    registro.write_bytes(xlsx({"OTs": [columnas, una_ot]}))
    manage("importar_ots", str(registro), env=env)
    refusado = _anexo(["C-2", "0.0", "Concepto 0", "DIA", 3])
    datos = _anexo()
    assert len(refusado) < 10 * 1024 * 1024

    with requests.Session() as session:
        _entrar(url, session)
        ots = session.get(f"{url}/operaciones/api/ots/", timeout=30).json()["ots"]
        ot_id = next(ot["id"] for ot in ots if ot["orden_trabajo"] == "OT-GRANDE")
        ruta = f"/operaciones/api/ots/{ot_id}/anexo/"
        # One line too many: refused whole, and handed back with its observation.
        rechazo = _enviar(url, session, ruta, refusado)
        assert rechazo.status_code == HTTPStatus.UNPROCESSABLE_ENTITY, rechazo.text[:500]
        assert rechazo.json()["filas"] == [
            {
                "fila": CONCEPTOS + 2,
                "partida": "0.0",
                "errores": ["Item 0.0 of anexo C-2 repeats row 2."],
            }
        ]
        copia = session.get(f"{url}{rechazo.json()['observaciones']}", timeout=120)
        answer = _enviar(url, session, ruta, datos)
        anexo = session.get(f"{url}{ruta}", timeout=120)

    assert copia.status_code == HTTPStatus.OK
    hoja = openpyxl.load_workbook(io.BytesIO(copia.content), read_only=True).worksheets[0]
    observaciones = [
        (numero, fila[-1])
        for numero, fila in enumerate(hoja.iter_rows(values_only=True), start=1)
        if len(fila) == 7 and fila[-1] is not None
    ]
    # In the language the import was asked in (the API's English here; the page's Spanish).
    assert observaciones == [
        (1, "OBSERVACIONES"),
        (CONCEPTOS + 2, "Item 0.0 of anexo C-2 repeats row 2."),
    ]
    assert answer.status_code == HTTPStatus.CREATED, answer.text[:500]
    assert (answer.json()["version"], answer.json()["partidas"]) == (1, CONCEPTOS)
    assert anexo.status_code == HTTPStatus.OK, anexo.text[:500]
    partidas = anexo.json()["partidas"]
    assert len(partidas) == CONCEPTOS
    assert sum(len(p["programa"]) for p in partidas) == CONCEPTOS // 10


def _drop(name: str) -> None:
    import psycopg

    partes = urlsplit(DATABASE_URL)
    admin = urlunsplit(partes._replace(scheme="postgresql", path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
