"""Reads of estimaciones: what a period of an OT can claim, the lists and the dashboard's
monthly amounts."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import (
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Sum,
)
from django.db.models.functions import TruncMonth
from django.http import QueryDict
from django.utils.translation import gettext

from sascop.core.errors import InvalidInput
from sascop.estimaciones.models import Estimacion, EstimacionProduccion
from sascop.precios.models import PartidaAnexoOT, importe
from sascop.produccion.models import Produccion, ReporteDiario

# Anexo lines whose rows also need their GPU evidence signed off before they are claimed.
ANEXOS_CON_GPU = ("C-2", "C-3")
CERO = Decimal("0")
FIRMADO = ReporteDiario.Estatus.FIRMADO
# States in which an estimación claims its volume (and freezes its production).
VIGENTES = (
    Estimacion.Estatus.PRESENTADA,
    Estimacion.Estatus.AUTORIZADA,
    Estimacion.Estatus.PAGADA,
)


@dataclass
class FilaReclamable:
    produccion: Produccion
    volumen: Decimal  # claimed now
    excedente: Decimal  # listed apart, not claimed


@dataclass
class LineaReclamable:
    partida_anexo: PartidaAnexoOT
    filas: list[FilaReclamable] = field(default_factory=list)

    @property
    def volumen(self) -> Decimal:
        return sum((f.volumen for f in self.filas), CERO)

    @property
    def excedente(self) -> Decimal:
        return sum((f.excedente for f in self.filas), CERO)

    @property
    def importe_mn(self) -> Decimal:
        return importe(self.volumen, self.partida_anexo.pu_mn)

    @property
    def importe_usd(self) -> Decimal:
        return importe(self.volumen, self.partida_anexo.pu_usd)


def produccion_firmada(ot_id: int, desde: datetime.date, hasta: datetime.date) -> QuerySet[Any]:
    """The OT's rows of the period whose day is signed off (FIRMADO daily report of the OT,
    site and date) and, on C-2 and C-3 lines, whose GPU record is FIRMADO too."""
    dia_firmado = ReporteDiario.objects.filter(
        ot_id=OuterRef("ot_id"),
        sitio_id=OuterRef("sitio_id"),
        fecha=OuterRef("fecha_produccion"),
        estatus=FIRMADO,
    )
    return (
        Produccion.objects.filter(ot_id=ot_id, fecha_produccion__range=(desde, hasta))
        .filter(Exists(dia_firmado))
        .filter(
            ~Q(partida_anexo__concepto__anexo__clave__in=ANEXOS_CON_GPU) | Q(gpu__estatus=FIRMADO)
        )
        .select_related("partida_anexo__concepto__anexo__contrato")
        .order_by(
            "partida_anexo__concepto__anexo__clave",
            "partida_anexo__orden",
            "partida_anexo_id",
            "fecha_produccion",
            "id",
        )
    )


def reclamado(produccion_ids: list[int]) -> dict[int, Decimal]:
    """The volume of each row already claimed by presented, authorised or paid estimaciones."""
    return dict(
        EstimacionProduccion.objects.filter(vigente=True, produccion_id__in=produccion_ids)
        .values("produccion_id")
        .annotate(total=Sum("volumen"))
        .values_list("produccion_id", "total")
    )


def lineas_reclamables(
    ot_id: int, desde: datetime.date, hasta: datetime.date
) -> list[LineaReclamable]:
    """What an estimación of the OT for the period claims, line by line: of each signed-off
    row, its volume within the authorised one (volume minus excedente) less what earlier
    estimaciones claimed of it; its excedente is listed apart. Rows with nothing left out."""
    filas = list(produccion_firmada(ot_id, desde, hasta))
    ya = reclamado([f.pk for f in filas])
    lineas: dict[int, LineaReclamable] = {}
    for fila in filas:
        anterior = ya.get(fila.pk, CERO)
        restante = fila.volumen_produccion - anterior
        if restante <= 0:
            continue
        volumen = max(CERO, fila.volumen_produccion - fila.excedente - anterior)
        excedente = restante - volumen
        linea = lineas.setdefault(
            fila.partida_anexo_id, LineaReclamable(partida_anexo=fila.partida_anexo)
        )
        linea.filas.append(FilaReclamable(fila, volumen, excedente))
    return list(lineas.values())


def estimacion_detalle(estimacion_id: int) -> Estimacion:
    from sascop.core.errors import NotFound

    estimacion = (
        Estimacion.objects.select_related("ot__cliente", "creado_por")
        .prefetch_related("partidas", "eventos__usuario")
        .filter(pk=estimacion_id, ot__eliminado_en__isnull=True)
        .first()
    )
    if estimacion is None:
        raise NotFound(gettext("Estimación %(id)s does not exist.") % {"id": estimacion_id})
    return estimacion


def subtotales(estimacion: Estimacion) -> list[dict[str, Any]]:
    """The claimed amounts by anexo, in the lines' order."""
    por_anexo: dict[str, list[Decimal]] = defaultdict(lambda: [CERO, CERO])
    for partida in estimacion.partidas.all():
        par = por_anexo[partida.anexo]
        par[0] += partida.importe_mn
        par[1] += partida.importe_usd
    return [
        {"anexo": anexo, "importe_mn": mn, "importe_usd": usd}
        for anexo, (mn, usd) in por_anexo.items()
    ]


def _fecha(texto: str, nombre: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(texto)
    except ValueError:
        raise InvalidInput(fields={nombre: [gettext("Use a date as YYYY-MM-DD.")]}) from None


def _mes(texto: str) -> tuple[datetime.date, datetime.date]:
    try:
        anio, mes = (int(p) for p in texto.split("-"))
        inicio = datetime.date(anio, mes, 1)
    except ValueError:
        raise InvalidInput(fields={"mes": [gettext("Use a month as YYYY-MM.")]}) from None
    siguiente = (inicio + datetime.timedelta(days=32)).replace(day=1)
    return inicio, siguiente - datetime.timedelta(days=1)


def estimaciones_lista(params: QueryDict | dict[str, Any]) -> QuerySet[Estimacion]:
    """Estimaciones of OTs not deleted, newest period first; filters: `ot`, `estatus`
    (repeatable), `cliente`, `mes` (YYYY-MM: periods that touch that month)."""
    qs = Estimacion.objects.filter(ot__eliminado_en__isnull=True).select_related("ot__cliente")
    obtener = params.getlist if isinstance(params, QueryDict) else None
    if params.get("ot"):
        try:
            qs = qs.filter(ot_id=int(str(params["ot"])))
        except ValueError:
            raise InvalidInput(fields={"ot": [gettext("Send an OT's id.")]}) from None
    estatus = (
        obtener("estatus") if obtener else [params["estatus"]] if params.get("estatus") else []
    )
    if estatus:
        invalidos = [e for e in estatus if e not in Estimacion.Estatus.values]
        if invalidos:
            raise InvalidInput(
                fields={
                    "estatus": [
                        gettext("Use one of: %(valores)s.")
                        % {"valores": ", ".join(Estimacion.Estatus.values)}
                    ]
                }
            )
        qs = qs.filter(estatus__in=estatus)
    if params.get("cliente"):
        try:
            qs = qs.filter(ot__cliente_id=int(str(params["cliente"])))
        except ValueError:
            raise InvalidInput(fields={"cliente": [gettext("Send a client's id.")]}) from None
    if params.get("mes"):
        inicio, fin = _mes(str(params["mes"]))
        qs = qs.filter(desde__lte=fin, hasta__gte=inicio)
    return qs.order_by("-desde", "-id")


# --- The dashboard: executed, claimed and authorised amounts by month ------------------------


def montos_por_mes(
    *,
    desde: datetime.date | None = None,
    hasta: datetime.date | None = None,
    cliente_id: int | None = None,
    ejecutado: dict[str, Decimal] | None = None,
) -> list[dict[str, Any]]:
    """Per month (`YYYY-MM`): the amount executed (production times its line's P.U., M.N.), the
    amount claimed (estimaciones presented, authorised or paid, by the month their period
    ends) and the amount authorised (authorised or paid). Two queries; one when the caller
    has the amounts executed over the same months (`ejecutado`, from the running totals)."""
    meses: dict[str, dict[str, Decimal]] = defaultdict(
        lambda: {"ejecutado_mn": CERO, "estimado_mn": CERO, "autorizado_mn": CERO}
    )
    produccion = Produccion.objects.filter(ot__eliminado_en__isnull=True)
    estimaciones = Estimacion.objects.filter(ot__eliminado_en__isnull=True)
    if desde:
        produccion = produccion.filter(fecha_produccion__gte=desde)
        estimaciones = estimaciones.filter(hasta__gte=desde)
    if hasta:
        produccion = produccion.filter(fecha_produccion__lte=hasta)
        estimaciones = estimaciones.filter(hasta__lte=hasta)
    if cliente_id:
        produccion = produccion.filter(ot__cliente_id=cliente_id)
        estimaciones = estimaciones.filter(ot__cliente_id=cliente_id)
    monto = ExpressionWrapper(
        F("volumen_produccion") * F("partida_anexo__pu_mn"),
        output_field=DecimalField(max_digits=30, decimal_places=6),
    )
    if ejecutado is None:
        ejecutado = {
            fila["mes"].strftime("%Y-%m"): Decimal(fila["total"] or 0)
            for fila in produccion.annotate(mes=TruncMonth("fecha_produccion"))
            .values("mes")
            .annotate(total=Sum(monto))
            .order_by()
        }
    for mes, total in ejecutado.items():
        meses[mes]["ejecutado_mn"] += total
    # Claimed and authorised in one pass: the authorised are some of the claimed.
    autorizadas = Q(estatus__in=(Estimacion.Estatus.AUTORIZADA, Estimacion.Estatus.PAGADA))
    for fila in (
        estimaciones.filter(estatus__in=VIGENTES)
        .annotate(mes=TruncMonth("hasta"))
        .values("mes")
        .annotate(estimado=Sum("importe_mn"), autorizado=Sum("importe_mn", filter=autorizadas))
        .order_by()
    ):
        del_mes = meses[fila["mes"].strftime("%Y-%m")]
        del_mes["estimado_mn"] += fila["estimado"] or CERO
        del_mes["autorizado_mn"] += fila["autorizado"] or CERO
    return [
        {"mes": mes, **{k: v.quantize(Decimal("0.01")) for k, v in valores.items()}}
        for mes, valores in sorted(meses.items())
    ]
