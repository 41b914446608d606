"""Backups that restore: the procedure of docs/operations.md, performed end to end.

A populated PostgreSQL database is dumped (`pg_dump --format=custom`) while the service runs on
it, restored into a new database (`pg_restore`), given a new identity
(`manage.py renovar_instalacion`) and served with gunicorn: every row of every table is there,
users log in, and a session opened after the backup was taken, which only the lost database and
Redis knew, is refused.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from http import HTTPStatus
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest
import requests
from psycopg import sql

from tests.server import gunicorn, manage

pytestmark = pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="backups are pg_dump/pg_restore: they need PostgreSQL (DATABASE_URL)",
)

USER, PASSWORD = "respaldo", "Respaldo-Que-Vuelve-2026"


def _database_url(name: str) -> str:
    return urlunsplit(urlsplit(os.environ["DATABASE_URL"])._replace(path=f"/{name}"))


def _drop(name: str) -> None:
    with psycopg.connect(_database_url("postgres"), autocommit=True) as connection:
        connection.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


def _create(name: str) -> None:
    _drop(name)
    with psycopg.connect(_database_url("postgres"), autocommit=True) as connection:
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def _client_binary(name: str) -> str:
    """pg_dump or pg_restore: on PATH, else Debian's newest (it must not be older than the
    server)."""
    debian = sorted(
        Path("/usr/lib/postgresql").glob(f"*/bin/{name}"),
        key=lambda path: int(path.parent.parent.name) if path.parent.parent.name.isdigit() else 0,
    )
    if debian:
        return str(debian[-1])
    found = shutil.which(name)
    if found is None:
        pytest.fail(f"{name} not found (apt-get install postgresql-client)")
    return found


def _every_row(url: str) -> dict[str, tuple[int, str]]:
    """Per table of the public schema: its row count and a digest of all its rows."""
    found = {}
    with psycopg.connect(url) as connection:
        tables = connection.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
        ).fetchall()
        for (table,) in tables:
            query = sql.SQL(
                "SELECT count(*), coalesce(md5(string_agg(t::text, E'\\n' ORDER BY t::text)), '')"
                " FROM {} AS t"
            ).format(sql.Identifier(table))
            row = connection.execute(query).fetchone()
            assert row is not None
            found[table] = (int(row[0]), str(row[1]))
    return found


def _login(url: str) -> requests.Session:
    session = requests.Session()
    answer = session.post(
        f"{url}/api/login/", json={"username": USER, "password": PASSWORD}, timeout=30
    )
    assert answer.status_code == HTTPStatus.OK, answer.text
    return session


@pytest.fixture
def databases() -> Iterator[tuple[str, str]]:
    base = urlsplit(os.environ["DATABASE_URL"]).path.lstrip("/")
    names = (f"{base}_respaldo", f"{base}_restaurada")
    for name in names:
        _create(name)
    yield names
    for name in names:
        _drop(name)


def test_a_backup_restores_into_a_new_database_with_every_row_and_no_old_session(
    databases: tuple[str, str], tmp_path: Path
) -> None:
    original, restored = databases
    redis = os.environ.get("REDIS_URL", "")
    common = {
        "REDIS_URL": redis,
        # Both databases behind the same Redis database and prefix, as after a real restore.
        "CACHE_KEY_PREFIX": f"respaldo-{os.getpid()}",
        "SASCOP_ENV": "development",
        "DEBUG": "false",
    }
    env = {**common, "DATABASE_URL": _database_url(original)}
    manage("migrate", "--noinput", env=env)
    manage("cargar_demo", "--si-vacio", "--ptes", "40", "--produccion", "300", env=env)
    manage("ensure_demo_admin", "--username", USER, "--password", PASSWORD, env=env)
    dump = tmp_path / "sascop.dump"

    with gunicorn(env) as url:
        before = _login(url)
        stats = before.get(f"{url}/operaciones/api/estadisticas/", timeout=30)
        assert stats.status_code == HTTPStatus.OK, stats.text
        assert stats.json()["total_ptes"] >= 40

        # The backup, taken while the service runs (nothing writes meanwhile).
        rows = _every_row(_database_url(original))
        subprocess.run(
            [
                _client_binary("pg_dump"),
                "--format=custom",
                f"--file={dump}",
                _database_url(original),
            ],
            check=True,
            capture_output=True,
        )
        # A session opened after the backup: the lost database and Redis know it, the backup
        # does not.
        after = _login(url)
        assert after.get(f"{url}/api/user/", timeout=30).status_code == HTTPStatus.OK

    # The restore: into a new database, then a new identity for it.
    subprocess.run(
        [
            _client_binary("pg_restore"),
            "--exit-on-error",
            "--no-owner",
            f"--dbname={_database_url(restored)}",
            str(dump),
        ],
        check=True,
        capture_output=True,
    )
    restored_env = {**common, "DATABASE_URL": _database_url(restored)}
    manage("renovar_instalacion", env=restored_env)

    # Every row of every table is there as it was (the identity row aside: it is new).
    now = _every_row(_database_url(restored))
    assert now.pop("core_instalacion") != rows.pop("core_instalacion")
    assert now == rows
    assert rows["ptes_pte"][0] >= 40

    with gunicorn(restored_env) as url:
        refused = after.get(f"{url}/api/user/", timeout=30)
        assert refused.status_code == HTTPStatus.UNAUTHORIZED, refused.text
        again = _login(url)
        assert again.get(f"{url}/api/user/", timeout=30).json()["username"] == USER
        restored_stats = again.get(f"{url}/operaciones/api/estadisticas/", timeout=30)
        assert restored_stats.json() == stats.json()
