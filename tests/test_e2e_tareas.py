"""The task queue with a real worker process (`manage.py trabajar`) over a real database:
a task runs and its owner sees it finish; a worker killed mid-task leaves nothing of it,
and the task is reported failed when the worker comes back."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest
from psycopg import sql

from tests.server import ROOT, manage

PLAZO = 60  # seconds a step may take on a loaded machine before the test gives up


def _pg_url(name: str) -> str:
    return urlunsplit(urlsplit(os.environ["DATABASE_URL"])._replace(path=f"/{name}"))


@pytest.fixture
def base(tmp_path: Path) -> Iterator[dict[str, str]]:
    """A migrated database of its own: a fresh PostgreSQL database when the suite runs on
    PostgreSQL, else a SQLite file."""
    env = {"SASCOP_ENV": "development", "TRABAJADOR_ID": "trabajador-e2e"}
    if os.environ.get("DATABASE_URL", "").startswith("postgres"):
        name = f"sascop_tareas_{uuid.uuid4().hex[:10]}"
        with psycopg.connect(_pg_url("postgres"), autocommit=True) as connection:
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        env["DATABASE_URL"] = _pg_url(name)
    else:
        env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    manage("migrate", "--noinput", env=env)
    try:
        yield env
    finally:
        if env["DATABASE_URL"].startswith("postgres"):
            with psycopg.connect(_pg_url("postgres"), autocommit=True) as connection:
                query = sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)")
                connection.execute(
                    query.format(sql.Identifier(urlsplit(env["DATABASE_URL"]).path[1:]))
                )


def _python(code: str, env: dict[str, str]) -> str:
    """Run `code` in a Django shell of the deployment; its printed output."""
    return manage("shell", "--no-imports", "-c", code, env=env).strip()


def _encolar(env: dict[str, str], correos: list[str], espera: Path) -> str:
    return _python(
        "from sascop.tareas.services import tarea_encolar\n"
        "from tests.tareas_prueba import registrar_y_esperar\n"
        f"print(tarea_encolar(registrar_y_esperar, {correos!r}, {str(espera)!r}).pk)",
        env,
    )


def _estado(env: dict[str, str], tarea_id: str) -> str:
    return _python(
        "from sascop.tareas.models import Tarea\n"
        "from sascop.tareas.selectors import tarea_estado\n"
        f"e = tarea_estado(Tarea.objects.get(pk={tarea_id!r}))\n"
        "print(e['estado'], e['avance'], e['resultado'])",
        env,
    )


def _filas(env: dict[str, str]) -> str:
    return _python(
        "from sascop.reportes.models import DestinatarioReporte as D\n"
        "print(sorted(D.objects.values_list('correo', flat=True)))",
        env,
    )


def _trabajador(env: dict[str, str], *extra: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "manage.py", "trabajar", "--intervalo", "0.1", *extra],
        cwd=ROOT,
        env={**os.environ, **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def _esperar(condicion, que: str) -> None:
    limite = time.monotonic() + PLAZO
    while not condicion():
        if time.monotonic() > limite:
            pytest.fail(f"waited {PLAZO} s for {que}")
        time.sleep(0.2)


def test_a_worker_runs_a_queued_task_and_its_owner_sees_it_finish(base, tmp_path):
    espera = tmp_path / "seguir"
    espera.touch()  # nothing to wait for
    tarea_id = _encolar(base, ["a@example.com", "b@example.com"], espera)
    assert _estado(base, tarea_id) == "en_cola None None"

    trabajador = _trabajador(base, "--max-tareas", "1")
    salida, _ = trabajador.communicate(timeout=PLAZO)

    assert trabajador.returncode == 0, salida
    assert _estado(base, tarea_id) == "terminada 100 2"
    assert _filas(base) == "['a@example.com', 'b@example.com']"


def test_a_worker_killed_mid_task_leaves_nothing_and_the_task_is_reported_failed(base, tmp_path):
    espera = tmp_path / "nunca"
    tarea_id = _encolar(base, ["a@example.com", "b@example.com"], espera)
    trabajador = _trabajador(base)
    try:
        # The task said how far it got (outside its transaction) and is inside it now.
        dentro = tmp_path / "nunca.dentro"
        _esperar(dentro.exists, "the task to write its rows")
    finally:
        trabajador.send_signal(signal.SIGKILL)
        trabajador.wait(timeout=PLAZO)

    assert _filas(base) == "[]"  # its transaction died with it, though it had written them
    assert _estado(base, tarea_id) == "ejecutando 33 None"  # the queue cannot know yet

    # The same worker comes back: what it was running is failed, and it goes on working.
    espera.touch()
    trabajador = _trabajador(base, "--max-tareas", "1")
    segundo = _encolar(base, ["c@example.com"], espera)
    salida, _ = trabajador.communicate(timeout=PLAZO)

    assert f"Task {tarea_id} was interrupted" in salida or tarea_id in salida, salida
    assert _estado(base, tarea_id) == "fallida 33 None"
    assert _estado(base, segundo) == "terminada 100 1"
    assert _filas(base) == "['c@example.com']"
