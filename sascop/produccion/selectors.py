"""Production reads: the filtered list, the monthly sheet (sábana) of an OT and the states
of its daily reports."""

from __future__ import annotations

import calendar
import datetime
import hashlib
import json
import re
from collections import defaultdict
from collections.abc import Callable, Collection
from decimal import Decimal
from typing import Any

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
    base = Produccion.objects.filter(ot__eliminado_en__isnull=True).select_related(*RELACIONADOS)
    return filtrar(ProduccionFilter, params, base).order_by("-fecha_produccion", "-id")


def produccion_pagina(params: Any) -> QuerySet[Produccion]:
    """`produccion_lista` for the list page, joined to the OT only (its filter needs it): the
    page's lines, with their concepts and anexos, and its sites are read for its rows apart
    (`relacionados_de`). Six joined tables took PostgreSQL about 2 ms to plan for a page it
    read in under 1 ms; the page and its two small reads apart plan in a fraction of that."""
    return produccion_lista(params).select_related(None).select_related("ot")


def relacionados_de(filas: list[Produccion]) -> None:
    """Give rows read by `produccion_pagina` their line (with its concept and anexo) and
    site, in two queries."""
    lineas = PartidaAnexoOT.objects.select_related("concepto__anexo")
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


def _prevision(prevision: excedentes.Prevision) -> dict[str, Any]:
    return {
        "tope": _cantidad(prevision.tope),
        "previo": _cantidad(prevision.previo),
        "otros": {str(dia): _cantidad(v) for dia, v in sorted(prevision.otros.items())},
    }


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
    ot = ot_o_404(ot_id)
    sitio = sitio_de_hoja(ot, sitio_id)
    inicio, fin, n = mes_de(anio, mes)
    todas = list(
        PartidaAnexoOT.objects.filter(anexo_ot__ot_id=ot_id, anexo_ot__activo=True)
        .order_by("orden")
        .values_list(*LINEA)
    )
    # By the lines' ids: no joins in the big reads below (and plans that need no statistics).
    ids = [linea[0] for linea in todas]
    elegidas = todas if lineas is None else [linea for linea in todas if linea[0] in lineas]
    con_dias = [linea[0] for linea in elegidas]
    # Days and volumes as text, as PostgreSQL prints them (a numeric keeps its
    # scale: what `format(…, "f")` gives), so that a month's 31,000 cells cost no Decimal
    # and no date each; SQLite's are formatted here.
    volumen, exceso = _como_texto("volumen"), _como_texto("excedente")
    programa: dict[int, dict[str, str]] = defaultdict(dict)
    for linea_id, dia, cantidad in (
        ProgramaDiario.objects.filter(
            EnLista(F("partida_id"), con_dias), fecha__range=(inicio, fin)
        )
        .order_by()
        .values_list("partida_id", _dia("fecha"), volumen)
    ):
        programa[linea_id][dia] = _texto(cantidad)  # as stored: 4 places
    ejecutado: dict[int, dict[str, str]] = defaultdict(dict)
    excedente: dict[int, dict[str, str]] = defaultdict(dict)
    for linea_id, dia, cantidad, mas in (
        Produccion.objects.filter(
            EnLista(F("partida_anexo_id"), con_dias),
            ot_id=ot_id,
            fecha_produccion__range=(inicio, fin),
            tipo_tiempo=tipo_tiempo,
            sitio_id=sitio.pk,
        )
        .order_by()
        .values_list(
            "partida_anexo_id",
            _dia("fecha_produccion"),
            _como_texto("volumen_produccion"),
            Case(When(excedente__gt=0, then=exceso)),
        )
    ):
        ejecutado[linea_id][dia] = _texto(cantidad)
        if mas is not None:
            excedente[linea_id][dia] = _texto(mas)
    # Per line: the OT's volume before the month and in it (every kind of time and site),
    # and this sheet's month, from which its amounts come.
    de_la_hoja = Q(fecha_produccion__gte=inicio, tipo_tiempo=tipo_tiempo, sitio_id=sitio.pk)
    acumulados: dict[int, Any] = {
        fila["partida_anexo_id"]: fila
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
    }
    reportes = dict(
        ReporteDiario.objects.filter(
            ot_id=ot_id, sitio_id=sitio.pk, fecha__range=(inicio, fin)
        ).values_list("fecha", "estatus")
    )

    previsiones = excedentes.prevision(
        ot_id, {linea[-1] for linea in elegidas}, inicio, fin, tipo_tiempo, sitio.pk
    )
    partidas = []
    subtotales: dict[str, list[Decimal]] = {}
    kpis = {k: [PESOS, PESOS] for k in ("autorizado", "meses_anteriores", "mes_actual")}
    importes: dict[int, tuple[Decimal, Decimal]] = {}
    for pk, autorizado, pu_mn, pu_usd, clave, _, _, _, _ in todas:
        acumulado = acumulados.get(pk, {})
        volumen_mes = acumulado.get("hoja") or CERO
        mn = importe(volumen_mes, pu_mn)
        usd = importe(volumen_mes, pu_usd)
        importes[pk] = (mn, usd)
        subtotal = subtotales.setdefault(clave, [PESOS, PESOS])
        subtotal[0] += mn
        subtotal[1] += usd
        for kpi, volumen in (
            ("autorizado", autorizado),
            ("meses_anteriores", acumulado.get("antes") or CERO),
            ("mes_actual", acumulado.get("este") or CERO),
        ):
            kpis[kpi][0] += importe(volumen, pu_mn)
            kpis[kpi][1] += importe(volumen, pu_usd)
    for pk, autorizado, pu_mn, pu_usd, clave, partida, concepto, unidad, concepto_id in elegidas:
        partidas.append(
            {
                "partida_anexo": pk,
                "anexo": clave,
                "partida": partida,
                "concepto": concepto,
                "unidad": unidad,
                "autorizado": _cantidad(autorizado),
                "pu_mn": _dinero(pu_mn),
                "pu_usd": _dinero(pu_usd),
                "programado": programa.get(pk, {}),
                "ejecutado": ejecutado.get(pk, {}),
                "excedente": excedente.get(pk, {}),
                "importe_mn": _dinero(importes[pk][0]),
                "importe_usd": _dinero(importes[pk][1]),
                "prevision": _prevision(previsiones[concepto_id]),
            }
        )
    por_ejecutar = [
        max(PESOS, kpis["autorizado"][i] - kpis["meses_anteriores"][i] - kpis["mes_actual"][i])
        for i in (0, 1)
    ]
    return {
        "ot": ot.pk,
        "orden_trabajo": str(ot),
        "anio": anio,
        "mes": mes,
        "tipo_tiempo": tipo_tiempo,
        "sitio": sitio.pk,
        "sitio_descripcion": sitio.descripcion,
        "dias": list(range(1, n + 1)),
        "reportes": {
            str(dia): reportes.get(inicio.replace(day=dia), ReporteDiario.Estatus.PENDIENTE)
            for dia in range(1, n + 1)
        },
        "partidas": partidas,
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
        datos = sabana(ot_id=ot_id, anio=anio, mes=mes, tipo_tiempo=tipo_tiempo, sitio_id=sitio_id)
        cuerpo = codificar(datos)
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


# The sheet's JSON around its lines: `…,"partidas":[{"partida_anexo":1,…},…],"subtotales":…}`.
# A JSON string holds no bare quote, so these are found only where the document puts them.
_PARTIDAS = ',"partidas":['
_LINEA = re.compile(r'\{"partida_anexo":(\d+),')
_COLA = '],"subtotales":'


def _remendar(cuerpo: str, parte: dict[str, Any]) -> list[hojas.Pieza] | None:
    """The sheet `cuerpo` with the lines, subtotals, totals and KPIs of `parte` (a
    `sabana(lineas=…)`) in place of its own, as pieces (see `hojas.remendar`); None if it
    lacks one of those lines."""
    inicio = cuerpo.find(_PARTIDAS) + len(_PARTIDAS)
    cola = cuerpo.rfind(_COLA)
    if inicio < len(_PARTIDAS) or cola < inicio:
        return None
    nuevas = {p["partida_anexo"]: codificar(p).decode() for p in parte["partidas"]}
    piezas: list[hojas.Pieza] = []
    desde = 0
    posiciones = [(m.start(), int(m.group(1))) for m in _LINEA.finditer(cuerpo, inicio, cola)]
    for n, (empieza, linea) in enumerate(posiciones):
        if linea in nuevas:
            termina = posiciones[n + 1][0] - 1 if n + 1 < len(posiciones) else cola
            piezas += [(desde, empieza - desde), nuevas[linea]]
            desde = termina
    if len(piezas) != 2 * len(nuevas):
        return None
    resto = {k: parte[k] for k in ("subtotales", "totales", "kpis")}
    piezas += [(desde, cola - desde), "]," + codificar(resto).decode()[1:]]
    return piezas


def codificar(datos: Any) -> bytes:
    """A document as the sheets' JSON: compact, UTF-8."""
    return json.dumps(datos, ensure_ascii=False, separators=(",", ":")).encode()


def sabana_tras_guardar(
    *, ot_id: int, anio: int, mes: int, tipo_tiempo: str, sitio_id: int | None, lineas: set[int]
) -> tuple[dict[str, Any], str]:
    """In the transaction of a save of the sheet that wrote to the lines `lineas` only:
    what of the sheet that changed — those lines, the subtotals, totals and KPIs (see
    `sabana`) — and the whole sheet's new ETag.

    Nothing else of the sheet changes with them: an excedente is recomputed over a concept,
    and a concept has one line in the active anexo; what other lines foresee (`prevision`)
    is about their own concepts. So the stored sheet, as it was before the save, mended
    with the new lines and totals, is the sheet (`hojas.antes_de_escribir`: unless
    something else changed meanwhile, when it is computed whole)."""
    parte = sabana(
        ot_id=ot_id, anio=anio, mes=mes, tipo_tiempo=tipo_tiempo, sitio_id=sitio_id, lineas=lineas
    )
    del parte["orden_trabajo"], parte["sitio_descripcion"], parte["dias"], parte["reportes"]
    clave, calcular = _sabana_calculo(ot_id, anio, mes, tipo_tiempo, sitio_id)
    guardada = hojas.antes_de_escribir(ot_id, clave)
    piezas = None if guardada is None else _remendar(guardada.cuerpo, parte)
    if guardada is None or piezas is None:
        return parte, hojas.leer(ot_id, clave, calcular)[1]
    texto = "".join(
        p if isinstance(p, str) else guardada.cuerpo[p[0] : p[0] + p[1]] for p in piezas
    )
    etiqueta = _etiqueta(texto.encode())
    hojas.remendar(ot_id, clave, guardada, piezas, etiqueta)
    return parte, etiqueta
