"""A write answered with an error is never applied, even if its service had committed."""

from __future__ import annotations

from http import HTTPStatus

import pytest
from django.db import OperationalError, connection

from sascop.catalogos.tests.factories import (
    ClienteFactory,
    PasoFactory,
    ResponsableFactory,
    TipoPTEFactory,
)
from sascop.ptes.models import PTE

pytestmark = pytest.mark.django_db


def _database_stops_when_the_answer_is_read(execute, sql, params, many, context):
    # The service has stored the PTE; building the 201 answer reads its steps back.
    if sql.lstrip().upper().startswith("SELECT") and "ptes_ptedetalle" in sql:
        raise OperationalError("server closed the connection unexpectedly")
    return execute(sql, params, many, context)


def test_write_whose_answer_fails_is_rolled_back(engineer, csrf):
    cliente = ClienteFactory()
    PasoFactory(tipo_cliente=cliente.tipo)
    body = {
        "oficio_pte": "PTE-2026-0500",
        "oficio_solicitud": "SOL-1",
        "descripcion_trabajo": "Inspección",
        "fecha_solicitud": "2026-03-15",
        "plazo_dias": 20,
        "responsable_proyecto": ResponsableFactory().pk,
        "cliente": cliente.pk,
        "tipo": TipoPTEFactory().pk,
        "total_homologado": "1000.00",
    }

    with connection.execute_wrapper(_database_stops_when_the_answer_is_read):
        response = engineer.post(
            "/operaciones/api/ptes/", body, content_type="application/json", **csrf(engineer)
        )

    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    assert response.json() == {
        "error": "Service unavailable",
        "code": "service_unavailable",
        "detail": "A backing service (the database) is not answering. Try again shortly.",
    }
    assert response["Retry-After"] == "5"
    assert not PTE.all_objects.filter(oficio_pte="PTE-2026-0500").exists()
