"""A throw-away SASCOP installation for fault tests: its own database, demo catalogs and an
administrator, served by gunicorn against whatever Redis the test hands it."""

from __future__ import annotations

import contextlib
import itertools
import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import requests

from tests.server import manage

ADMIN, PASSWORD = "ana", "Clave-De-Prueba-77"


@contextlib.contextmanager
def app_database(tmp_path: Path) -> Iterator[str]:
    """A fresh database: on the PostgreSQL server under test when there is one, else SQLite."""
    configured = os.environ.get("DATABASE_URL", "")
    if not configured.startswith("postgres"):
        yield f"sqlite:///{tmp_path / 'db.sqlite3'}"
        return
    import psycopg

    server, _, _ = configured.rpartition("/")
    name = f"sascop_faults_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{server}/{name}"
    finally:
        with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def install(env: dict[str, str]) -> None:
    """Migrate, load a few catalogs and PTEs, create the administrator. Without Redis: the
    installation is not what is under test."""
    quiet = {**env, "REDIS_URL": ""}
    manage("migrate", "--noinput", env=quiet)
    manage("cargar_demo", "--ptes", "2", "--ots", "0", "--produccion", "0", env=quiet)
    manage("ensure_demo_admin", "--username", ADMIN, "--password", PASSWORD, env=quiet)


def login(url: str, username: str = ADMIN, password: str = PASSWORD) -> requests.Session:
    session = requests.Session()
    response = session.post(
        f"{url}/api/login/", json={"username": username, "password": password}, timeout=15
    )
    assert response.status_code == 200, response.text
    session.headers.update({"X-CSRFToken": response.json()["csrf_token"], "Referer": url})
    return session


def pte_template(session: requests.Session, url: str) -> dict[str, Any]:
    """A valid PTE body, from the catalogs of a PTE the demo loaded."""
    some = session.get(f"{url}/operaciones/api/ptes/", timeout=15).json()["ptes"][0]
    return {
        "descripcion_trabajo": "Inspección de ducto",
        "fecha_solicitud": "2026-03-15",
        "plazo_dias": 20,
        "responsable_proyecto": some["responsable_proyecto_id"],
        "cliente": some["cliente_id"],
        "tipo": some["tipo_id"],
    }


_serial = itertools.count(1)


def unique_oficio(prefix: str) -> str:
    return f"{prefix}-{os.getpid()}-{next(_serial)}"
