"""The PostgreSQL backend's limits: on while serving a web request, off for commands.

A real hang (every PostgreSQL process stopped) is exercised in tests/faults/.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator

import psycopg
import pytest
from django.db import OperationalError, connection, connections

from sascop.core.db.postgresql import serving_request

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="the backend is used with PostgreSQL only"
    ),
]
LIMITS = ("statement_timeout", "idle_in_transaction_session_timeout", "idle_session_timeout")


@pytest.fixture
def fresh() -> Iterator:
    """New connections through the backend (not the test's transaction), closed afterwards."""
    opened = []

    def make(**options):
        default = connections["default"]
        settings_dict = {
            **default.settings_dict,
            "OPTIONS": {**default.settings_dict["OPTIONS"], **options},
        }
        db = type(default)(settings_dict)
        opened.append(db)
        return db

    yield make
    for db in opened:
        db.close()


@pytest.fixture
def serving() -> Iterator[None]:
    token = serving_request.set(True)
    yield
    serving_request.reset(token)


def _show(db, name: str) -> str:
    with db.cursor() as cursor:
        cursor.execute(f"SHOW {name}")
        return cursor.fetchone()[0]


def test_connection_opened_for_a_request_carries_the_server_limits(fresh, serving):
    db = fresh(request_statement_timeout=7)

    assert {name: _show(db, name) for name in LIMITS} == dict.fromkeys(LIMITS, "7s")


def test_connection_opened_by_a_command_has_no_server_limits(fresh):
    db = fresh(request_statement_timeout=7)

    assert {name: _show(db, name) for name in LIMITS} == dict.fromkeys(LIMITS, "0")


def test_settings_default_is_ten_seconds(fresh, serving):
    assert _show(fresh(), "statement_timeout") == "10s"


def test_settings_turn_jit_off_in_commands_and_requests(fresh, serving):
    assert _show(fresh(), "jit") == "off"
    assert _show(connection, "jit") == "off"


def test_slow_statement_in_a_request_is_cancelled_and_the_connection_survives(fresh, serving):
    db = fresh(request_statement_timeout=0.2)

    with pytest.raises(OperationalError) as raised, db.cursor() as cursor:
        cursor.execute("SELECT pg_sleep(5)")

    # The server cancelled it (a clean error), the client did not have to cut the socket.
    assert isinstance(raised.value.__cause__, psycopg.errors.QueryCanceled)
    with db.cursor() as cursor:
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)


def test_statement_outside_a_request_is_not_cut(fresh):
    # Longer than the client's deadline would be in a request (0.05 + 2 s).
    db = fresh(request_statement_timeout=0.05)

    with db.cursor() as cursor:
        cursor.execute("SELECT pg_sleep(2.3), 1")
        assert cursor.fetchone() == ("", 1)


def test_one_watchdog_thread_per_process(fresh, serving):
    for _ in range(3):
        _show(fresh(), "statement_timeout")

    watchdogs = [t for t in threading.enumerate() if t.name == "sascop-db-watchdog"]
    assert len(watchdogs) == 1
