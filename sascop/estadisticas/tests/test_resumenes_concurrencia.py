"""An anexo and its OT written at the same moment by two transactions: the anexos' running
totals (resumen_anexo) still equal a full recomputation, whichever locks the OT first
(PostgreSQL: SQLite runs one writer at a time anyway)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.db import connection, connections, transaction
from django.utils import timezone

from sascop.catalogos.estatus import EstatusOT
from sascop.estadisticas.selectors import calcular_montos_por_cliente, montos_por_cliente
from sascop.ots.models import OT
from sascop.ots.tests.factories import OTFactory
from sascop.precios.models import AnexoOT
from sascop.precios.tests.factories import AnexoOTFactory

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
]


def _esperando_un_bloqueo(terminada: threading.Event) -> None:
    """Until another connection waits for a lock (a row of ots_ot here), or the second
    transaction has done without waiting (then the totals tell whether it should have)."""
    limite = time.monotonic() + 20
    with connections["default"].cursor() as cursor:
        while time.monotonic() < limite and not terminada.is_set():
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
            if cursor.fetchone()[0]:
                return
            time.sleep(0.01)


def _a_la_par(primera: Callable[[], None], segunda: Callable[[], None]) -> None:
    """`primera` writes and holds its transaction open until `segunda` (started meanwhile in
    another transaction) waits for it; then both commit."""
    escrito, seguir, escrita = threading.Event(), threading.Event(), threading.Event()
    errores: list[BaseException] = []

    def uno() -> None:
        try:
            with transaction.atomic():
                primera()
                escrito.set()
                seguir.wait(30)
        except BaseException as error:  # reported by the test thread
            errores.append(error)
        finally:
            escrito.set()
            connections.close_all()

    def dos() -> None:
        try:
            escrito.wait(30)
            with transaction.atomic():
                segunda()
        except BaseException as error:
            errores.append(error)
        finally:
            escrita.set()
            connections.close_all()

    hilos = [threading.Thread(target=uno), threading.Thread(target=dos)]
    for hilo in hilos:
        hilo.start()
    try:
        _esperando_un_bloqueo(escrita)
    finally:
        seguir.set()
        for hilo in hilos:
            hilo.join(timeout=30)
    assert errores == []


def _exactos() -> None:
    assert montos_por_cliente(limite=100) == calcular_montos_por_cliente(limite=100)


def test_an_ot_changed_while_its_anexo_is_added() -> None:
    ot = OTFactory(estatus=EstatusOT.ASIGNADA, monto_mxn=Decimal("10.00"))
    otro = OTFactory()

    def cambiar_ot() -> None:
        OT.all_objects.filter(pk=ot.pk).update(
            estatus=EstatusOT.EN_EJECUCION, cliente_id=otro.cliente_id
        )

    def agregar_anexo() -> None:
        AnexoOTFactory(ot_id=ot.pk, importe_mn=Decimal("500.00"))

    # The OT's change first: the anexo's trigger waits for it, then reads the OT as changed.
    _a_la_par(cambiar_ot, agregar_anexo)
    _exactos()
    assert AnexoOT.objects.filter(ot=ot, activo=True).exists()


def test_an_anexo_changed_while_its_ot_is_soft_deleted() -> None:
    ot = OTFactory(estatus=EstatusOT.ASIGNADA, monto_mxn=Decimal("10.00"))
    anexo = AnexoOTFactory(ot=ot, importe_mn=Decimal("500.00"))
    _exactos()

    def cambiar_anexo() -> None:
        AnexoOT.objects.filter(pk=anexo.pk).update(importe_mn=Decimal("700.00"))

    def borrar_ot() -> None:
        OT.all_objects.filter(pk=ot.pk).update(eliminado_en=timezone.now())

    # The anexo's change first: it locks the OT, whose UPDATE waits for it and then its
    # trigger sees the new amount.
    _a_la_par(cambiar_anexo, borrar_ot)
    _exactos()

    def restaurar() -> None:
        OT.all_objects.filter(pk=ot.pk).update(eliminado_en=None)

    def desactivar() -> None:
        AnexoOT.objects.filter(pk=anexo.pk).update(activo=False)

    _a_la_par(restaurar, desactivar)
    _exactos()
