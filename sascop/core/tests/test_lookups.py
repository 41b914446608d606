from __future__ import annotations

import pytest
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext

from sascop.core.db.lookups import EnLista
from sascop.ptes.models import PTE
from sascop.ptes.tests.factories import PTEFactory

pytestmark = pytest.mark.django_db


def test_a_long_list_filters_as_in_does_and_is_one_array_on_postgresql():
    ptes = PTEFactory.create_batch(3)
    otra = PTEFactory()
    ids = [p.pk for p in ptes] + list(range(10**6, 10**6 + 1000))

    # Through a relation too: the PTEs of the client of `otra`.
    with CaptureQueriesContext(connection) as consultas:
        encontradas = set(PTE.objects.filter(EnLista(F("pk"), ids)).values_list("pk", flat=True))
        del_cliente = set(
            PTE.objects.filter(EnLista(F("cliente__ptes"), [otra.pk])).values_list("pk", flat=True)
        )

    assert encontradas == {p.pk for p in ptes}
    assert del_cliente == {p.pk for p in PTE.objects.filter(cliente=otra.cliente)}
    sql = consultas.captured_queries[0]["sql"]
    assert (" = ANY(" in sql) == (connection.vendor == "postgresql")
    assert (" IN (" in sql) == (connection.vendor != "postgresql")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the array is PostgreSQL's")
def test_the_array_has_the_columns_integer_type_so_postgresql_can_hash_it():
    pte = PTEFactory()
    with CaptureQueriesContext(connection) as consultas:
        # Small ids: psycopg alone would send them as smallint[], a cross-type test.
        assert list(
            PTE.objects.filter(EnLista(F("pk"), [pte.pk, 1, 2])).values_list("pk", flat=True)
        ) == [pte.pk]
    assert "= ANY(CAST(" in consultas.captured_queries[0]["sql"]
    assert "AS bigint[]))" in consultas.captured_queries[0]["sql"]
