"""What the weekly report says about a range of days: every figure is read here, once."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.apps import apps
from django.db.models import Count, Exists, OuterRef
from django.utils import timezone

from sascop.actividad.models import RegistroActividad
from sascop.catalogos.estatus import EstatusOT, EstatusPTE
from sascop.ots.models import OT
from sascop.precios.models import importe
from sascop.produccion.models import Produccion, ReporteDiario
from sascop.ptes.models import PTE
from sascop.ptes.selectors import ptes_vencidas

ACCIONES = (
    RegistroActividad.Accion.CREAR,
    RegistroActividad.Accion.MODIFICAR,
    RegistroActividad.Accion.ELIMINAR,
)
_CERRADAS = (EstatusOT.TERMINADA, EstatusOT.CANCELADA)


def semana_anterior(hoy: datetime.date) -> tuple[datetime.date, datetime.date]:
    """Monday to Sunday of the week before the one `hoy` falls in."""
    lunes = hoy - datetime.timedelta(days=hoy.weekday() + 7)
    return lunes, lunes + datetime.timedelta(days=6)


@dataclass
class ActividadUsuario:
    usuario: str
    # module (a model's plural name) -> action -> how many distinct records
    por_modulo: dict[str, dict[str, int]] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(sum(acciones.values()) for acciones in self.por_modulo.values())


@dataclass
class ProduccionOT:
    ot_id: int
    orden_trabajo: str
    ejecutado_mn: Decimal = Decimal("0")
    ejecutado_usd: Decimal = Decimal("0")
    firmado_mn: Decimal = Decimal("0")
    firmado_usd: Decimal = Decimal("0")
    filas: int = 0
    filas_firmadas: int = 0


@dataclass
class ResumenSemanal:
    desde: datetime.date
    hasta: datetime.date
    actividad: list[ActividadUsuario]
    ptes_entregadas: list[PTE]
    ptes_vencidas: list[PTE]
    ots_iniciadas: list[OT]
    ots_terminadas: list[OT]
    ots_atrasadas: list[OT]
    produccion: list[ProduccionOT]

    @property
    def total_ejecutado_mn(self) -> Decimal:
        return sum((p.ejecutado_mn for p in self.produccion), Decimal("0"))

    @property
    def total_firmado_mn(self) -> Decimal:
        return sum((p.firmado_mn for p in self.produccion), Decimal("0"))

    @property
    def total_ejecutado_usd(self) -> Decimal:
        return sum((p.ejecutado_usd for p in self.produccion), Decimal("0"))

    @property
    def total_firmado_usd(self) -> Decimal:
        return sum((p.firmado_usd for p in self.produccion), Decimal("0"))


def _modulos() -> dict[str, str]:
    """A model's name as the activity log stores it -> the plural a person reads."""
    nombres = {}
    for model in apps.get_models():
        plural = str(model._meta.verbose_name_plural)
        nombres[model._meta.model_name or ""] = plural[:1].upper() + plural[1:]
    return nombres


def _actividad(desde: datetime.date, hasta: datetime.date) -> list[ActividadUsuario]:
    inicio, fin = _limites(desde, hasta)
    filas = (
        RegistroActividad.objects.filter(fecha__gte=inicio, fecha__lt=fin, accion__in=ACCIONES)
        .values("nombre_usuario", "entidad", "accion")
        # A change of five fields is five log rows but one edited record.
        .annotate(registros=Count("entidad_id", distinct=True))
        .order_by("nombre_usuario", "entidad", "accion")
    )
    modulos = _modulos()
    por_usuario: dict[str, ActividadUsuario] = {}
    for fila in filas:
        nombre = fila["nombre_usuario"] or "—"
        usuario = por_usuario.setdefault(nombre, ActividadUsuario(usuario=nombre))
        modulo = modulos.get(fila["entidad"], fila["entidad"])
        acciones = usuario.por_modulo.setdefault(modulo, defaultdict(int))
        acciones[fila["accion"]] += fila["registros"]
    return sorted(por_usuario.values(), key=lambda a: (-a.total, a.usuario))


def _limites(
    desde: datetime.date, hasta: datetime.date
) -> tuple[datetime.datetime, datetime.datetime]:
    """The range's first and one-past-last instants in the installation's time zone."""
    zona = timezone.get_current_timezone()
    inicio = datetime.datetime.combine(desde, datetime.time.min, tzinfo=zona)
    fin = datetime.datetime.combine(hasta + datetime.timedelta(days=1), datetime.time.min)
    return inicio, fin.replace(tzinfo=zona)


def _produccion(desde: datetime.date, hasta: datetime.date) -> list[ProduccionOT]:
    firmado = ReporteDiario.objects.filter(
        ot=OuterRef("ot"),
        sitio=OuterRef("sitio"),
        fecha=OuterRef("fecha_produccion"),
        estatus=ReporteDiario.Estatus.FIRMADO,
    )
    filas = (
        Produccion.objects.filter(fecha_produccion__range=(desde, hasta))
        .annotate(firmado=Exists(firmado))
        .values_list(
            "ot_id",
            "ot__orden_trabajo",
            "volumen_produccion",
            "partida_anexo__pu_mn",
            "partida_anexo__pu_usd",
            "firmado",
        )
        .order_by("ot__orden_trabajo", "ot_id")
    )
    por_ot: dict[int, ProduccionOT] = {}
    # Each row is priced and rounded to the cent on its own, as an estimación prices it.
    for ot_id, orden, volumen, pu_mn, pu_usd, es_firmado in filas.iterator():
        total = por_ot.setdefault(ot_id, ProduccionOT(ot_id=ot_id, orden_trabajo=orden))
        mn, usd = importe(volumen, pu_mn), importe(volumen, pu_usd)
        total.filas += 1
        total.ejecutado_mn += mn
        total.ejecutado_usd += usd
        if es_firmado:
            total.filas_firmadas += 1
            total.firmado_mn += mn
            total.firmado_usd += usd
    return list(por_ot.values())


def resumen_semanal(desde: datetime.date, hasta: datetime.date) -> ResumenSemanal:
    ots = OT.objects.select_related("cliente").order_by("orden_trabajo", "num_reprogramacion")
    return ResumenSemanal(
        desde=desde,
        hasta=hasta,
        actividad=_actividad(desde, hasta),
        ptes_entregadas=list(
            PTE.objects.select_related("cliente")
            .filter(estatus=EstatusPTE.ENTREGADA, fecha_entrega__range=(desde, hasta))
            .order_by("fecha_entrega", "oficio_pte")
        ),
        # Overdue as the week closed: the same rule as the dashboard's tile.
        ptes_vencidas=list(ptes_vencidas(hasta + datetime.timedelta(days=1))),
        ots_iniciadas=list(ots.filter(fecha_inicio_real__range=(desde, hasta))),
        ots_terminadas=list(ots.filter(fecha_termino_real__range=(desde, hasta))),
        ots_atrasadas=list(
            ots.filter(fecha_termino_programado__lte=hasta).exclude(estatus__in=_CERRADAS)
        ),
        produccion=_produccion(desde, hasta),
    )
