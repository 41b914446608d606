"""Two drafts over the same days presented at the same moment: the lock on the OT lets one
claim the volume, the other finds nothing left (PostgreSQL: SQLite runs one writer at a time
anyway)."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection, connections

from sascop.accounts.tests.factories import UserFactory
from sascop.core.errors import Conflict
from sascop.estimaciones import services
from sascop.estimaciones.models import Estimacion, EstimacionProduccion
from sascop.estimaciones.tests.conftest import D, crear_obra

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
]


def test_two_presentations_at_once_claim_the_volume_once():
    obra = crear_obra()
    usuario: Any = UserFactory()
    borradores = [
        services.estimacion_crear(
            usuario=usuario, ot_id=obra["ot"].pk, desde=D(2026, 5, 1), hasta=D(2026, 5, 31)
        )
        for _ in range(2)
    ]
    salida = threading.Barrier(2)
    resultados: dict[int, str] = {}

    def presentar(estimacion: Estimacion) -> None:
        try:
            salida.wait()
            services.estimacion_actualizar(
                usuario=usuario, estimacion_id=estimacion.pk, datos={"estatus": "PRESENTADA"}
            )
            resultados[estimacion.pk] = "presentada"
        except Conflict:
            resultados[estimacion.pk] = "nada"
        finally:
            connections.close_all()

    hilos = [threading.Thread(target=presentar, args=(b,)) for b in borradores]
    for hilo in hilos:
        hilo.start()
    for hilo in hilos:
        hilo.join(timeout=30)

    assert sorted(resultados.values()) == ["nada", "presentada"]
    reclamado = {
        fila.produccion_id: fila.volumen
        for fila in EstimacionProduccion.objects.filter(vigente=True)
    }
    assert reclamado == {obra["buceo3"].pk: 2, obra["buceo4"].pk: 3, obra["lancha3"].pk: 1.5}
    assert (
        list(Estimacion.objects.order_by("numero").values_list("estatus", flat=True)).count(
            "PRESENTADA"
        )
        == 1
    )
