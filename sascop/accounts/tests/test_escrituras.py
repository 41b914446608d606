"""core.escrituras: writes collected in a block and sent together, as the login sends its rows."""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from sascop.accounts.models import EventoAcceso, User
from sascop.core import escrituras

pytestmark = pytest.mark.django_db


def _event(user: User, identifier: str) -> EventoAcceso:
    return EventoAcceso(result="success", user=user, identifier=identifier, ip="10.0.0.1")


def test_outside_a_block_each_write_is_a_save(user):
    event = _event(user, "ahora")
    escrituras.insertar(event)

    assert event.pk is not None
    user.last_login = timezone.now()
    escrituras.actualizar(user, ["last_login"])
    assert User.objects.get(pk=user.pk).last_login == user.last_login


def test_a_block_sends_its_writes_at_its_end_in_one_statement_on_postgresql(user):
    when = timezone.now()
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        with escrituras.juntas():
            escrituras.insertar(_event(user, "uno"))
            with escrituras.juntas():  # joins the outer block
                escrituras.insertar(_event(user, "dos"))
            user.last_login = when
            escrituras.actualizar(user, ["last_login"])
            assert not EventoAcceso.objects.exists()  # nothing sent yet
        sent = [q["sql"] for q in queries.captured_queries if "SELECT" not in q["sql"][:6]]

    writes = [sql for sql in sent if sql.split()[0] in {"WITH", "INSERT", "UPDATE"}]
    assert len(writes) == (1 if connection.vendor == "postgresql" else 3)
    rows = EventoAcceso.objects.order_by("identifier")  # PostgreSQL: clauses in no set order
    assert [(e.identifier, e.user_id, e.ip, e.result) for e in rows] == [
        ("dos", user.pk, "10.0.0.1", "success"),
        ("uno", user.pk, "10.0.0.1", "success"),
    ]
    assert all(e.at is not None for e in rows)  # the field's default, as a save gives it
    assert User.objects.get(pk=user.pk).last_login == when


def test_a_block_that_raises_sends_nothing(user):
    with pytest.raises(RuntimeError), escrituras.juntas():
        escrituras.insertar(_event(user, "perdido"))
        raise RuntimeError("a login that failed half way")

    assert not EventoAcceso.objects.exists()
    escrituras.insertar(_event(user, "después"))  # and the next write is not held back
    assert EventoAcceso.objects.filter(identifier="después").exists()
