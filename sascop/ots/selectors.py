"""OT reads: filtered pages with progress, detail with steps and re-programmings."""

from __future__ import annotations

import datetime
import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import django_filters
from django.conf import settings
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import (
    Case,
    CharField,
    Count,
    DateField,
    DecimalField,
    F,
    FilteredRelation,
    FloatField,
    Func,
    IntegerField,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce
from django.db.models.sql.compiler import SQLCompiler
from django.utils import timezone
from django.utils.translation import gettext

from sascop.catalogos.estatus import PASOS_HECHOS, EstatusOT
from sascop.catalogos.models import Sitio
from sascop.core.api.filters import BooleanFilter, FilterSet, IdFilter, filtrar
from sascop.core.db.queries import anios
from sascop.core.errors import NotFound
from sascop.flujo.selectors import progreso_por
from sascop.ots.models import LUGARES, OT, OTDetalle
from sascop.ptes.models import PTE, PTEDetalle

# The list's sort keys (`orden`, `-` first for descending).
ORDENES = (
    "fecha_inicio_programado",
    "fecha_termino_programado",
    "dias_atraso",
    "orden_trabajo",
    "estatus",
    "monto_mxn",
    "monto_contratado_mxn",
    "id",
)


class OTFilter(FilterSet):
    estatus = django_filters.TypedMultipleChoiceFilter(choices=EstatusOT.choices, coerce=int)
    cliente = IdFilter(field_name="cliente_id")
    responsable = IdFilter(field_name="responsable_proyecto_id")
    pte = IdFilter(field_name="pte_id")
    frente = IdFilter(field_name="frente_id")
    sitio = IdFilter(field_name="sitio_id")
    embarcacion = IdFilter(field_name="embarcacion_id")
    plataforma = IdFilter(field_name="plataforma_id")
    intercom = IdFilter(field_name="intercom_id")
    patio = IdFilter(field_name="patio_id")
    fecha_desde = django_filters.DateFilter(field_name="fecha_inicio_programado", lookup_expr="gte")
    fecha_hasta = django_filters.DateFilter(field_name="fecha_inicio_programado", lookup_expr="lte")
    solo_principales = BooleanFilter(field_name="ot_principal", lookup_expr="isnull")
    atrasadas = BooleanFilter(method="filter_atrasadas")
    buscar = django_filters.CharFilter(method="filter_buscar")
    orden = django_filters.OrderingFilter(fields=tuple((o, o) for o in ORDENES))

    class Meta:
        model = OT
        fields: list[str] = []

    def filter_atrasadas(self, queryset: QuerySet[OT], name: str, value: bool) -> QuerySet[OT]:
        atrasadas = atrasadas_q(timezone.localdate())
        return queryset.filter(atrasadas) if value else queryset.exclude(atrasadas)

    def filter_buscar(self, queryset: QuerySet[OT], name: str, value: str) -> QuerySet[OT]:
        return queryset.filter(
            Q(orden_trabajo__icontains=value)
            | Q(oficio_ot__icontains=value)
            | Q(descripcion_trabajo__icontains=value)
        )


class _DiasEntre(Func):
    """Whole days from the first date expression to the second (negative when before)."""

    arity = 2
    output_field = IntegerField()

    def as_sql(  # type: ignore[override]
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra: Any
    ) -> tuple[str, list[Any]]:
        (desde, desde_params), (hasta, hasta_params) = (
            compiler.compile(e) for e in self.get_source_expressions()
        )
        # PostgreSQL subtracts dates into an integer of days; SQLite needs Julian day numbers.
        template = (
            "CAST(julianday({hasta}) - julianday({desde}) AS INTEGER)"
            if connection.vendor == "sqlite"
            else "({hasta} - {desde})"
        )
        return template.format(desde=desde, hasta=hasta), [*desde_params, *hasta_params]


# Finished one way or the other: never late, and their progress is no longer measured.
CERRADAS = (EstatusOT.TERMINADA, EstatusOT.CANCELADA)
# Not started: their time has not begun to count, whatever the calendar says.
SIN_INICIAR = (EstatusOT.ASIGNADA, EstatusOT.DIFERIDA_SIN_INICIAR)


def de_ot_vigente(campo: str = "ot_id") -> Q:
    """Rows whose OT (`campo`) is not deleted, as their OT not among the deleted ones (few,
    read from their partial index `ot_eliminadas`): a count or a page of ids reads the rows
    alone, where `ot__eliminado_en__isnull=True` joins each to its OT (page 400 of the
    production list, 10,000 rows on the benchmark's database: its ids 9.0 → 4.9 ms, its
    count 2.9 → 2.4 ms)."""
    return ~Q(**{f"{campo}__in": OT.all_objects.filter(eliminado_en__isnull=False).values("id")})


def atrasadas_q(hoy: datetime.date) -> Q:
    """OTs late on `hoy`: their programmed end has passed and they are neither Terminada nor
    Cancelada (an OT due today is not late yet)."""
    return Q(fecha_termino_programado__lt=hoy) & ~Q(estatus__in=CERRADAS)


def _con_plazos(queryset: QuerySet[OT], hoy: datetime.date) -> QuerySet[OT]:
    """Annotate each OT's days elapsed, remaining and late, and the share of its plan elapsed.

    Days elapsed and remaining run from the real start (else the programmed one) to the real
    end (else the programmed one), never negative, null without the dates they need. Days
    late (`dias_atraso`) are today minus the programmed end for an OT late on `hoy`
    (`atrasadas_q`), else 0. The share of the plan elapsed (0 to 1) is measured on the
    programmed dates, as the client's system measures it: 0 for an OT not started, 1 for
    one Terminada, null for one Cancelada.
    """
    inicio = Coalesce(F("fecha_inicio_real"), F("fecha_inicio_programado"))
    fin = Coalesce(F("fecha_termino_real"), F("fecha_termino_programado"))
    corte = Coalesce(F("fecha_termino_real"), Value(hoy, output_field=DateField()))
    hoy_ = Value(hoy, output_field=DateField())
    # The intermediate figures are aliases: the figures below inline them, and the rows do
    # not carry them (five columns fewer to select and compile).
    return queryset.alias(
        _dias_corridos=_DiasEntre(inicio, corte),
        _dias_faltan=_DiasEntre(corte, fin),
        _plan_programado=_DiasEntre(F("fecha_inicio_programado"), F("fecha_termino_programado")),
        _corridos_programado=_DiasEntre(F("fecha_inicio_programado"), hoy_),
        _pasados_del_fin=_DiasEntre(F("fecha_termino_programado"), hoy_),
    ).annotate(
        dias_transcurridos=Case(
            When(_dias_corridos__lt=0, then=Value(0)),
            default=F("_dias_corridos"),
            output_field=IntegerField(),
        ),
        dias_restantes=Case(
            When(_dias_faltan__lt=0, then=Value(0)),
            default=F("_dias_faltan"),
            output_field=IntegerField(),
        ),
        dias_atraso=Case(
            When(atrasadas_q(hoy), then=F("_pasados_del_fin")),
            default=Value(0),
            output_field=IntegerField(),
        ),
        avance_tiempo=Case(
            When(estatus=EstatusOT.CANCELADA, then=Value(None)),
            When(estatus=EstatusOT.TERMINADA, then=Value(1.0)),
            When(estatus__in=SIN_INICIAR, then=Value(0.0)),
            When(
                Q(_plan_programado__isnull=True)
                | Q(_plan_programado__lt=0)
                | Q(_corridos_programado__lt=0),
                then=Value(0.0),
            ),
            When(_corridos_programado__gte=F("_plan_programado"), then=Value(1.0)),
            default=Cast(F("_corridos_programado"), FloatField())
            / Cast(F("_plan_programado"), FloatField()),
            output_field=FloatField(),
        ),
    )


def con_montos(queryset: QuerySet[OT]) -> QuerySet[OT]:
    """Annotate each OT's contracted amount: its active anexo's totals when it has one (read
    through the reverse relation, one join: the price book is a later app, which this one
    does not import), else the amounts typed or imported; `monto_origen` says which."""
    anexo = "anexo_vigente"
    con_anexo = Q(anexo_vigente__id__isnull=False)
    dinero = DecimalField(max_digits=18, decimal_places=2)
    return queryset.annotate(
        anexo_vigente=FilteredRelation("anexos", condition=Q(anexos__activo=True)),
    ).annotate(
        monto_contratado_mxn=Case(
            When(con_anexo, then=F(f"{anexo}__importe_mn")),
            default=F("monto_mxn"),
            output_field=dinero,
        ),
        monto_contratado_usd=Case(
            When(con_anexo, then=F(f"{anexo}__importe_usd")),
            default=F("monto_usd"),
            output_field=dinero,
        ),
        monto_origen=Case(
            When(con_anexo, then=Value(ORIGEN_ANEXO)),
            default=Value(ORIGEN_CAPTURADO),
            output_field=CharField(),
        ),
    )


ORIGEN_ANEXO = "anexo"
ORIGEN_CAPTURADO = "capturado"

# The exchange rate in force on a date, as (since, pesos per dollar): the price book keeps
# the rates and registers its reader here (it sits above this app).
_tipo_de_cambio: list[Callable[[datetime.date], tuple[datetime.date, Decimal] | None]] = []


def con_tipo_de_cambio(
    funcion: Callable[[datetime.date], tuple[datetime.date, Decimal] | None],
) -> None:
    """Have the OT's page homologate its anexo's total with `funcion(fecha)`'s rate."""
    _tipo_de_cambio[:] = [funcion]


@dataclass(frozen=True)
class Monto:
    """An OT's contracted amount: the active anexo's totals (`del_anexo`) or those typed;
    with an anexo, its homologated total (M.N. + USD x the rate in force today, None without
    a rate) and whether it differs from the amounts typed."""

    mxn: Decimal
    usd: Decimal
    del_anexo: bool
    difiere: bool = False
    homologado: Decimal | None = None
    tipo_cambio: Decimal | None = None
    tipo_cambio_fecha: datetime.date | None = None


def monto_de(ot: OT) -> Monto:
    """The contracted amount of an OT read through this module (`con_montos`)."""
    centavo = Decimal("0.01")
    mxn = Decimal(ot.monto_contratado_mxn).quantize(centavo)  # type: ignore[attr-defined]
    usd = Decimal(ot.monto_contratado_usd).quantize(centavo)  # type: ignore[attr-defined]
    if ot.monto_origen != ORIGEN_ANEXO:  # type: ignore[attr-defined]
        return Monto(mxn, usd, del_anexo=False)
    difiere = (mxn, usd) != (ot.monto_mxn, ot.monto_usd)
    tasa = _tipo_de_cambio[0](timezone.localdate()) if _tipo_de_cambio else None
    if tasa is None:
        return Monto(mxn, usd, del_anexo=True, difiere=difiere)
    desde, valor = tasa
    homologado = (mxn + usd * valor).quantize(Decimal("0.01"))
    return Monto(mxn, usd, True, difiere, homologado, valor, desde)


# An OT's catalog entries, read with it (its four places too, but by `_base` only).
# The PTE last: the list page reads it apart (`ot_pagina`).
RELACIONADOS = ("responsable_proyecto", "cliente", "frente", "sitio", "pte")


def _base() -> QuerySet[OT]:
    """The OTs with their catalog entries, plazos and amounts as of today."""
    return _base_del_dia(timezone.localdate()).all()


@functools.lru_cache(maxsize=2)
def _base_del_dia(hoy: datetime.date) -> QuerySet[OT]:
    """`_base` on `hoy`, built once a day in each process (its dozen computed columns took
    about a millisecond to build, every request) and never evaluated itself: each caller
    gets a copy (`_base`), as a view's class-level queryset is copied for each request. It
    holds no rows, only the query, which depends on nothing but the models and the date."""
    return con_montos(_con_plazos(OT.objects.select_related(*RELACIONADOS, *LUGARES), hoy))


def ot_lista(params: Any) -> QuerySet[OT]:
    queryset = filtrar(OTFilter, params, _base())
    return queryset.order_by(*queryset.query.order_by, "-id")


def ot_pagina(params: Any) -> QuerySet[OT]:
    """`ot_lista` for the list page, without joining the four places (`lugares_de` reads them
    for the page's rows) nor the PTE (`ptes_de`): a page of eleven joined tables takes
    PostgreSQL longer to plan (30-40 ms) than to read, and even seven (with the active
    anexo's) took it 6 ms, four times what the same page and its PTEs cost read apart."""
    return ot_lista(params).select_related(None).select_related(*RELACIONADOS[:-1])


def ot_conteo(params: Any) -> QuerySet[OT]:
    """The OTs of `ot_lista(params)`, to be counted: without its computed columns, whose
    join to the active anexo (one at most per OT) adds no row but costs the count a merge
    with every anexo."""
    params = params.copy()
    params.pop("orden", None)
    return filtrar(OTFilter, params, OT.objects.all())


def lugares_de(ots: Iterable[OT]) -> None:
    """Give OTs read by `ot_pagina` their four places, read in one query."""
    ots = list(ots)
    ids = {getattr(ot, f"{lugar}_id") for ot in ots for lugar in LUGARES} - {None}
    sitios = Sitio.objects.in_bulk(ids)
    for ot in ots:
        for lugar in LUGARES:
            setattr(ot, lugar, sitios.get(getattr(ot, f"{lugar}_id")))


def ptes_de(ots: Iterable[OT]) -> None:
    """Give OTs read by `ot_pagina` their PTE (deleted or not, as a join would), read in one
    query."""
    ots = list(ots)
    ptes = PTE.all_objects.in_bulk({ot.pte_id for ot in ots} - {None})
    for ot in ots:
        if ot.pte_id in ptes:
            ot.pte = ptes[ot.pte_id]


@dataclass(frozen=True)
class Avance:
    """An OT's progress in percent (None for one Cancelada), with its days elapsed and
    remaining (null when unknown) and its days late (0 when it is not late)."""

    progreso: float | None
    dias_transcurridos: int | None
    dias_restantes: int | None
    dias_atraso: int = 0


def pasos_de(ot_ids: Iterable[int]) -> dict[int, float]:
    """Percent of each OT's steps completed or not applicable (one query)."""
    return progreso_por(OTDetalle.objects.all(), "ot_id", ot_ids)


def pesos_de_avance() -> tuple[float, float]:
    """The weights of time and steps in an OT's progress, in percent (they add up to 100)."""
    peso_tiempo, peso_pasos = settings.OT_PESO_TIEMPO, settings.OT_PESO_PASOS
    total = peso_tiempo + peso_pasos
    return 100 * peso_tiempo / total, 100 * peso_pasos / total


def progreso_ponderado(avance_tiempo: float, pasos: float) -> float:
    """An OT's progress in percent from its share of the plan elapsed (0 to 1) and its
    percent of steps done: `OT_PESO_TIEMPO` and `OT_PESO_PASOS`, taken as proportions."""
    peso_tiempo, peso_pasos = settings.OT_PESO_TIEMPO, settings.OT_PESO_PASOS
    ponderado = (peso_tiempo * 100 * avance_tiempo + peso_pasos * pasos) / (
        peso_tiempo + peso_pasos
    )
    return round(ponderado, 2)


def progreso_de(estatus: int, avance_tiempo: float | None, pasos: float) -> float | None:
    """An OT's progress in percent by its status: none for one Cancelada, 100 for one
    Terminada, else `progreso_ponderado` of its annotated time share (0 until it starts)."""
    if estatus == EstatusOT.CANCELADA:
        return None
    if estatus == EstatusOT.TERMINADA:
        return 100.0
    return progreso_ponderado(avance_tiempo or 0.0, pasos)


def avance_de(ots: Iterable[OT]) -> dict[int, Avance]:
    """Progress of OTs read through this module (their time share is annotated in SQL),
    with one more query for their steps (`progreso_de`)."""
    ots = list(ots)
    pasos = pasos_de(ot.pk for ot in ots)
    avance = {}
    for ot in ots:
        tiempo: float | None = ot.avance_tiempo  # type: ignore[attr-defined]
        avance[ot.pk] = Avance(
            progreso=progreso_de(ot.estatus, tiempo, pasos.get(ot.pk, 0.0)),
            dias_transcurridos=ot.dias_transcurridos,  # type: ignore[attr-defined]
            dias_restantes=ot.dias_restantes,  # type: ignore[attr-defined]
            dias_atraso=ot.dias_atraso,  # type: ignore[attr-defined]
        )
    return avance


def ot_cabecera(ot_id: int) -> OT:
    """The OT alone (with its catalog names and plan), for pages about one of its parts."""
    ot = _base().filter(pk=ot_id).first()
    if ot is None:
        raise NotFound(gettext("OT %(id)s does not exist.") % {"id": ot_id})
    return ot


def ot_detalle(ot_id: int) -> tuple[OT, list[OTDetalle], list[int], Avance]:
    """The OT, its steps in order, the ids of its re-programmings, and its progress."""
    ot = ot_cabecera(ot_id)
    detalles = list(ot.detalles.select_related("paso").order_by("paso__orden", "id"))
    reprogramaciones = list(
        OT.objects.filter(ot_principal_id=ot.pk)
        .order_by("num_reprogramacion")
        .values_list("id", flat=True)
    )
    return ot, detalles, reprogramaciones, avance_de([ot])[ot.pk]


def anios_de_inicio() -> list[int]:
    """The years that have OTs (by programmed start), newest first: the list's year filter
    (from the index `ot_inicio_programado`, not a scan of every OT)."""
    return anios(OT, "fecha_inicio_programado")


def principal_de(ot: OT) -> OT | None:
    """The OT a re-programming re-programs (None for a principal OT or a deleted one)."""
    if ot.ot_principal_id is None:
        return None
    return OT.objects.filter(pk=ot.ot_principal_id).first()


def reprogramaciones_de(ot_ids: list[int]) -> list[OT]:
    """These OTs (ids, in order) as rows for a page: estatus and dates."""
    por_id = OT.objects.in_bulk(ot_ids)
    return [por_id[pk] for pk in ot_ids if pk in por_id]


@dataclass(frozen=True)
class ResumenProduccion:
    registros: int
    volumen: Decimal


def produccion_de(ot_id: int) -> ResumenProduccion:
    """How many production rows the OT has and their total volume. Read through the reverse
    relation: production belongs to a later app, which this one does not import."""
    totales = OT.objects.filter(pk=ot_id).aggregate(
        registros=Count("produccion"), volumen=Sum("produccion__volumen_produccion")
    )
    return ResumenProduccion(totales["registros"] or 0, totales["volumen"] or Decimal("0"))


def valores_desde_pte(pte: PTE) -> dict[str, Any]:
    """What an OT created from `pte` takes from it unless told otherwise."""
    return {
        "cliente": pte.cliente,
        "responsable_proyecto": pte.responsable_proyecto,
        "descripcion_trabajo": pte.descripcion_trabajo,
        "plazo_dias": pte.plazo_dias,
    }


@dataclass(frozen=True)
class Impedimento:
    """Why a PTE cannot have an OT created from it now."""

    pasos_pendientes: int
    ot_existente: OT | None


def impedimento_desde_pte(pte_id: int) -> Impedimento | None:
    """The rule `services.ot_crear_desde_pte` enforces, read: an OT follows a PTE only when
    all its steps are completed or not applicable, and only once. None when it may."""
    pendientes = PTEDetalle.objects.filter(pte_id=pte_id).exclude(estatus__in=PASOS_HECHOS).count()
    existente = OT.objects.filter(pte_id=pte_id, ot_principal__isnull=True).order_by("id").first()
    if pendientes or existente is not None:
        return Impedimento(pendientes, existente)
    return None


def familia_de(ot: OT) -> list[OT]:
    """The OT's family as rows for its page: the principal OT first, then its
    re-programmings by number (deleted ones left out), in one query."""
    principal_id = ot.ot_principal_id or ot.pk
    return list(
        OT.objects.filter(Q(pk=principal_id) | Q(ot_principal_id=principal_id)).order_by(
            "num_reprogramacion", "id"
        )
    )
