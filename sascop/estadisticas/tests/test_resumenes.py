"""The running totals (resumenes.py) against a full recomputation, whatever writes them."""

from __future__ import annotations

import datetime
import itertools
import random
from collections.abc import Callable
from decimal import Decimal
from http import HTTPStatus
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sascop.catalogos.estatus import EstatusOT, EstatusPTE
from sascop.catalogos.models import Cliente
from sascop.catalogos.tests.factories import ClienteFactory
from sascop.estadisticas import resumenes
from sascop.estadisticas.models import ResumenAnexo, ResumenOT, ResumenProduccion, ResumenPTE
from sascop.estadisticas.selectors import (
    SIN_FILTRO,
    calcular,
    calcular_montos_por_cliente,
    ejecutado_por_mes,
    estadisticas,
    montos_por_cliente,
    ots_atrasadas,
    total_ots_atrasadas,
    total_ptes_vencidas,
)
from sascop.estimaciones.selectors import montos_por_mes
from sascop.ots.models import OT
from sascop.ots.tests.factories import OTFactory
from sascop.precios.models import AnexoOT, PartidaAnexoOT
from sascop.precios.tests.factories import AnexoOTFactory
from sascop.produccion.models import Produccion
from sascop.produccion.tests.factories import ProduccionFactory
from sascop.ptes.models import PTE
from sascop.ptes.selectors import ptes_vencidas
from sascop.ptes.tests.factories import PTEFactory

pytestmark = pytest.mark.django_db
# Unique keys across hypothesis' examples, which share the database.
CONTADOR = itertools.count(1)


def assert_exact() -> None:
    assert estadisticas() == calcular()
    assert montos_por_cliente(limite=1000) == calcular_montos_por_cliente(limite=1000)
    # The amounts executed per month, as the estimaciones panel reads them from the totals
    # and as it computes them from the rows (with a client or a date range).
    desde = datetime.date(2000, 1, 1)
    assert montos_por_mes(desde=desde, ejecutado=ejecutado_por_mes(desde)) == montos_por_mes(
        desde=desde
    )
    # The overdue PTEs and late OTs on any day, as the dashboard counts them without a filter.
    for dia in DIAS:
        assert total_ptes_vencidas(dia) == ptes_vencidas(dia).count()
        assert total_ots_atrasadas(dia) == ots_atrasadas(SIN_FILTRO, dia).count()


DIAS = [datetime.date(2024, 6, 1), datetime.date(2025, 7, 15), datetime.date(2026, 5, 20)]


class Mundo:
    """Random writes through every path: factories (save), bulk_create, QuerySet.update and
    .delete, soft delete and restore, compaction. Unique keys come from one counter."""

    def __init__(self) -> None:
        self.clientes: list[Cliente] = [
            Cliente.objects.filter(descripcion=f"Cliente {i}").first()
            or ClienteFactory.create(descripcion=f"Cliente {i}")
            for i in range(3)
        ]

    def _sig(self) -> int:
        return next(CONTADOR)

    def _fecha(self) -> datetime.date:
        # Unique per row (so no update collides with produccion_unica), over ~20 months.
        return datetime.date(2025, 1, 1) + datetime.timedelta(days=self._sig() % 600)

    def _muestra(self, rng: random.Random, qs: Any, k: int) -> list[int]:
        ids = list(qs.values_list("pk", flat=True))
        return rng.sample(ids, min(k, len(ids)))

    # PTEs
    def pte_crear(self, rng: random.Random) -> None:
        PTEFactory(oficio_pte=f"P-{self._sig()}", estatus=rng.choice(EstatusPTE.values))

    def pte_bulk(self, rng: random.Random) -> None:
        modelo = PTE.all_objects.first() or PTEFactory(oficio_pte=f"P-{self._sig()}")
        nuevas = []
        for _ in range(rng.randint(1, 30)):
            pte = PTE.all_objects.get(pk=modelo.pk)
            pte.pk = None
            pte.oficio_pte = f"P-{self._sig()}"
            pte.estatus = rng.choice(EstatusPTE.values)
            pte.eliminado_en = timezone.now() if rng.random() < 0.2 else None
            nuevas.append(pte)
        PTE.all_objects.bulk_create(nuevas, batch_size=7)

    def pte_update(self, rng: random.Random) -> None:
        ids = self._muestra(rng, PTE.all_objects, rng.randint(1, 10))
        PTE.all_objects.filter(pk__in=ids).update(estatus=rng.choice(EstatusPTE.values))

    def pte_soft_delete(self, rng: random.Random) -> None:
        ids = self._muestra(rng, PTE.all_objects, rng.randint(1, 5))
        valor = None if rng.random() < 0.3 else timezone.now()
        PTE.all_objects.filter(pk__in=ids).update(eliminado_en=valor)

    def pte_save(self, rng: random.Random) -> None:
        for pk in self._muestra(rng, PTE.all_objects, 2):
            pte = PTE.all_objects.get(pk=pk)
            pte.estatus = rng.choice(EstatusPTE.values)
            pte.eliminado_en = None if rng.random() < 0.7 else timezone.now()
            pte.save()

    def pte_plazo(self, rng: random.Random) -> None:
        """What makes a PTE due, and delivered, changed."""
        ids = self._muestra(rng, PTE.all_objects, rng.randint(1, 8))
        cambio: dict[str, Any] = rng.choice(
            [
                {"plazo_dias": rng.randint(1, 400)},
                {"fecha_solicitud": self._fecha() - datetime.timedelta(days=200)},
                {"fecha_entrega": None if rng.random() < 0.5 else self._fecha()},
            ]
        )
        PTE.all_objects.filter(pk__in=ids).update(**cambio)

    def pte_delete(self, rng: random.Random) -> None:
        ids = self._muestra(rng, PTE.all_objects.filter(ots__isnull=True), rng.randint(1, 5))
        PTE.all_objects.filter(pk__in=ids).delete()

    # OTs
    def _monto(self, rng: random.Random) -> Decimal:
        return Decimal(rng.randint(0, 10**9)) / 100

    def ot_crear(self, rng: random.Random) -> None:
        OTFactory(
            orden_trabajo=f"OT-{self._sig()}",
            cliente=rng.choice(self.clientes),
            estatus=rng.choice(EstatusOT.values),
            monto_mxn=self._monto(rng),
            monto_usd=self._monto(rng),
        )

    def ot_bulk(self, rng: random.Random) -> None:
        modelo = OT.all_objects.first()
        if modelo is None:
            return self.ot_crear(rng)
        nuevas = []
        for _ in range(rng.randint(1, 20)):
            ot = OT.all_objects.get(pk=modelo.pk)
            ot.pk = None
            ot.orden_trabajo = f"OT-{self._sig()}"
            ot.cliente = rng.choice(self.clientes)
            ot.estatus = rng.choice(EstatusOT.values)
            ot.monto_mxn, ot.monto_usd = self._monto(rng), self._monto(rng)
            nuevas.append(ot)
        OT.all_objects.bulk_create(nuevas, batch_size=6)
        return None

    def ot_update(self, rng: random.Random) -> None:
        ids = self._muestra(rng, OT.all_objects, rng.randint(1, 10))
        cambio: dict[str, Any] = rng.choice(
            [
                {"estatus": rng.choice(EstatusOT.values)},
                {"cliente": rng.choice(self.clientes)},
                {"monto_mxn": self._monto(rng), "monto_usd": self._monto(rng)},
                {"comentario": "sin efecto en los totales"},
            ]
        )
        OT.all_objects.filter(pk__in=ids).update(**cambio)

    def ot_soft_delete(self, rng: random.Random) -> None:
        # Mostly OTs with production: deleting one moves its production out of the totals.
        qs = OT.all_objects.filter(produccion__isnull=False).distinct()
        ids = self._muestra(rng, qs if rng.random() < 0.8 else OT.all_objects, rng.randint(1, 4))
        valor = None if rng.random() < 0.4 else timezone.now()
        OT.all_objects.filter(pk__in=ids).update(eliminado_en=valor)

    def ot_save(self, rng: random.Random) -> None:
        for pk in self._muestra(rng, OT.all_objects, 2):
            ot = OT.all_objects.get(pk=pk)
            ot.monto_mxn = self._monto(rng)
            ot.eliminado_en = None if rng.random() < 0.6 else timezone.now()
            ot.save()

    def ot_termino(self, rng: random.Random) -> None:
        ids = self._muestra(rng, OT.all_objects, rng.randint(1, 8))
        termino = None if rng.random() < 0.2 else self._fecha()
        OT.all_objects.filter(pk__in=ids).update(fecha_termino_programado=termino)

    def ot_delete(self, rng: random.Random) -> None:
        libres = OT.all_objects.filter(produccion__isnull=True, anexos__isnull=True)
        ids = self._muestra(rng, libres, 3)
        OT.all_objects.filter(pk__in=ids).delete()

    # Production (only ot, fecha_produccion and volumen_produccion matter to the totals)
    def _volumen(self, rng: random.Random) -> Decimal:
        return Decimal(rng.randint(1, 10**8)) / 10000

    def produccion_crear(self, rng: random.Random) -> None:
        ots = list(OT.all_objects.all()[:50])
        ot = rng.choice(ots) if ots else None
        datos: dict[str, Any] = {"ot": ot} if ot else {}
        ProduccionFactory(
            **datos, fecha_produccion=self._fecha(), volumen_produccion=self._volumen(rng)
        )

    def produccion_bulk(self, rng: random.Random) -> None:
        modelo = Produccion.objects.first()
        if modelo is None:
            return self.produccion_crear(rng)
        ots = list(OT.all_objects.all()[:50])
        nuevas = []
        for _ in range(rng.randint(1, 40)):
            fila = Produccion.objects.get(pk=modelo.pk)
            fila.pk = None
            fila.ot = rng.choice(ots)
            fila.fecha_produccion = self._fecha()
            fila.volumen_produccion = self._volumen(rng)
            nuevas.append(fila)
        Produccion.objects.bulk_create(nuevas, batch_size=9)
        return None

    def produccion_update(self, rng: random.Random) -> None:
        ids = self._muestra(rng, Produccion.objects, rng.randint(1, 10))
        eleccion = rng.randrange(3)
        if eleccion == 0:
            Produccion.objects.filter(pk__in=ids).update(volumen_produccion=self._volumen(rng))
        elif eleccion == 1 and OT.all_objects.exists():
            ot = OT.all_objects.order_by("?").first()
            Produccion.objects.filter(pk__in=ids).update(ot=ot)
        else:
            for pk in ids:
                Produccion.objects.filter(pk=pk).update(fecha_produccion=self._fecha())

    def produccion_delete(self, rng: random.Random) -> None:
        ids = self._muestra(rng, Produccion.objects, rng.randint(1, 8))
        Produccion.objects.filter(pk__in=ids).delete()

    def produccion_partida(self, rng: random.Random) -> None:
        """Rows moved to another anexo line (another price)."""
        partidas = self._muestra(rng, PartidaAnexoOT.objects, 1)
        ids = self._muestra(rng, Produccion.objects, rng.randint(1, 6))
        if partidas:
            Produccion.objects.filter(pk__in=ids).update(partida_anexo_id=partidas[0])

    # Anexo lines: their price is part of the amount executed
    def partida_precio(self, rng: random.Random) -> None:
        con_produccion = PartidaAnexoOT.objects.filter(produccion__isnull=False).distinct()
        qs = con_produccion if rng.random() < 0.8 else PartidaAnexoOT.objects
        ids = self._muestra(rng, qs, rng.randint(1, 5))
        if rng.random() < 0.5:
            PartidaAnexoOT.objects.filter(pk__in=ids).update(pu_mn=self._monto(rng) / 1000)
        else:
            for partida in PartidaAnexoOT.objects.filter(pk__in=ids):
                partida.pu_mn = self._monto(rng) / 1000
                partida.save()

    # Anexos: an OT's active one replaces its amounts typed (versions unique by the counter)
    def _sin_anexo_activo(self) -> Any:
        return OT.all_objects.exclude(anexos__activo=True)

    def anexo_crear(self, rng: random.Random) -> None:
        ids = self._muestra(rng, self._sin_anexo_activo(), 1)
        ot = OT.all_objects.get(pk=ids[0]) if ids else OTFactory(orden_trabajo=f"OT-{self._sig()}")
        AnexoOTFactory(
            ot=ot,
            version=self._sig(),
            activo=rng.random() < 0.9,
            importe_mn=self._monto(rng),
            importe_usd=self._monto(rng),
        )

    def anexo_bulk(self, rng: random.Random) -> None:
        """A new version of some OTs' anexos, as an import makes it: the active one
        deactivated, the new one added active, in one transaction."""
        ids = self._muestra(rng, OT.all_objects, rng.randint(1, 6))
        with transaction.atomic():
            AnexoOT.objects.filter(ot_id__in=ids, activo=True).update(activo=False)
            AnexoOT.objects.bulk_create(
                [
                    AnexoOT(
                        ot_id=pk,
                        version=self._sig(),
                        importe_mn=self._monto(rng),
                        importe_usd=self._monto(rng),
                    )
                    for pk in ids
                ],
                batch_size=4,
            )

    def anexo_activo(self, rng: random.Random) -> None:
        """Deactivated, or an old version made the active one again."""
        if rng.random() < 0.5:
            ids = self._muestra(rng, AnexoOT.objects.filter(activo=True), rng.randint(1, 5))
            AnexoOT.objects.filter(pk__in=ids).update(activo=False)
            return
        for pk in self._muestra(rng, AnexoOT.objects.filter(activo=False), 3):
            anexo = AnexoOT.objects.get(pk=pk)
            if not AnexoOT.objects.filter(ot_id=anexo.ot_id, activo=True).exists():
                anexo.activo = True
                anexo.save()

    def anexo_importes(self, rng: random.Random) -> None:
        ids = self._muestra(rng, AnexoOT.objects, rng.randint(1, 6))
        if rng.random() < 0.5:
            AnexoOT.objects.filter(pk__in=ids).update(
                importe_mn=self._monto(rng), importe_usd=self._monto(rng)
            )
        else:
            for anexo in AnexoOT.objects.filter(pk__in=ids):
                anexo.importe_usd = self._monto(rng)
                anexo.save()

    def anexo_mover(self, rng: random.Random) -> None:
        """An anexo moved to another OT (one without an active anexo)."""
        anexos = self._muestra(rng, AnexoOT.objects, 1)
        destino = self._muestra(rng, self._sin_anexo_activo(), 1)
        if anexos and destino:
            AnexoOT.objects.filter(pk=anexos[0]).update(ot_id=destino[0])

    def anexo_delete(self, rng: random.Random) -> None:
        ids = self._muestra(rng, AnexoOT.objects.filter(partidas__isnull=True), rng.randint(1, 4))
        AnexoOT.objects.filter(pk__in=ids).delete()

    def compactar(self, rng: random.Random) -> None:
        resumenes.compactar()


OPERACIONES: list[Callable[[Mundo, random.Random], None]] = [
    Mundo.pte_crear,
    Mundo.pte_bulk,
    Mundo.pte_update,
    Mundo.pte_soft_delete,
    Mundo.pte_save,
    Mundo.pte_plazo,
    Mundo.pte_delete,
    Mundo.ot_crear,
    Mundo.ot_bulk,
    Mundo.ot_update,
    Mundo.ot_soft_delete,
    Mundo.ot_save,
    Mundo.ot_termino,
    Mundo.ot_delete,
    Mundo.produccion_crear,
    Mundo.produccion_bulk,
    Mundo.produccion_update,
    Mundo.produccion_delete,
    Mundo.produccion_partida,
    Mundo.partida_precio,
    Mundo.anexo_crear,
    Mundo.anexo_bulk,
    Mundo.anexo_activo,
    Mundo.anexo_importes,
    Mundo.anexo_mover,
    Mundo.anexo_delete,
    Mundo.compactar,
]


@pytest.fixture
def hoy(time_machine: Any) -> None:
    # Production dates span 2025-01 .. 2026-08: some inside the 12-month window, some not.
    time_machine.move_to("2026-05-20T12:00:00-06:00", tick=False)


@settings(
    max_examples=30,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    pasos=st.lists(
        st.tuples(st.sampled_from(OPERACIONES), st.integers(0, 2**32)), min_size=1, max_size=25
    )
)
def test_totals_equal_a_full_recomputation_after_any_writes(
    hoy: None, pasos: list[tuple[Callable[[Mundo, random.Random], None], int]]
) -> None:
    # The database carries over from one example to the next: the property holds from any
    # starting state, and later examples start from a richer one.
    mundo = Mundo()
    for operacion, semilla in pasos:
        operacion(mundo, random.Random(semilla))
        assert_exact()


def test_a_rolled_back_write_leaves_no_trace(hoy: None) -> None:
    from django.db import transaction

    PTEFactory()
    antes = estadisticas()
    with pytest.raises(RuntimeError), transaction.atomic():
        PTEFactory()
        ProduccionFactory()
        raise RuntimeError
    assert estadisticas() == antes == calcular()


def test_the_demo_loader_keeps_the_totals_exact() -> None:
    call_command("cargar_demo", "--ptes", "60", "--produccion", "300", verbosity=0)
    assert estadisticas() == calcular()
    assert montos_por_cliente() == calcular_montos_por_cliente()


def test_the_contracted_amounts_follow_every_anexo_and_ot_change(hoy: None) -> None:
    """An OT's amount on the dashboard is its active anexo's totals, else the amounts typed,
    whichever row changes and however (save(), a bulk update(), a soft delete)."""
    a, b = ClienteFactory(descripcion="A"), ClienteFactory(descripcion="B")
    uno = OTFactory(cliente=a, estatus=EstatusOT.ASIGNADA, monto_mxn=Decimal("100.00"), monto_usd=0)
    dos = OTFactory(cliente=b, estatus=EstatusOT.ASIGNADA, monto_mxn=Decimal("5.00"), monto_usd=0)

    def montos() -> dict[str, tuple[Decimal, Decimal]]:
        assert_exact()
        return {m["cliente"]: (m["mxn"], m["usd"]) for m in montos_por_cliente()}

    assert montos() == {"A": (Decimal("100.00"), 0), "B": (Decimal("5.00"), 0)}
    # Created: the anexo's totals replace the amounts typed.
    anexo = AnexoOTFactory(ot=uno, importe_mn=Decimal("250.10"), importe_usd=Decimal("3.33"))
    assert montos()["A"] == (Decimal("250.10"), Decimal("3.33"))
    # Amounts changed, by save() and by update().
    anexo.importe_mn = Decimal("260.00")
    anexo.save()
    assert montos()["A"] == (Decimal("260.00"), Decimal("3.33"))
    AnexoOT.objects.filter(pk=anexo.pk).update(importe_usd=Decimal("0.01"))
    assert montos()["A"] == (Decimal("260.00"), Decimal("0.01"))
    # The OT's amount typed changed: no effect while the anexo is active.
    OT.all_objects.filter(pk=uno.pk).update(monto_mxn=Decimal("1.00"))
    assert montos()["A"] == (Decimal("260.00"), Decimal("0.01"))
    # The OT's status and client changed (a bulk update of both OTs).
    OT.all_objects.filter(pk__in=[uno.pk, dos.pk]).update(cliente=b, estatus=EstatusOT.EN_EJECUCION)
    assert montos() == {"B": (Decimal("265.00"), Decimal("0.01"))}
    assert estadisticas()["montos_ot"] == {"mxn": Decimal("265.00"), "usd": Decimal("0.01")}
    # Soft-deleted and restored.
    OT.all_objects.filter(pk=uno.pk).update(eliminado_en=timezone.now())
    assert montos() == {"B": (Decimal("5.00"), 0)}
    OT.all_objects.filter(pk=uno.pk).update(eliminado_en=None)
    assert montos() == {"B": (Decimal("265.00"), Decimal("0.01"))}
    # Moved to the other OT, whose amount typed it then replaces.
    AnexoOT.objects.filter(pk=anexo.pk).update(ot=dos)
    assert montos() == {"B": (Decimal("261.00"), Decimal("0.01"))}
    # Deactivated: the amounts typed again; a new active version.
    anexo.refresh_from_db()
    anexo.activo = False
    anexo.save()
    assert montos() == {"B": (Decimal("6.00"), 0)}
    AnexoOTFactory(ot=dos, version=2, importe_mn=Decimal("0.10"), importe_usd=Decimal("1"))
    assert montos() == {"B": (Decimal("1.10"), Decimal("1.00"))}
    resumenes.compactar()
    assert ResumenAnexo.objects.count() == 1
    assert montos() == {"B": (Decimal("1.10"), Decimal("1.00"))}
    # Deleted.
    AnexoOT.objects.filter(ot=dos).delete()
    assert montos() == {"B": (Decimal("6.00"), 0)}


def test_overdue_ptes_and_late_ots_follow_their_dates_status_and_deletion() -> None:
    """The dashboard's counts without a filter (from the running totals) on a given day,
    whatever changes what makes a PTE overdue or an OT late, by save() or update()."""
    hoy = datetime.date(2026, 5, 20)

    def cuentas() -> tuple[int, int]:
        assert_exact()
        assert total_ptes_vencidas(hoy) == ptes_vencidas(hoy).count()
        assert total_ots_atrasadas(hoy) == ots_atrasadas(SIN_FILTRO, hoy).count()
        return total_ptes_vencidas(hoy), total_ots_atrasadas(hoy)

    pte = PTEFactory(
        fecha_solicitud=datetime.date(2026, 5, 1), plazo_dias=10, estatus=EstatusPTE.PENDIENTE
    )
    ot = OTFactory(fecha_termino_programado=datetime.date(2026, 5, 19), estatus=EstatusOT.ASIGNADA)
    assert cuentas() == (1, 1)
    PTE.all_objects.filter(pk=pte.pk).update(plazo_dias=30)  # due 2026-05-31
    assert cuentas() == (0, 1)
    PTE.all_objects.filter(pk=pte.pk).update(fecha_solicitud=datetime.date(2026, 4, 1))
    assert cuentas() == (1, 1)
    PTE.all_objects.filter(pk=pte.pk).update(fecha_entrega=datetime.date(2026, 5, 2))
    assert cuentas() == (0, 1)
    PTE.all_objects.filter(pk=pte.pk).update(fecha_entrega=None, estatus=EstatusPTE.CANCELADA)
    assert cuentas() == (0, 1)
    pte.refresh_from_db()
    pte.estatus = EstatusPTE.EN_PROCESO
    pte.save()
    assert cuentas() == (1, 1)
    PTE.all_objects.filter(pk=pte.pk).update(eliminado_en=timezone.now())
    assert cuentas() == (0, 1)
    PTE.all_objects.filter(pk=pte.pk).update(eliminado_en=None)
    assert cuentas() == (1, 1)
    # An OT due today is not late yet; one without a programmed end never is.
    OT.all_objects.filter(pk=ot.pk).update(fecha_termino_programado=hoy)
    assert cuentas() == (1, 0)
    OT.all_objects.filter(pk=ot.pk).update(fecha_termino_programado=None)
    assert cuentas() == (1, 0)
    OT.all_objects.filter(pk=ot.pk).update(fecha_termino_programado=datetime.date(2026, 1, 1))
    assert cuentas() == (1, 1)
    OT.all_objects.filter(pk=ot.pk).update(estatus=EstatusOT.TERMINADA)
    assert cuentas() == (1, 0)
    OT.all_objects.filter(pk=ot.pk).update(estatus=EstatusOT.EN_EJECUCION)
    assert cuentas() == (1, 1)
    OT.all_objects.filter(pk=ot.pk).update(eliminado_en=timezone.now())
    assert cuentas() == (1, 0)
    OT.all_objects.filter(pk=ot.pk).update(eliminado_en=None)
    resumenes.compactar()
    assert cuentas() == (1, 1)


def test_soft_deleting_an_ot_takes_its_production_out_and_restoring_puts_it_back(
    hoy: None,
) -> None:
    fila = ProduccionFactory(volumen_produccion=Decimal("2.5000"))
    ProduccionFactory(volumen_produccion=Decimal("1.0000"))
    assert estadisticas()["volumen_total"] == Decimal("3.5000")
    OT.all_objects.filter(pk=fila.ot_id).update(eliminado_en=timezone.now())
    assert estadisticas()["volumen_total"] == Decimal("1.0000")
    OT.all_objects.filter(pk=fila.ot_id).update(eliminado_en=None)
    assert estadisticas()["volumen_total"] == Decimal("3.5000")
    assert_exact()


def test_the_amount_executed_follows_prices_lines_and_deleted_ots(hoy: None) -> None:
    """Per month, volume times the line's current P.U. M.N., whatever changed: a price (by
    update() or save()), the line a row points to, its OT deleted and restored."""
    desde = datetime.date(2000, 1, 1)
    mayo, junio = datetime.date(2026, 5, 4), datetime.date(2026, 6, 9)
    uno = ProduccionFactory(fecha_produccion=mayo, volumen_produccion=Decimal("2.5000"))
    dos = ProduccionFactory(fecha_produccion=junio, volumen_produccion=Decimal("0.3333"))
    PartidaAnexoOT.objects.filter(pk=uno.partida_anexo_id).update(pu_mn=Decimal("100.10"))
    otra = PartidaAnexoOT.objects.get(pk=dos.partida_anexo_id)
    otra.pu_mn = Decimal("7.77")
    otra.save()
    assert ejecutado_por_mes(desde) == {
        "2026-05": Decimal("250.25"),
        "2026-06": Decimal("2.589741"),
    }
    Produccion.objects.filter(pk=dos.pk).update(partida_anexo_id=uno.partida_anexo_id)
    assert ejecutado_por_mes(desde)["2026-06"] == Decimal("33.363330")
    OT.all_objects.filter(pk=uno.ot_id).update(eliminado_en=timezone.now())
    assert "2026-05" not in ejecutado_por_mes(desde)
    PartidaAnexoOT.objects.filter(pk=uno.partida_anexo_id).update(pu_mn=Decimal("1.00"))
    OT.all_objects.filter(pk=uno.ot_id).update(eliminado_en=None)
    resumenes.compactar()
    assert ejecutado_por_mes(desde) == {"2026-05": Decimal("2.5"), "2026-06": Decimal("0.3333")}
    assert ejecutado_por_mes(junio) == {"2026-06": Decimal("0.3333")}
    assert_exact()


def test_compaction_folds_the_ledgers_into_one_row_per_key() -> None:
    cliente = ClienteFactory()
    for _ in range(4):
        PTEFactory(estatus=EstatusPTE.PENDIENTE)
        OTFactory(cliente=cliente, estatus=EstatusOT.ASIGNADA)
    PTE.objects.update(estatus=EstatusPTE.EN_PROCESO)
    assert ResumenPTE.objects.count() > 2
    resumenes.compactar()
    assert list(ResumenPTE.objects.values_list("estatus", "total")) == [(2, 4)]
    assert list(ResumenOT.objects.values_list("estatus", "cliente_id", "total")) == [
        (EstatusOT.ASIGNADA, cliente.pk, 4)
    ]
    assert_exact()


def test_the_dashboard_read_writes_nothing_however_long_the_ledgers(role_client: Any) -> None:
    consulta = role_client("Consulta")
    for _ in range(6):
        PTEFactory(estatus=EstatusPTE.PENDIENTE)
    # A busy stretch without the job: thousands of deltas not yet folded (zeros here).
    ResumenPTE.objects.bulk_create(ResumenPTE(estatus=1, total=0) for _ in range(6000))
    filas = ResumenPTE.objects.count()
    consulta.get("/operaciones/api/estadisticas/")  # with Redis, caches the user

    with CaptureQueriesContext(connection) as queries:
        response = consulta.get("/operaciones/api/estadisticas/")

    assert response.status_code == HTTPStatus.OK
    assert response.json()["total_ptes"] == 6
    escrituras = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].split(None, 1)[0].upper() not in {"SELECT", "SAVEPOINT", "RELEASE"}
    ]
    assert escrituras == []
    # Four reads of the ledgers (PTE, OT, production, anexos), whatever their length.
    assert sum("resumen_" in q["sql"] for q in queries.captured_queries) == 4
    assert ResumenPTE.objects.count() == filas


def test_the_scheduled_job_folds_the_ledgers() -> None:
    for _ in range(5):
        PTEFactory(estatus=EstatusPTE.PENDIENTE)
    assert ResumenPTE.objects.count() == 5

    call_command("recalcular_resumenes", "--compactar", verbosity=0)

    assert list(ResumenPTE.objects.values_list("estatus", "total")) == [(1, 5)]
    assert_exact()


def test_recalcular_rebuilds_after_a_truncate() -> None:
    ProduccionFactory()
    AnexoOTFactory(importe_mn=Decimal("10.01"), importe_usd=Decimal("2.50"))
    assert ResumenAnexo.objects.exists()
    ResumenProduccion.objects.all().delete()
    ResumenPTE.objects.all().delete()
    ResumenOT.objects.all().delete()
    ResumenAnexo.objects.all().delete()
    call_command("recalcular_resumenes", verbosity=0)
    assert ResumenAnexo.objects.exists()
    assert_exact()


def test_every_trigger_is_installed() -> None:
    # A migration that rebuilds a table on SQLite drops its triggers: post_migrate puts them
    # back; this catches a path that does not.
    assert resumenes.triggers_faltantes() == []


def test_triggers_come_back_with_exact_totals_after_being_lost() -> None:
    PTEFactory()
    resumenes.desinstalar()
    PTEFactory()  # not counted: no trigger
    assert resumenes.triggers_faltantes() != []
    assert resumenes.instalar() is True
    assert resumenes.triggers_faltantes() == []
    assert_exact()


def test_the_dashboard_reads_are_three_queries_and_one(django_assert_num_queries: Any) -> None:
    for _ in range(3):
        ProduccionFactory()
    # Each read adds the anexos' adjustments (their own running totals) to the others: one
    # more query, with or without Redis (see estadisticas.selectors.ajustes_por_anexo).
    with django_assert_num_queries(4):
        estadisticas()
    with django_assert_num_queries(2):
        montos_por_cliente()
    # However many rows and clients there are.
    for _ in range(5):
        ProduccionFactory(ot=OTFactory(cliente=ClienteFactory()))
    with django_assert_num_queries(4):
        estadisticas()
    with django_assert_num_queries(2):
        montos_por_cliente()


@pytest.mark.skipif(
    connection.vendor != "sqlite", reason="PostgreSQL's flush truncates, firing no row trigger"
)
def test_a_flush_leaves_exact_totals() -> None:
    # TransactionTestCase flushes between tests: on SQLite that is DELETE FROM table after
    # table, the triggers firing, in no set order, and with serialized rollback no
    # post_migrate follows. A ledger emptied before its source table must stay empty.
    PTEFactory()
    ProduccionFactory()
    with connection.cursor() as cursor:
        for tabla in resumenes.LEDGERS:
            cursor.execute(f"DELETE FROM {tabla}")
        for tabla in ["produccion_produccion", "ptes_ptedetalle", "ptes_pte"]:
            cursor.execute(f"DELETE FROM {tabla}")
    assert estadisticas()["total_ptes"] == 0
    assert estadisticas()["total_produccion"] == 0
    resumenes.despues_de_migrar()  # and a post_migrate, when it comes, recounts the OTs left
    assert estadisticas()["total_ptes"] == 0
    assert_exact()
