from __future__ import annotations

from typing import Any

from django.utils.translation import gettext
from rest_framework import serializers

from sascop.catalogos.estatus import EstatusCobro
from sascop.catalogos.models import Sitio
from sascop.core.api.serializers import ErrorSerializer, MesQuerySerializer, page_serializer
from sascop.core.errors import InvalidInput
from sascop.ots.models import OT
from sascop.precios.models import PartidaAnexoOT
from sascop.produccion.models import CierreMes, Produccion


def produccion_item(fila: Produccion) -> dict[str, Any]:
    concepto = fila.partida_anexo.concepto
    return {
        "id": fila.pk,
        "ot_id": fila.ot_id,
        "orden_trabajo": fila.ot.orden_trabajo,
        "partida_anexo": fila.partida_anexo_id,
        "anexo": concepto.anexo.clave,
        "partida": concepto.partida,
        "concepto": concepto.concepto,
        "unidad": concepto.unidad,
        "sitio_id": fila.sitio_id,
        "sitio": fila.sitio.descripcion,
        "fecha_produccion": fila.fecha_produccion.isoformat(),
        "volumen_produccion": format(fila.volumen_produccion, "f"),
        "tipo_tiempo": fila.tipo_tiempo,
        "excedente": format(fila.excedente, "f"),
        "estatus_cobro": fila.estatus_cobro,
        "estatus_cobro_texto": EstatusCobro(fila.estatus_cobro).label,
        "comentario": fila.comentario,
    }


CALCULADOS = ("excedente", "es_excedente")


class ProduccionInputSerializer(serializers.Serializer):
    ot = serializers.PrimaryKeyRelatedField(queryset=OT.objects.all())
    partida_anexo = serializers.PrimaryKeyRelatedField(
        queryset=PartidaAnexoOT.objects.all(),
        help_text="A line (`partidas[].id`) of the OT's active anexo.",
    )
    sitio = serializers.PrimaryKeyRelatedField(
        queryset=Sitio.objects.all(), required=False, help_text="Default: the OT's site."
    )
    fecha_produccion = serializers.DateField()
    volumen_produccion = serializers.DecimalField(
        max_digits=16, decimal_places=4, min_value=0, help_text="Greater than 0."
    )
    tipo_tiempo = serializers.ChoiceField(choices=Produccion.TipoTiempo.choices, required=False)
    estatus_cobro = serializers.ChoiceField(choices=EstatusCobro.choices, required=False)
    comentario = serializers.CharField(required=False, allow_blank=True)

    def to_internal_value(self, data: Any) -> Any:
        # The server computes the excedente: a client still sending it learns so.
        enviados = [n for n in CALCULADOS if isinstance(data, dict) and n in data]
        if enviados:
            raise serializers.ValidationError(
                {n: [gettext("Computed by the server; do not send it.")] for n in enviados}
            )
        return super().to_internal_value(data)

    def validate_volumen_produccion(self, value: Any) -> Any:
        if value <= 0:
            raise serializers.ValidationError(gettext("Must be greater than 0."))
        return value


def campos_de_fila(index: int, fields: dict[str, Any]) -> dict[str, list[str]]:
    """A row's field errors as the bulk answer names them: `filas[3].volumen_produccion`."""
    return {
        f"filas[{index}].{name}": [str(m) for m in messages] for name, messages in fields.items()
    }


class ProduccionLoteInputSerializer(serializers.Serializer):
    """`{"filas": [...]}` (or the bare list), each row as `ProduccionInputSerializer` takes it."""

    filas = ProduccionInputSerializer(many=True, allow_empty=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        if isinstance(kwargs.get("data"), list):
            kwargs["data"] = {"filas": kwargs["data"]}
        super().__init__(*args, **kwargs)

    def lote(self) -> list[dict[str, Any]]:
        """The valid rows; else a 400 naming every bad field as `filas[i].campo`."""
        if self.is_valid():
            filas: list[dict[str, Any]] = self.validated_data["filas"]
            return filas
        errores = self.errors.get("filas")
        # DRF names a bad row by its index (a dict of them, or a list with {} for good rows).
        por_fila = dict(enumerate(errores)) if isinstance(errores, list) else errores
        if isinstance(por_fila, dict) and all(isinstance(e, dict) for e in por_fila.values()):
            fields: dict[str, list[str]] = {}
            for index, fila in sorted(por_fila.items()):
                fields.update(campos_de_fila(int(index), fila))
            raise InvalidInput(
                gettext("Some rows are not valid; nothing was saved."), fields=fields
            )
        raise InvalidInput(fields={"filas": [gettext("Send a non-empty list of rows.")]})


class ProduccionItemSerializer(serializers.Serializer):
    """Documents `produccion_item()`."""

    id = serializers.IntegerField()
    ot_id = serializers.IntegerField()
    orden_trabajo = serializers.CharField()
    partida_anexo = serializers.IntegerField(help_text="The line of the OT's anexo.")
    anexo = serializers.CharField(help_text="The line's price-book anexo, e.g. C-5.")
    partida = serializers.CharField(help_text="The line's partida key in that anexo.")
    concepto = serializers.CharField()
    unidad = serializers.CharField()
    sitio_id = serializers.IntegerField()
    sitio = serializers.CharField()
    fecha_produccion = serializers.DateField()
    volumen_produccion = serializers.DecimalField(max_digits=16, decimal_places=4)
    tipo_tiempo = serializers.ChoiceField(choices=Produccion.TipoTiempo.choices)
    excedente = serializers.DecimalField(
        max_digits=16,
        decimal_places=4,
        help_text="Computed by the server: the part of this row beyond the authorised volume, "
        "the line's production accumulating over the OT and its re-programmings in date order.",
    )
    estatus_cobro = serializers.ChoiceField(choices=EstatusCobro.choices)
    estatus_cobro_texto = serializers.CharField()
    comentario = serializers.CharField()


ProduccionPageSerializer = page_serializer("ProduccionPage", "produccion", ProduccionItemSerializer)


class ProduccionLoteSerializer(serializers.Serializer):
    creadas = serializers.IntegerField()
    produccion = ProduccionItemSerializer(many=True)


# --- the monthly sheet and the daily reports --------------------------------------------------

ESTADOS_REPORTE = ["PENDIENTE", "PROCESO", "FALTA FIRMA PEMEX", "FIRMADO"]


class MesSerializer(MesQuerySerializer):
    """A month of an OT's production (query parameters; an empty one is a 400, not the
    default)."""


class SabanaQuerySerializer(MesSerializer):
    ot = serializers.IntegerField(min_value=1)
    tipo_tiempo = serializers.ChoiceField(
        choices=Produccion.TipoTiempo.choices,
        default=Produccion.TipoTiempo.TE,
        help_text="The sheet's kind of time (default TE).",
    )
    sitio = serializers.IntegerField(
        min_value=1, required=False, help_text="The sheet's site (default: the OT's)."
    )
    formato = serializers.ChoiceField(
        choices=["json", "xlsx"], default="json", help_text="`xlsx`: the sheet as a workbook."
    )


def _por_dia(help_text: str) -> serializers.DictField:
    return serializers.DictField(
        child=serializers.DecimalField(max_digits=16, decimal_places=4), help_text=help_text
    )


class ImportesSerializer(serializers.Serializer):
    importe_mn = serializers.DecimalField(max_digits=20, decimal_places=2)
    importe_usd = serializers.DecimalField(max_digits=20, decimal_places=2)


class PrevisionSerializer(serializers.Serializer):
    tope = serializers.DecimalField(
        max_digits=18,
        decimal_places=4,
        help_text="The authorised volume of the concept across the OT's family.",
    )
    previo = serializers.DecimalField(
        max_digits=18,
        decimal_places=4,
        help_text="The family's volume on the concept before the month.",
    )
    otros = _por_dia(
        "Day → the family's volume on the concept that day on other sheets (other kinds of "
        "time, sites or OTs). A day's excedente is max(0, after - max(tope, before)), "
        "accumulating previo, then day by day otros and this sheet's volume."
    )


class PartidaSabanaSerializer(serializers.Serializer):
    partida_anexo = serializers.IntegerField(help_text="The line of the OT's active anexo.")
    anexo = serializers.CharField()
    partida = serializers.CharField()
    concepto = serializers.CharField()
    unidad = serializers.CharField()
    autorizado = serializers.DecimalField(
        max_digits=18, decimal_places=4, help_text="The line's volume in the OT's anexo."
    )
    pu_mn = serializers.DecimalField(max_digits=18, decimal_places=2)
    pu_usd = serializers.DecimalField(max_digits=18, decimal_places=2)
    programado = _por_dia("Day of the month → programmed volume (from the anexo's dates).")
    ejecutado = _por_dia("Day → executed volume. The only cells a PUT reads.")
    excedente = _por_dia("Day → the part of that day's volume beyond the authorised one.")
    importe_mn = serializers.DecimalField(
        max_digits=20, decimal_places=2, help_text="The month's executed volume times P.U. M.N."
    )
    importe_usd = serializers.DecimalField(max_digits=20, decimal_places=2)
    prevision = PrevisionSerializer(
        help_text="What a grid needs to show a cell's excedente before it is saved."
    )


class SubtotalSabanaSerializer(ImportesSerializer):
    anexo = serializers.CharField()


class KpisSabanaSerializer(serializers.Serializer):
    autorizado = ImportesSerializer(help_text="The OT's active anexo: volume times price.")
    meses_anteriores = ImportesSerializer(help_text="Executed before this month.")
    mes_actual = ImportesSerializer(help_text="Executed this month (every kind and site).")
    por_ejecutar = ImportesSerializer(help_text="Authorised minus executed, at least 0.")


class SabanaSerializer(serializers.Serializer):
    """Documents `selectors.sabana()`."""

    ot = serializers.IntegerField()
    orden_trabajo = serializers.CharField()
    anio = serializers.IntegerField()
    mes = serializers.IntegerField()
    tipo_tiempo = serializers.ChoiceField(choices=Produccion.TipoTiempo.choices)
    sitio = serializers.IntegerField()
    sitio_descripcion = serializers.CharField()
    dias = serializers.ListField(child=serializers.IntegerField())
    reportes = serializers.DictField(
        child=serializers.ChoiceField(choices=ESTADOS_REPORTE),
        help_text="Day → state of the day's report at this site (FIRMADO days are locked).",
    )
    partidas = PartidaSabanaSerializer(many=True)
    subtotales = SubtotalSabanaSerializer(many=True, help_text="By anexo, in sheet order.")
    totales = ImportesSerializer()
    kpis = KpisSabanaSerializer()


class SabanaGuardadaSerializer(SabanaSerializer):
    """Documents a save's answer: the saved sheet, as the GET gives it; or, asked with
    `Prefer: return=minimal`, only what the save changed: no `orden_trabajo`,
    `sitio_descripcion`, `dias` or `reportes`, and `partidas` holds the lines sent only."""

    _MINIMA = "Absent with `Prefer: return=minimal`."
    orden_trabajo = serializers.CharField(required=False, help_text=_MINIMA)
    sitio_descripcion = serializers.CharField(required=False, help_text=_MINIMA)
    dias = serializers.ListField(
        child=serializers.IntegerField(), required=False, help_text=_MINIMA
    )
    reportes = serializers.DictField(
        child=serializers.ChoiceField(choices=ESTADOS_REPORTE),
        required=False,
        help_text="Day → state of the day's report at this site. " + _MINIMA,
    )
    partidas = PartidaSabanaSerializer(
        many=True,
        help_text="Every line; with `Prefer: return=minimal`, the lines sent only, in sheet "
        "order, as the GET now gives them (no other line changes: a line's excedentes are "
        "its concept's).",
    )


class PartidaSabanaInputSerializer(serializers.Serializer):
    partida_anexo = serializers.IntegerField()
    ejecutado = serializers.DictField(
        child=serializers.DecimalField(max_digits=16, decimal_places=4, allow_null=True),
        help_text="Day → volume; an absent, null, empty or 0 day deletes that day's row.",
    )


class SabanaInputSerializer(serializers.Serializer):
    """Documents the PUT body: the GET's shape; only `partidas[].partida_anexo` and
    `partidas[].ejecutado` are read."""

    partidas = PartidaSabanaInputSerializer(many=True)


class PartidaCeldasInputSerializer(serializers.Serializer):
    partida_anexo = serializers.IntegerField()
    ejecutado = serializers.DictField(
        child=serializers.DecimalField(max_digits=16, decimal_places=4, allow_null=True),
        help_text="Day → volume, only the days that change; null, empty or 0 deletes that "
        "day's row, an absent day is left alone.",
    )


class SabanaCeldasInputSerializer(serializers.Serializer):
    """Documents the PATCH body: only the cells that change."""

    partidas = PartidaCeldasInputSerializer(many=True)


class SabanaErrorSerializer(ErrorSerializer):
    """409: a signed-off day would change."""

    firmados = serializers.ListField(child=serializers.DictField(), required=False)


class SitioReportesSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    descripcion = serializers.CharField()
    reportes = serializers.DictField(
        child=serializers.ChoiceField(choices=ESTADOS_REPORTE),
        help_text="Day of the month → state (PENDIENTE when never set).",
    )
    comentarios = serializers.DictField(
        child=serializers.CharField(),
        help_text="Day → the comment of that day's report (only days that have one).",
    )


class CierreMesSerializer(serializers.Serializer):
    estatus = serializers.ChoiceField(
        choices=CierreMes.Estatus.choices, help_text="The month's close (ABIERTO when never set)."
    )
    evidencia = serializers.CharField(
        allow_blank=True, help_text="A link (URL) to the month's evidence, or empty."
    )


class ReportesDiariosSerializer(serializers.Serializer):
    """Documents `selectors.reportes_diarios()`."""

    ot = serializers.IntegerField()
    anio = serializers.IntegerField()
    mes = serializers.IntegerField()
    dias = serializers.ListField(child=serializers.IntegerField())
    sitios = SitioReportesSerializer(many=True)
    cierre_mes = CierreMesSerializer(help_text="The OT's month: close state and evidence.")


class SitioReportesInputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    reportes = serializers.DictField(
        child=serializers.ChoiceField(choices=ESTADOS_REPORTE), required=False
    )
    comentarios = serializers.DictField(
        child=serializers.CharField(allow_blank=True),
        required=False,
        help_text='Day → comment; "" clears it.',
    )


class CierreMesInputSerializer(serializers.Serializer):
    estatus = serializers.ChoiceField(choices=CierreMes.Estatus.choices, required=False)
    evidencia = serializers.CharField(allow_blank=True, required=False)


class ReportesDiariosInputSerializer(serializers.Serializer):
    """Documents the PUT body: the GET's shape; days not sent are left alone."""

    sitios = SitioReportesInputSerializer(many=True, required=False)
    cierre_mes = CierreMesInputSerializer(required=False)
