"""Production reads: the filtered list, the monthly sheet (sábana) of an OT and the states
of its daily reports."""

from __future__ import annotations

import calendar
import datetime
import hashlib
import json
from collections import defaultdict
from collections.abc import Callable, Collection
from decimal import Decimal
from json.encoder import encode_basestring
from typing import Any, NamedTuple

import django_filters
from django.db import connection
from django.db.models import (
    Case,
    F,
    Prefetch,
    Q,
    QuerySet,
    Sum,
    TextField,
    When,
    prefetch_related_objects,
)
from django.db.models.functions import Cast, ExtractDay
from django.utils.translation import gettext

from sascop.catalogos.estatus import EstatusCobro
from sascop.catalogos.models import Sitio
from sascop.core.api.filters import BooleanFilter, FilterSet, IdFilter, filtrar
from sascop.core.db.disparadores import es_postgresql
from sascop.core.db.lookups import EnLista
from sascop.core.errors import InvalidInput, NotFound
from sascop.ots.models import OT
from sascop.ots.selectors import de_ot_vigente
from sascop.precios.libro import normalizar_anexo, normalizar_partida
from sascop.precios.models import PartidaAnexoOT, ProgramaDiario, importe
from sascop.produccion import excedentes, hojas
from sascop.produccion.models import CierreMes, Produccion, ReporteDiario

CUATRO = Decimal("0.0001")
CERO = Decimal("0")
PESOS = Decimal("0.00")


class ProduccionFilter(FilterSet):
    ot = IdFilter(field_name="ot_id")
    partida_anexo = IdFilter(field_name="partida_anexo_id")
    anexo = django_filters.CharFilter(
        method="por_anexo", label="Anexo key as written (C-5, c 5 and C5 are one)."
    )
    partida = django_filters.CharFilter(
        method="por_partida", label="Partida key as written (2.1., 2.1 and 2.1 are one)."
    )
    sitio = IdFilter(field_name="sitio_id")
    tipo_tiempo = django_filters.ChoiceFilter(choices=Produccion.TipoTiempo.choices)
    estatus_cobro = django_filters.TypedChoiceFilter(choices=EstatusCobro.choices, coerce=int)
    con_excedente = BooleanFilter(method="filter_con_excedente")
    fecha_desde = django_filters.DateFilter(field_name="fecha_produccion", lookup_expr="gte")
    fecha_hasta = django_filters.DateFilter(field_name="fecha_produccion", lookup_expr="lte")

    class Meta:
        model = Produccion
        fields: list[str] = []

    def por_anexo(self, queryset: QuerySet[Produccion], name: str, value: str) -> Any:
        clave = normalizar_anexo(value) or value.strip()
        return queryset.filter(partida_anexo__concepto__anexo__clave=clave)

    def por_partida(self, queryset: QuerySet[Produccion], name: str, value: str) -> Any:
        try:
            clave = normalizar_partida(value)
        except ValueError:  # longer than any key
            return queryset.none()
        return queryset.filter(partida_anexo__concepto__partida=clave)

    def filter_con_excedente(
        self, queryset: QuerySet[Produccion], name: str, value: bool | None
    ) -> QuerySet[Produccion]:
        if value is None:
            return queryset
        return queryset.filter(excedente__gt=0) if value else queryset.filter(excedente=0)


RELACIONADOS = ("ot", "partida_anexo__concepto__anexo", "sitio")


def produccion_lista(params: Any) -> QuerySet[Produccion]:
    """Production of OTs that are not deleted, newest date first."""
    base = Produccion.objects.filter(de_ot_vigente()).select_related(*RELACIONADOS)
    return filtrar(ProduccionFilter, params, base).order_by("-fecha_produccion", "-id")


# What the list page's columns show of a row and of its OT (`tables.COLUMNAS`); the rest
# (the OT's thirty-odd fields, the row's audit fields) is never read for the page.
CAMPOS_DE_PAGINA = (
    "fecha_produccion",
    "ot__orden_trabajo",
    "partida_anexo",
    "sitio",
    "tipo_tiempo",
    "volumen_produccion",
    "excedente",
    "estatus_cobro",
    "comentario",
)
# The same of a row's line: its concept's keys, text and unit, and its anexo's key.
CAMPOS_DE_LINEA = (
    "concepto__partida",
    "concepto__concepto",
    "concepto__unidad",
    "concepto__anexo__clave",
)


def produccion_pagina(params: Any) -> QuerySet[Produccion]:
    """`produccion_lista` for the list page, joined to the OT only (its filter needs it): the
    page's lines, with their concepts and anexos, and its sites are read for its rows apart
    (`relacionados_de`). Six joined tables took PostgreSQL about 2 ms to plan for a page it
    read in under 1 ms; the page and its two small reads apart plan in a fraction of that.
    Only the fields the page shows are read (`CAMPOS_DE_PAGINA`); the export reads its own
    (`values_list`)."""
    return (
        produccion_lista(params).select_related(None).select_related("ot").only(*CAMPOS_DE_PAGINA)
    )


def relacionados_de(filas: list[Produccion]) -> None:
    """Give rows read by `produccion_pagina` their line (with its concept and anexo, the
    fields the page shows of them) and site, in two queries."""
    lineas = PartidaAnexoOT.objects.select_related("concepto__anexo").only(*CAMPOS_DE_LINEA)
    prefetch_related_objects(filas, Prefetch("partida_anexo", queryset=lineas), "sitio")


def produccion_por_ids(ids: list[int]) -> list[Produccion]:
    """The rows with these ids that exist, in the order asked."""
    rows = Produccion.objects.select_related(*RELACIONADOS).in_bulk(ids)
    return [rows[i] for i in ids if i in rows]


def ots_sugeridas(texto: str, limite: int = 15) -> list[dict[str, str]]:
    """OTs (not deleted) whose number or description contain `texto`, numbers that start
    with it first: what the OT fields suggest as people type."""
    texto = texto.strip()
    if not texto:
        return []
    filas = (
        OT.objects.filter(eliminado_en__isnull=True)
        .filter(Q(orden_trabajo__icontains=texto) | Q(descripcion_trabajo__icontains=texto))
        .order_by("orden_trabajo", "num_reprogramacion", "pk")
        .values_list("orden_trabajo", "descripcion_trabajo")
    )
    vistas: dict[str, str] = {}
    for numero, descripcion in filas[: limite * 2]:
        vistas.setdefault(numero, descripcion)
    primero = sorted(vistas, key=lambda n: not n.lower().startswith(texto.lower()))
    return [{"orden_trabajo": n, "descripcion": vistas[n]} for n in primero[:limite]]


# --- the monthly sheet ------------------------------------------------------------------------


def _cantidad(valor: Decimal) -> str:
    return format(valor.quantize(CUATRO), "f")


def _dinero(valor: Decimal) -> str:
    return format(valor, "f")


def _par(mn: Decimal, usd: Decimal) -> dict[str, str]:
    return {"importe_mn": _dinero(mn), "importe_usd": _dinero(usd)}


def etiqueta(datos: dict[str, Any]) -> str:
    """An ETag for a computed document: a digest of its JSON."""
    return _etiqueta(json.dumps(datos, sort_keys=True).encode())


def _etiqueta(cuerpo: bytes) -> str:
    return '"' + hashlib.sha256(cuerpo).hexdigest()[:32] + '"'


def mes_de(anio: int, mes: int) -> tuple[datetime.date, datetime.date, int]:
    """First day, last day and number of days of the month."""
    dias = calendar.monthrange(anio, mes)[1]
    return datetime.date(anio, mes, 1), datetime.date(anio, mes, dias), dias


def ot_o_404(ot_id: int) -> OT:
    ot = OT.objects.filter(pk=ot_id).first()
    if ot is None:
        raise NotFound(gettext("OT %(id)s does not exist.") % {"id": ot_id})
    return ot


def sitio_de_hoja(ot: OT, sitio_id: int | None) -> Sitio:
    """The site a sheet is about: the one asked for, else the OT's."""
    sitio_id = sitio_id or ot.sitio_id
    if sitio_id is None:
        raise InvalidInput(fields={"sitio": [gettext("The OT has no site; give one.")]})
    sitio = Sitio.objects.filter(pk=sitio_id).first()
    if sitio is None:
        mensaje = gettext("Site %(id)s does not exist.") % {"id": sitio_id}
        raise InvalidInput(fields={"sitio": [mensaje]})
    return sitio


def lineas_activas(ot_id: int) -> set[int]:
    """The ids of the lines of the OT's active anexo."""
    return set(
        PartidaAnexoOT.objects.filter(anexo_ot__ot_id=ot_id, anexo_ot__activo=True).values_list(
            "pk", flat=True
        )
    )


def _como_texto(campo: str) -> Any:
    """A decimal column as PostgreSQL prints it; as stored elsewhere (see `_texto`)."""
    if es_postgresql(connection):
        return Cast(campo, TextField())
    return F(campo)


def _dia(campo: str) -> Any:
    """A date column's day of the month as text, the sheet's key ("9"): no converter runs
    on the rows (PostgreSQL's EXTRACT answers a numeric, a Decimal each)."""
    return Cast(ExtractDay(campo), TextField())


def _texto(valor: str | Decimal) -> str:
    # Every volume of the sheet has 4 places (SQLite's expressions answer fewer).
    return valor if isinstance(valor, str) else _cantidad(valor)


LINEA = ("pk", "volumen", "pu_mn", "pu_usd", "concepto__anexo__clave", "concepto__partida",
         "concepto__concepto", "concepto__unidad", "concepto_id")  # fmt: skip

# A sheet's days as JSON text, by line: `{"1":"2.2500","2":"1.0000"}`, days in order. Built
# by PostgreSQL itself (one row per line, not one per cell: a month is 31,000 cells); the
# same text built here from the cells on SQLite. A day's key and a volume's digits need no
# escaping.
_PROGRAMA_PG = (
    "SELECT p.partida_id, '{' || string_agg('\"' || EXTRACT(DAY FROM p.fecha) || '\":\"' "
    "|| p.volumen || '\"', ',' ORDER BY p.fecha) || '}' FROM precios_programadiario p "
    "WHERE p.partida_id = ANY(CAST(%s AS bigint[])) AND p.fecha BETWEEN %s AND %s "
    "GROUP BY p.partida_id"
)
_EJECUTADO_PG = (
    "SELECT r.partida_anexo_id, "
    "'{' || string_agg('\"' || EXTRACT(DAY FROM r.fecha_produccion) || '\":\"' "
    "|| r.volumen_produccion || '\"', ',' ORDER BY r.fecha_produccion) || '}', "
    "'{' || string_agg('\"' || EXTRACT(DAY FROM r.fecha_produccion) || '\":\"' "
    "|| r.excedente || '\"', ',' ORDER BY r.fecha_produccion) FILTER (WHERE r.excedente > 0) "
    "|| '}' FROM produccion_produccion r "
    "WHERE r.partida_anexo_id = ANY(CAST(%s AS bigint[])) AND r.ot_id = %s "
    "AND r.fecha_produccion BETWEEN %s AND %s AND r.tipo_tiempo = %s AND r.sitio_id = %s "
    "GROUP BY r.partida_anexo_id"
)


def _objeto(celdas: list[tuple[int, str]]) -> str:
    return "{" + ",".join(f'"{dia}":"{valor}"' for dia, valor in sorted(celdas)) + "}"


def _dias_de_la_hoja(
    ot_id: int,
    lineas: list[int],
    inicio: datetime.date,
    fin: datetime.date,
    tipo_tiempo: str,
    sitio_id: int,
) -> tuple[dict[int, str], dict[int, str], dict[int, str]]:
    """By line, as JSON text (see `_PROGRAMA_PG`): the days programmed, executed and in
    excess of the month on this sheet. Two queries."""
    if es_postgresql(connection):
        ids = "{" + ",".join(map(str, lineas)) + "}"  # one text literal (see `EnLista`)
        with connection.cursor() as cursor:
            cursor.execute(_PROGRAMA_PG, [ids, inicio, fin])
            programa = dict(cursor.fetchall())
            cursor.execute(_EJECUTADO_PG, [ids, ot_id, inicio, fin, tipo_tiempo, sitio_id])
            ejecutado, excedente = {}, {}
            for linea, dias, mas in cursor.fetchall():
                ejecutado[linea] = dias
                if mas is not None:
                    excedente[linea] = mas
        return programa, ejecutado, excedente
    celdas: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for linea_id, dia, cantidad in (
        ProgramaDiario.objects.filter(EnLista(F("partida_id"), lineas), fecha__range=(inicio, fin))
        .order_by()
        .values_list("partida_id", _dia("fecha"), "volumen")
    ):
        celdas[linea_id].append((int(dia), _texto(cantidad)))
    hechas: dict[int, list[tuple[int, str]]] = defaultdict(list)
    de_mas: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for linea_id, dia, cantidad, mas in (
        Produccion.objects.filter(
            EnLista(F("partida_anexo_id"), lineas),
            ot_id=ot_id,
            fecha_produccion__range=(inicio, fin),
            tipo_tiempo=tipo_tiempo,
            sitio_id=sitio_id,
        )
        .order_by()
        .values_list("partida_anexo_id", _dia("fecha_produccion"), "volumen_produccion",
                     Case(When(excedente__gt=0, then=F("excedente"))))
    ):  # fmt: skip
        hechas[linea_id].append((int(dia), _texto(cantidad)))
        if mas is not None:
            de_mas[linea_id].append((int(dia), _texto(mas)))
    return (
        {linea: _objeto(c) for linea, c in celdas.items()},
        {linea: _objeto(c) for linea, c in hechas.items()},
        {linea: _objeto(c) for linea, c in de_mas.items()},
    )


def _prevision(prevision: excedentes.Prevision) -> str:
    """A line's `prevision` as JSON text."""
    otros = ",".join(f'"{dia}":"{_cantidad(v)}"' for dia, v in sorted(prevision.otros.items()))
    return (
        f'{{"tope":"{_cantidad(prevision.tope)}","previo":"{_cantidad(prevision.previo)}",'
        f'"otros":{{{otros}}}}}'
    )


# A line of the sheet as JSON text, in the document's key order; its strings through
# `encode_basestring` (what `json.dumps(…, ensure_ascii=False)` writes for a string), the
# day objects and `prevision` already JSON, the numbers' digits needing no escaping.
_PARTIDA = (
    '{{"partida_anexo":{},"anexo":{},"partida":{},"concepto":{},"unidad":{},"autorizado":"{}",'
    '"pu_mn":"{}","pu_usd":"{}","programado":{},"ejecutado":{},"excedente":{},'
    '"importe_mn":"{}","importe_usd":"{}","prevision":{}}}'
)


class _Hoja(NamedTuple):
    """A sheet in three parts: what goes before its lines (`cabeza`, `ot` … `reportes`), its
    lines as JSON text in sheet order (`partidas`: line id, text), and what follows (`cola`:
    `subtotales`, `totales`, `kpis`); `orden` is every line of the sheet, in order."""

    cabeza: dict[str, Any]
    partidas: list[tuple[int, str]]
    cola: dict[str, Any]
    orden: list[int]


def _hoja(
    *,
    ot: OT,
    sitio: Sitio,
    anio: int,
    mes: int,
    tipo_tiempo: str,
    lineas: Collection[int] | None = None,
    con_reportes: bool = True,
) -> _Hoja:
    """See `sabana`: its parts (without the daily reports' states unless `con_reportes`)."""
    ot_id = ot.pk
    inicio, fin, n = mes_de(anio, mes)
    todas = list(
        PartidaAnexoOT.objects.filter(anexo_ot__ot_id=ot_id, anexo_ot__activo=True)
        .order_by("orden", "pk")
        .values_list(*LINEA)
    )
    # By the lines' ids: no joins in the big reads below (and plans that need no statistics).
    ids = [linea[0] for linea in todas]
    elegidas = todas if lineas is None else [linea for linea in todas if linea[0] in lineas]
    programa, ejecutado, excedente = _dias_de_la_hoja(
        ot_id, [linea[0] for linea in elegidas], inicio, fin, tipo_tiempo, sitio.pk
    )
    # Per line: the OT's volume before the month and in it (every kind of time and site),
    # and this sheet's month, from which its amounts come.
    de_la_hoja = Q(fecha_produccion__gte=inicio, tipo_tiempo=tipo_tiempo, sitio_id=sitio.pk)
    acumulados: dict[int, Any] = {
        fila[0]: fila
        for fila in Produccion.objects.filter(
            EnLista(F("partida_anexo_id"), ids), ot_id=ot_id, fecha_produccion__lte=fin
        )
        .values("partida_anexo_id")
        .annotate(
            antes=Sum("volumen_produccion", filter=Q(fecha_produccion__lt=inicio)),
            este=Sum("volumen_produccion", filter=Q(fecha_produccion__gte=inicio)),
            hoja=Sum("volumen_produccion", filter=de_la_hoja),
        )
        .order_by()
        .values_list("partida_anexo_id", "antes", "este", "hoja")
    }
    cabeza: dict[str, Any] = {
        "ot": ot.pk,
        "orden_trabajo": str(ot),
        "anio": anio,
        "mes": mes,
        "tipo_tiempo": tipo_tiempo,
        "sitio": sitio.pk,
        "sitio_descripcion": sitio.descripcion,
        "dias": list(range(1, n + 1)),
    }
    if con_reportes:
        reportes = dict(
            ReporteDiario.objects.filter(
                ot_id=ot_id, sitio_id=sitio.pk, fecha__range=(inicio, fin)
            ).values_list("fecha", "estatus")
        )
        cabeza["reportes"] = {
            str(dia): reportes.get(inicio.replace(day=dia), ReporteDiario.Estatus.PENDIENTE)
            for dia in range(1, n + 1)
        }

    previsiones = excedentes.prevision(
        ot_id, {linea[-1] for linea in elegidas}, inicio, fin, tipo_tiempo, sitio.pk
    )
    subtotales: dict[str, list[Decimal]] = {}
    kpis = {k: [PESOS, PESOS] for k in ("autorizado", "meses_anteriores", "mes_actual")}
    importes: dict[int, tuple[Decimal, Decimal]] = {}
    sin_produccion = (None, None, None, None)
    for pk, autorizado, pu_mn, pu_usd, clave, _, _, _, _ in todas:
        _, antes, este, hoja = acumulados.get(pk, sin_produccion)
        volumen_mes = hoja or CERO
        mn = importe(volumen_mes, pu_mn)
        usd = importe(volumen_mes, pu_usd)
        importes[pk] = (mn, usd)
        subtotal = subtotales.setdefault(clave, [PESOS, PESOS])
        subtotal[0] += mn
        subtotal[1] += usd
        for kpi, volumen in (
            ("autorizado", autorizado),
            ("meses_anteriores", antes or CERO),
            ("mes_actual", este or CERO),
        ):
            kpis[kpi][0] += importe(volumen, pu_mn)
            kpis[kpi][1] += importe(volumen, pu_usd)
    partidas = [
        (
            pk,
            _PARTIDA.format(
                pk,
                encode_basestring(clave),
                encode_basestring(partida),
                encode_basestring(concepto),
                encode_basestring(unidad),
                _cantidad(autorizado),
                _dinero(pu_mn),
                _dinero(pu_usd),
                programa.get(pk, "{}"),
                ejecutado.get(pk, "{}"),
                excedente.get(pk, "{}"),
                _dinero(importes[pk][0]),
                _dinero(importes[pk][1]),
                _prevision(previsiones[concepto_id]),
            ),
        )
        for pk, autorizado, pu_mn, pu_usd, clave, partida, concepto, unidad, concepto_id in elegidas
    ]
    por_ejecutar = [
        max(PESOS, kpis["autorizado"][i] - kpis["meses_anteriores"][i] - kpis["mes_actual"][i])
        for i in (0, 1)
    ]
    cola = {
        "subtotales": [
            {"anexo": clave, **_par(mn, usd)} for clave, (mn, usd) in subtotales.items()
        ],
        "totales": _par(
            sum((s[0] for s in subtotales.values()), PESOS),
            sum((s[1] for s in subtotales.values()), PESOS),
        ),
        "kpis": {
            **{kpi: _par(mn, usd) for kpi, (mn, usd) in kpis.items()},
            "por_ejecutar": _par(*por_ejecutar),
        },
    }
    return _Hoja(cabeza, partidas, cola, ids)


def _texto_de(cabeza: dict[str, Any], partidas: list[tuple[int, str]], cola: dict[str, Any]) -> str:
    """The document `{**cabeza, "partidas": [...], **cola}` as the sheets' JSON."""
    return (
        _json(cabeza)[:-1]
        + ',"partidas":['
        + ",".join(texto for _, texto in partidas)
        + "],"
        + _json(cola)[1:]
    )


def sabana(
    *,
    ot_id: int,
    anio: int,
    mes: int,
    tipo_tiempo: str,
    sitio_id: int | None,
    lineas: Collection[int] | None = None,
) -> dict[str, Any]:
    """The OT's production sheet for a month, one kind of time and one site (by default TE
    and the OT's site): per line of its active anexo, the volume programmed, executed and
    in excess each day and the month's amounts; subtotals by anexo; and the OT's KPIs
    (authorised, executed in earlier months and in this one, left to execute: amounts over
    every kind of time and site); per line, what a grid needs to foresee a cell's
    excedente before saving (`excedentes.prevision`). Twelve queries, whatever the size.

    With `lineas`, `partidas` holds only those lines (the days are read for them only);
    subtotals, totals and KPIs are still the whole sheet's."""
    return json.loads(_sabana_texto(ot_id, anio, mes, tipo_tiempo, sitio_id, lineas))


def _sabana_texto(
    ot_id: int,
    anio: int,
    mes: int,
    tipo_tiempo: str,
    sitio_id: int | None,
    lineas: Collection[int] | None = None,
) -> str:
    """`sabana` as the sheets' JSON text, built as such: a line's text is put together from
    its parts, its days' objects as the database wrote them."""
    ot = ot_o_404(ot_id)
    sitio = sitio_de_hoja(ot, sitio_id)
    hoja = _hoja(ot=ot, sitio=sitio, anio=anio, mes=mes, tipo_tiempo=tipo_tiempo, lineas=lineas)
    return _texto_de(hoja.cabeza, hoja.partidas, hoja.cola)


def reportes_diarios(*, ot_id: int, anio: int, mes: int) -> dict[str, Any]:
    """The state of each day's report of the OT in the month, per site: the OT's site and
    any other with a stored state or production that month. A day never set is PENDIENTE.
    Per site, the days' comments (only days that have one); and the month's close
    (`cierre_mes`: ABIERTO when never set, and its evidence link)."""
    ot = ot_o_404(ot_id)
    inicio, fin, n = mes_de(anio, mes)
    guardados = list(
        ReporteDiario.objects.filter(ot_id=ot_id, fecha__range=(inicio, fin)).values_list(
            "sitio_id", "fecha", "estatus", "comentario"
        )
    )
    con_produccion = Produccion.objects.filter(
        ot_id=ot_id, fecha_produccion__range=(inicio, fin)
    ).values("sitio_id")
    sitios = Sitio.objects.filter(
        Q(pk=ot.sitio_id) | Q(pk__in={g[0] for g in guardados}) | Q(pk__in=con_produccion)
    ).order_by("descripcion", "pk")
    estados: dict[int, dict[str, str]] = defaultdict(dict)
    comentarios: dict[int, dict[str, str]] = defaultdict(dict)
    for sitio_id, fecha, estatus, comentario in guardados:
        estados[sitio_id][str(fecha.day)] = estatus
        if comentario:
            comentarios[sitio_id][str(fecha.day)] = comentario
    cierre = CierreMes.objects.filter(ot_id=ot_id, anio=anio, mes=mes).first()
    return {
        "ot": ot.pk,
        "anio": anio,
        "mes": mes,
        "dias": list(range(1, n + 1)),
        "sitios": [
            {
                "id": sitio.pk,
                "descripcion": sitio.descripcion,
                "reportes": {
                    str(dia): estados[sitio.pk].get(str(dia), ReporteDiario.Estatus.PENDIENTE)
                    for dia in range(1, n + 1)
                },
                "comentarios": comentarios[sitio.pk],
            }
            for sitio in sitios
        ],
        "cierre_mes": {
            "estatus": cierre.estatus if cierre else CierreMes.Estatus.ABIERTO,
            "evidencia": cierre.evidencia if cierre else "",
        },
    }


def _sabana_calculo(
    ot_id: int, anio: int, mes: int, tipo_tiempo: str, sitio_id: int | None
) -> tuple[str, Callable[[], tuple[bytes, str]]]:
    """The stored sheets' key of a sheet and how to compute its JSON and ETag."""

    def calcular() -> tuple[bytes, str]:
        cuerpo = _sabana_texto(ot_id, anio, mes, tipo_tiempo, sitio_id).encode()
        return cuerpo, _etiqueta(cuerpo)

    return f"{anio}-{mes}:{tipo_tiempo}:{sitio_id or ''}", calcular


def sabana_json(
    *, ot_id: int, anio: int, mes: int, tipo_tiempo: str, sitio_id: int | None
) -> tuple[bytes, str]:
    """The sheet (see `sabana`) as JSON bytes, and its ETag; stored in the database until
    something it reads changes (see `hojas`)."""
    clave, calcular = _sabana_calculo(ot_id, anio, mes, tipo_tiempo, sitio_id)
    return hojas.leer(ot_id, clave, calcular)


def sabana_etiqueta(
    *, ot_id: int, anio: int, mes: int, tipo_tiempo: str, sitio_id: int | None
) -> str:
    """The sheet's ETag as `sabana_json` answers it, without reading the stored sheet."""
    clave, calcular = _sabana_calculo(ot_id, anio, mes, tipo_tiempo, sitio_id)
    return hojas.etiqueta(ot_id, clave, calcular)


def _json(datos: Any) -> str:
    return json.dumps(datos, ensure_ascii=False, separators=(",", ":"))


def codificar(datos: Any) -> bytes:
    """A document as the sheets' JSON: compact, UTF-8."""
    return _json(datos).encode()


# Where a line starts in the sheet's JSON: `{"partida_anexo":17,` (a JSON string holds no
# bare quote, so this is found only where the document puts a line).
def _marca(linea: int) -> str:
    return f'{{"partida_anexo":{linea},'


def sabana_tras_guardar(
    *,
    ot: OT,
    sitio: Sitio,
    anio: int,
    mes: int,
    tipo_tiempo: str,
    sitio_id: int | None,
    lineas: set[int],
) -> tuple[bytes, str]:
    """In the transaction of a save of the sheet (of `ot`, at `sitio`, asked for as
    `sitio_id`) that wrote to the lines `lineas` only: what of the sheet that changed —
    those lines, the subtotals, totals and KPIs (see `sabana`) — as JSON, and the whole
    sheet's new ETag.

    Nothing else of the sheet changes with them: an excedente is recomputed over a concept,
    and a concept has one line in the active anexo; what other lines foresee (`prevision`)
    is about their own concepts. So the stored sheet, as it was before the save, mended
    with the new lines and totals, is the sheet (`hojas.remendar`: unless something else
    changed meanwhile, when it is computed whole)."""
    hoja = _hoja(
        ot=ot, sitio=sitio, anio=anio, mes=mes, tipo_tiempo=tipo_tiempo, lineas=lineas,
        con_reportes=False,
    )  # fmt: skip
    consulta = {"ot": ot.pk, "anio": anio, "mes": mes, "tipo_tiempo": tipo_tiempo}
    cambios = _texto_de({**consulta, "sitio": sitio.pk}, hoja.partidas, hoja.cola).encode()
    clave, calcular = _sabana_calculo(ot.pk, anio, mes, tipo_tiempo, sitio_id)
    siguiente = dict(zip(hoja.orden, hoja.orden[1:], strict=False))
    remiendos = [
        hojas.Remiendo(
            _marca(linea),
            _marca(siguiente[linea]) if linea in siguiente else None,
            texto,
        )
        for linea, texto in hoja.partidas
    ]
    etiqueta = hojas.remendar(ot.pk, clave, remiendos, "]," + _json(hoja.cola)[1:])
    if etiqueta is None:
        etiqueta = hojas.leer(ot.pk, clave, calcular)[1]
    return cambios, etiqueta
