"""A legitimate large price book under gunicorn on PostgreSQL, with the server's limits for
request connections (DB_STATEMENT_TIMEOUT, 10 s, also ends a connection idle that long):
reading 50,000 rows takes seconds without a query, and the import still succeeds (the
connection is opened again after a long read: core.queries.sin_la_base_de_datos, whose
closing is tested in sascop/core/tests/test_queries.py)."""

from __future__ import annotations

import os
from http import HTTPStatus
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest
import requests

from sascop.precios.tests.libros import ENCABEZADO, xlsx
from tests.server import gunicorn, manage

URL = "/operaciones/api/precios/importar/"
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


def test_a_50000_concept_book_imports_under_the_request_limits(tmp_path):
    name = f"{urlsplit(DATABASE_URL).path.lstrip('/')}_grande"
    env = {
        "DATABASE_URL": _database(name),
        "REDIS_URL": "",
        "SASCOP_ENV": "development",
        "DEBUG": "false",
        # A loaded test machine reads slower than a server: time is not what is tested here.
        "GUNICORN_TIMEOUT": "300",
        "LIBRO_MAX_SEGUNDOS": "280",
    }
    manage("migrate", "--noinput", env=env)
    manage("ensure_demo_admin", "--username", "admin", "--password", "Clave-Grande-2026", env=env)
    datos = _libro()
    assert len(datos) < 10 * 1024 * 1024
    try:
        with gunicorn(env) as url, requests.Session() as session:
            session.post(
                f"{url}/api/login/",
                json={"username": "admin", "password": "Clave-Grande-2026"},
                timeout=30,
            ).raise_for_status()
            answer = session.post(
                f"{url}{URL}",
                files={"archivo": ("grande.xlsx", datos)},
                headers={"X-CSRFToken": session.cookies["csrftoken"], "Referer": f"{url}/"},
                timeout=300,
            )
        assert answer.status_code == HTTPStatus.OK, answer.text[:500]
        assert answer.json()["creados"] == CONCEPTOS
    finally:
        _drop(name)


def _drop(name: str) -> None:
    import psycopg

    partes = urlsplit(DATABASE_URL)
    admin = urlunsplit(partes._replace(scheme="postgresql", path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
