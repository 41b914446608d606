"""The real service under gunicorn while its PostgreSQL hangs or crashes.

Each test starts its own PostgreSQL cluster (tests/faults/postgres.py), never the one the
rest of the suite uses. A hang is every PostgreSQL process stopped with SIGSTOP: the kernel
still accepts connections and acknowledges data, so only the client's own deadlines help.

What must hold: every answer is the JSON envelope (503 with Retry-After while the database
does not answer) and comes within a few seconds; every write answered 201 is in the database
afterwards and no write answered otherwise is; the service recovers without a restart.
"""

from __future__ import annotations

import itertools
import os
import random
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any

import pytest
import requests
from django.db import OperationalError
from django.db.utils import ConnectionHandler

from sascop.core.db.postgresql import serving_request
from tests.faults.postgres import Cluster, cluster
from tests.server import gunicorn, manage

pytestmark = pytest.mark.skipif(
    os.environ.get("SASCOP_SKIP_FAULT_TESTS") == "1",
    reason="SASCOP_SKIP_FAULT_TESTS=1: they bring their own PostgreSQL, one pass runs them",
)
USERNAME, PASSWORD = "ana", "Clave-De-Prueba-77"
PTES = "/operaciones/api/ptes/"
# Generous: the behaviour under test is "a few seconds, not a hung worker" (connect timeout
# and health check take 3 s here); gunicorn would kill the worker at 30 s.
FAST = 10.0
UNAVAILABLE = {
    "error": "Service unavailable",
    "code": "service_unavailable",
    "detail": "A backing service (the database) is not answering. Try again shortly.",
}
_serial = itertools.count()


@dataclass
class Service:
    """The service under gunicorn, its cluster, and the answers to one test's writes."""

    url: str
    pg: Cluster
    catalogos: dict[str, int]
    answers: dict[str, requests.Response] = field(default_factory=dict)

    def login(self) -> requests.Session:
        session = requests.Session()
        response = session.post(
            f"{self.url}/api/login/", json={"username": USERNAME, "password": PASSWORD}, timeout=30
        )
        assert response.status_code == HTTPStatus.OK, response.text
        session.headers["X-CSRFToken"] = session.cookies["csrftoken"]
        return session

    def write(self, session: requests.Session) -> requests.Response:
        """POST a PTE with a new oficio_pte; remember the answer under that oficio."""
        oficio = f"FALLA-{next(_serial):05d}"
        body = {
            "oficio_pte": oficio,
            "oficio_solicitud": "SOL-1",
            "descripcion_trabajo": "Prueba de fallas",
            "fecha_solicitud": "2026-03-15",
            "plazo_dias": 20,
            **self.catalogos,
            "total_homologado": "1000.00",
        }
        response = session.post(f"{self.url}{PTES}", json=body, timeout=60)
        self.answers[oficio] = response
        return response

    def stored(self) -> set[str]:
        with self.pg.connect("sascop") as conn:
            rows = conn.execute("SELECT oficio_pte FROM ptes_pte WHERE oficio_pte LIKE 'FALLA-%'")
            return {row[0] for row in rows}

    def assert_writes_consistent(self) -> None:
        """Acknowledged writes are stored, others are not, and every answer was JSON."""
        assert self.answers
        for response in self.answers.values():
            assert response.headers["Content-Type"] == "application/json", response.text
            response.json()
        acknowledged = {o for o, r in self.answers.items() if r.status_code == HTTPStatus.CREATED}
        refused = set(self.answers) - acknowledged
        for oficio in refused:
            assert self.answers[oficio].status_code == HTTPStatus.SERVICE_UNAVAILABLE
            assert self.answers[oficio].json() == UNAVAILABLE
            assert self.answers[oficio].headers["Retry-After"] == "5"
        stored = self.stored()
        assert acknowledged - stored == set(), "acknowledged writes were lost"
        assert refused & stored == set(), "writes answered 503 were stored"


@pytest.fixture(scope="module")
def running() -> Iterator[Service]:
    with cluster() as pg:
        with pg.connect() as conn:
            conn.execute("CREATE DATABASE sascop")
        env = {
            "DATABASE_URL": pg.url("sascop"),
            "REDIS_URL": "",
            "SASCOP_ENV": "development",
            "DEBUG": "false",
            "DB_CONNECT_TIMEOUT": "3",
            # Only shortens how long a request caught mid-way by the hang waits (2 + 2 s).
            "DB_STATEMENT_TIMEOUT": "2",
            "CONN_MAX_AGE": "60",
            "AXES_ENABLED": "false",
            "LOG_LEVEL": "CRITICAL",
        }
        manage("migrate", "--noinput", env=env)
        manage("ensure_demo_admin", "--username", USERNAME, "--password", PASSWORD, env=env)
        manage("cargar_demo", "--ptes", "0", "--ots", "0", "--produccion", "0", env=env)
        with pg.connect("sascop") as conn:
            catalogos = {
                name: _first_id(conn, table)
                for name, table in [
                    ("cliente", "catalogos_cliente"),
                    ("tipo", "catalogos_tipo WHERE aplica_a = 'pte'"),
                    ("responsable_proyecto", "catalogos_responsableproyecto"),
                ]
            }
        # One sync worker: which requests find its database connection open is then known.
        with gunicorn(env, workers=1) as url:
            yield Service(url, pg, catalogos)


@pytest.fixture
def service(running: Service) -> Service:
    # Each test leaves the cluster running; its writes are its own.
    return Service(running.url, running.pg, running.catalogos)


def _first_id(conn, table: str) -> int:
    row = conn.execute(f"SELECT min(id) FROM {table}").fetchone()
    assert row is not None and row[0] is not None
    return int(row[0])


def _timed(call, *args, **kwargs) -> tuple[requests.Response, float]:
    started = time.monotonic()
    response = call(*args, **kwargs)
    return response, time.monotonic() - started


def _assert_unavailable(response: requests.Response, elapsed: float) -> None:
    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE, response.text
    assert response.headers["Content-Type"] == "application/json"
    assert response.headers["Retry-After"] == "5"
    assert response.json()["code"] == "service_unavailable"
    assert elapsed < FAST


def test_hung_postgresql_answers_503_in_seconds_and_recovers(service):
    url, pg = service.url, service.pg
    session = service.login()
    for _ in range(3):
        assert service.write(session).status_code == HTTPStatus.CREATED
    assert session.get(f"{url}{PTES}", timeout=30).status_code == HTTPStatus.OK

    # The worker's connection is open: the health check before reusing it meets the hang.
    pg.pause()
    try:
        listing, listing_s = _timed(session.get, f"{url}{PTES}", timeout=60)
        # That connection is gone; these open new ones, which meet the hang too.
        write, write_s = _timed(service.write, session)
        login, login_s = _timed(
            requests.post,
            f"{url}/api/login/",
            json={"username": USERNAME, "password": PASSWORD},
            timeout=60,
        )
    finally:
        pg.resume()
    _assert_unavailable(listing, listing_s)
    assert listing.json() == UNAVAILABLE
    _assert_unavailable(write, write_s)
    _assert_unavailable(login, login_s)

    health = requests.get(f"{url}/healthz", timeout=30)
    assert health.status_code == HTTPStatus.OK, health.text

    # /healthz on an open connection, by a probe without a session.
    pg.pause()
    try:
        health, health_s = _timed(requests.get, f"{url}/healthz", timeout=60)
    finally:
        pg.resume()
    _assert_unavailable(health, health_s)
    assert health.json() == {
        "error": "Service unavailable",
        "code": "service_unavailable",
        "detail": "A backing service is not answering.",
        "checks": {"database": "unavailable", "redis": "not_configured"},
    }

    assert requests.get(f"{url}/healthz", timeout=30).status_code == HTTPStatus.OK
    assert session.get(f"{url}{PTES}", timeout=30).status_code == HTTPStatus.OK
    assert service.write(session).status_code == HTTPStatus.CREATED
    service.assert_writes_consistent()


def _write_stream(service: Service, stop: threading.Event) -> None:
    session = service.login()
    while not stop.is_set():
        if service.write(session).status_code != HTTPStatus.CREATED:
            time.sleep(0.05)  # while the database is down, a client backs off a little


def test_writes_caught_by_a_hang_are_answered_and_not_applied_later(service):
    for _ in range(2):
        stop = threading.Event()
        writer = threading.Thread(target=_write_stream, args=(service, stop))
        writer.start()
        try:
            time.sleep(random.uniform(0.3, 1.0))  # a random point in the stream of writes
            pg_paused_at = len(service.answers)
            service.pg.pause()
            # Let the write caught mid-way and one more that meets the hang finish.
            deadline = time.monotonic() + 30
            while len(service.answers) < pg_paused_at + 2 and time.monotonic() < deadline:
                time.sleep(0.1)
        finally:
            # Resumed while the writer still runs: writes go through again.
            service.pg.resume()
            time.sleep(0.5)
            stop.set()
            writer.join(timeout=60)
    statuses = {r.status_code for r in service.answers.values()}
    assert statuses == {HTTPStatus.CREATED, HTTPStatus.SERVICE_UNAVAILABLE}
    service.assert_writes_consistent()


def test_crashed_postgresql_answers_503_and_keeps_acknowledged_writes(service):
    url, pg = service.url, service.pg
    stop = threading.Event()
    writer = threading.Thread(target=_write_stream, args=(service, stop))
    writer.start()
    try:
        time.sleep(random.uniform(0.5, 1.5))
        pg.crash()
        time.sleep(1.0)  # writes keep coming while it is down
        down_health, down_s = _timed(requests.get, f"{url}/healthz", timeout=60)
        pg.start()
        time.sleep(1.0)
    finally:
        stop.set()
        writer.join(timeout=60)
    _assert_unavailable(down_health, down_s)
    statuses = {r.status_code for r in service.answers.values()}
    assert statuses == {HTTPStatus.CREATED, HTTPStatus.SERVICE_UNAVAILABLE}
    service.assert_writes_consistent()
    assert requests.get(f"{url}/healthz", timeout=30).status_code == HTTPStatus.OK


def _backend(pg: Cluster, statement_timeout: float) -> Any:
    """A connection through the project's backend to the throw-away cluster."""
    handler = ConnectionHandler(
        {
            "default": {
                "ENGINE": "sascop.core.db.postgresql",
                "NAME": "sascop",
                "USER": "postgres",
                "HOST": "127.0.0.1",
                "PORT": pg.port,
                "OPTIONS": {"connect_timeout": 3, "request_statement_timeout": statement_timeout},
            }
        }
    )
    return handler["default"]


@pytest.mark.parametrize("in_transaction", [True, False], ids=["commit", "autocommit"])
def test_write_sent_to_a_hung_server_is_not_applied_when_it_resumes(
    running, django_db_blocker, in_transaction
):
    # The server receives the COMMIT (or the autocommit INSERT) into its socket buffer while
    # stopped; the client gives up and answers 503. Once resumed, the server must not run it.
    pg, value = running.pg, f"probe-{time.time_ns()}"
    db = _backend(pg, statement_timeout=2)
    serving = serving_request.set(True)
    try:
        with django_db_blocker.unblock():
            with db.cursor() as cursor:
                cursor.execute("CREATE TABLE IF NOT EXISTS probe (v text)")
            insert = "INSERT INTO probe VALUES (%s)"
            if in_transaction:
                db.set_autocommit(False)
                with db.cursor() as cursor:
                    cursor.execute(insert, [value])
            pg.pause()
            try:
                with pytest.raises(OperationalError, match="did not answer within 4 s"):
                    if in_transaction:
                        db.commit()
                    else:
                        with db.cursor() as cursor:
                            cursor.execute(insert, [value])
            finally:
                pg.resume()
    finally:
        serving_request.reset(serving)
        db.close()
    with pg.connect("sascop") as conn:
        assert conn.execute("SELECT count(*) FROM probe WHERE v = %s", [value]).fetchone() == (0,)
