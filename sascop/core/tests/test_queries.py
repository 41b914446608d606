"""A block without queries that ran long leaves the connection closed, to be opened anew."""

from __future__ import annotations

import pytest
from django.db import connection

from sascop.core.db import queries

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    # SQLite has no idle limit (and Django keeps an in-memory test database open).
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's idle limit"),
]


def _clock(monkeypatch, *moments: float) -> None:
    """time.monotonic() gives these moments, then the last one again (it is everybody's)."""
    ticks = list(moments)
    monkeypatch.setattr(
        queries.time, "monotonic", lambda: ticks.pop(0) if len(ticks) > 1 else ticks[0]
    )


def test_after_a_long_block_the_next_query_opens_a_new_connection(monkeypatch):
    connection.ensure_connection()
    before = connection.connection
    _clock(monkeypatch, 100.0, 105.0)  # the block took 5 s (the server may have ended it)

    with queries.sin_la_base_de_datos():
        pass

    assert connection.connection is None
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    assert connection.connection is not None and connection.connection is not before


def test_after_a_short_block_the_connection_stays(monkeypatch):
    connection.ensure_connection()
    before = connection.connection
    _clock(monkeypatch, 100.0, 100.2)

    with queries.sin_la_base_de_datos():
        pass

    assert connection.connection is before


def test_inside_a_transaction_the_connection_is_never_closed(monkeypatch):
    from django.db import transaction

    _clock(monkeypatch, 100.0, 200.0)
    with transaction.atomic():
        before = connection.connection
        with queries.sin_la_base_de_datos():
            pass
        assert connection.connection is before


def test_a_beat_queries_only_once_its_interval_has_passed(django_assert_num_queries):
    from sascop.accounts.models import User

    momentos = iter([100.0, 100.5, 101.9, 102.1, 102.2, 104.0, 104.3, 104.3])
    latido = queries.Latido(User.objects.all(), cada=2.0, reloj=lambda: next(momentos))

    with django_assert_num_queries(0):
        latido()  # 100.5
        latido()  # 101.9
    with django_assert_num_queries(1):
        latido()  # 102.1: a query, the next interval from 102.2
    with django_assert_num_queries(0):
        latido()  # 104.0
    with django_assert_num_queries(1):
        latido()  # 104.3
