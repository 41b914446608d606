"""A write answered with an error is never applied, even if its service had committed."""

from __future__ import annotations

from http import HTTPStatus

import pytest
from django.db import OperationalError, connection

from sascop.ptes.models import PTE
from sascop.ptes.tests.factories import cuerpo_pte_nueva
from tests.envelope import SERVICE_UNAVAILABLE

pytestmark = pytest.mark.django_db


def _database_stops_when_the_answer_is_read(execute, sql, params, many, context):
    # The service has stored the PTE; building the 201 answer reads its steps back.
    if sql.lstrip().upper().startswith("SELECT") and "ptes_ptedetalle" in sql:
        raise OperationalError("server closed the connection unexpectedly")
    return execute(sql, params, many, context)


def test_write_whose_answer_fails_is_rolled_back(engineer, csrf):
    body = cuerpo_pte_nueva(
        oficio_pte="PTE-2026-0500", oficio_solicitud="SOL-1", total_homologado="1000.00"
    )

    with connection.execute_wrapper(_database_stops_when_the_answer_is_read):
        response = engineer.post(
            "/operaciones/api/ptes/", body, content_type="application/json", **csrf(engineer)
        )

    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    assert response.json() == SERVICE_UNAVAILABLE
    assert response["Retry-After"] == "5"
    assert not PTE.all_objects.filter(oficio_pte="PTE-2026-0500").exists()
