"""Price-book shapes. Output is built by plain functions; the Serializer classes validate
input and document the output in the OpenAPI schema."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from rest_framework import serializers

from sascop.core.api.serializers import ErrorSerializer, UTCDateTimeField, iso, page_serializer
from sascop.ots.models import OT
from sascop.precios.importar_ots import ResultadoRegistro, resumen_registro
from sascop.precios.models import CENTAVO, Anexo, AnexoOT, Concepto, TipoCambio, importe
from sascop.precios.services import Importacion, Modo, ResultadoAnexo, resumen_importacion
from sascop.ptes.models import PTE


def _dinero(valor: Any) -> str | None:
    return format(valor, "f") if valor is not None else None


def concepto_item(concepto: Concepto) -> dict[str, Any]:
    return {
        "id": concepto.pk,
        "contrato": concepto.anexo.contrato.numero,
        "anexo": concepto.anexo.clave,
        "anexo_id": concepto.anexo_id,
        "partida": concepto.partida,
        "concepto": concepto.concepto,
        "unidad": concepto.unidad,
        "pu_mn": _dinero(concepto.pu_mn),
        "pu_usd": _dinero(concepto.pu_usd),
        "cantidad_referencia": _dinero(concepto.cantidad_referencia),
        "seccion": concepto.seccion,
        "tipo": concepto.tipo,
        "estatus": concepto.estatus,
        "estatus_texto": Concepto.Estatus(concepto.estatus).label,
        "pte": concepto.pte.oficio_pte if concepto.pte else None,
        "pte_id": concepto.pte_id,
        "ot": concepto.ot.orden_trabajo if concepto.ot else None,
        "ot_id": concepto.ot_id,
        "autorizado_en": iso(concepto.autorizado_en),
    }


def concepto_completo(concepto: Concepto) -> dict[str, Any]:
    return {
        **concepto_item(concepto),
        "creado_en": iso(concepto.creado_en),
        "actualizado_en": iso(concepto.actualizado_en),
    }


def importacion(resultado: Importacion) -> dict[str, Any]:
    propuestas = resultado.propuestas
    return {
        "contrato": resultado.contrato,
        "simulada": resultado.simulada,
        "mensaje": resumen_importacion(resultado),
        "creados": resultado.total("creados"),
        "actualizados": resultado.total("actualizados"),
        "sin_cambios": resultado.total("sin_cambios"),
        "cambios_de_precio": [
            {
                "anexo": c.anexo,
                "partida": c.partida,
                "concepto": c.concepto,
                "campo": c.campo,
                "antes": _dinero(c.antes),
                "despues": _dinero(c.despues),
            }
            for c in resultado.cambios_de_precio
        ],
        "lista_pue": resultado.lista_pue,
        "propuestas": {
            "creadas": propuestas.creadas,
            "actualizadas": propuestas.actualizadas,
            "sin_cambios": propuestas.sin_cambios,
            "repetidas": propuestas.repetidas,
        },
        "ptes_sin_registro": resultado.ptes_sin_registro,
        "ots_sin_registro": resultado.ots_sin_registro,
        "hojas_resumen": resultado.hojas_resumen,
        "anexos": [
            {
                "anexo": r.anexo,
                "hojas": r.hojas,
                "creados": r.creados,
                "actualizados": r.actualizados,
                "sin_cambios": r.sin_cambios,
            }
            for r in resultado.anexos.values()
        ],
        "hojas_vacias": resultado.hojas_vacias,
    }


class ConceptoItemSerializer(serializers.Serializer):
    """Documents `concepto_item()`."""

    id = serializers.IntegerField()
    contrato = serializers.CharField(help_text="The contract's número.")
    anexo = serializers.CharField(help_text='The anexo\'s key, e.g. "C-5-1".')
    anexo_id = serializers.IntegerField()
    partida = serializers.CharField(help_text='Normalised key: "2.1." and 2.1 are "2.1".')
    concepto = serializers.CharField()
    unidad = serializers.CharField(help_text='Upper case without accents: "DIA", "HOM/DIA".')
    pu_mn = serializers.DecimalField(max_digits=18, decimal_places=2)
    pu_usd = serializers.DecimalField(max_digits=18, decimal_places=2)
    cantidad_referencia = serializers.DecimalField(max_digits=18, decimal_places=4, allow_null=True)
    seccion = serializers.CharField(help_text="The section row above it in the book, or ''.")
    tipo = serializers.ChoiceField(choices=Concepto.Tipo.choices)
    estatus = serializers.ChoiceField(choices=Concepto.Estatus.choices)
    estatus_texto = serializers.CharField()
    pte = serializers.CharField(allow_null=True, help_text="Oficio of the PTE of a PUE.")
    pte_id = serializers.IntegerField(allow_null=True)
    ot = serializers.CharField(allow_null=True, help_text="Orden de trabajo of a PUE.")
    ot_id = serializers.IntegerField(allow_null=True)
    autorizado_en = UTCDateTimeField(allow_null=True)


class ConceptoDetailSerializer(ConceptoItemSerializer):
    """Documents `concepto_completo()`."""

    creado_en = UTCDateTimeField()
    actualizado_en = UTCDateTimeField()


ConceptoPageSerializer = page_serializer("ConceptoPage", "conceptos", ConceptoItemSerializer)


class ConceptoInputSerializer(serializers.Serializer):
    """A new extraordinary concept (PUE)."""

    anexo = serializers.PrimaryKeyRelatedField(queryset=Anexo.objects.all())
    partida = serializers.CharField(max_length=40)
    concepto = serializers.CharField()
    unidad = serializers.CharField(max_length=30)
    pu_mn = serializers.DecimalField(max_digits=18, decimal_places=2, min_value=0, required=False)
    pu_usd = serializers.DecimalField(max_digits=18, decimal_places=2, min_value=0, required=False)
    cantidad_referencia = serializers.DecimalField(
        max_digits=18, decimal_places=4, min_value=0, required=False, allow_null=True
    )
    seccion = serializers.CharField(max_length=300, required=False, allow_blank=True)
    pte = serializers.PrimaryKeyRelatedField(
        queryset=PTE.objects.all(), required=False, allow_null=True
    )
    ot = serializers.PrimaryKeyRelatedField(
        queryset=OT.objects.all(), required=False, allow_null=True
    )


class ImportarInputSerializer(serializers.Serializer):
    archivo = serializers.FileField(
        help_text="The price book or the PUE list, an .xlsx workbook (10 MB at most)."
    )
    contrato = serializers.CharField(
        max_length=60,
        required=False,
        help_text="The contract's número; by default the only contract there is.",
    )
    simular = serializers.BooleanField(
        default=False, help_text="Dry run: the same answer, nothing stored."
    )


class ResumenAnexoSerializer(serializers.Serializer):
    anexo = serializers.CharField()
    hojas = serializers.ListField(child=serializers.CharField())
    creados = serializers.IntegerField()
    actualizados = serializers.IntegerField()
    sin_cambios = serializers.IntegerField()


class CambioPrecioSerializer(serializers.Serializer):
    anexo = serializers.CharField()
    partida = serializers.CharField()
    concepto = serializers.CharField()
    campo = serializers.ChoiceField(choices=["pu_mn", "pu_usd"])
    antes = serializers.DecimalField(max_digits=18, decimal_places=2)
    despues = serializers.DecimalField(max_digits=18, decimal_places=2)


class PropuestasSerializer(serializers.Serializer):
    """The PUE list's proposals with no key yet (drafts in the contract's PUE anexo)."""

    creadas = serializers.IntegerField()
    actualizadas = serializers.IntegerField()
    sin_cambios = serializers.IntegerField()
    repetidas = serializers.IntegerField(help_text="Rows the list holds twice, stored once.")


class ImportacionEnColaSerializer(serializers.Serializer):
    """The 202 of an import queued because of its size: the task and its state so far."""

    tarea = serializers.UUIDField(help_text="The task's id; poll Location.")
    estado = serializers.ChoiceField(choices=["en_cola", "ejecutando", "terminada", "fallida"])
    avance = serializers.IntegerField(
        allow_null=True, min_value=0, max_value=100, help_text="Percentage of the rows read."
    )
    resultado = serializers.JSONField(allow_null=True, help_text="Null until terminada.")


class ImportacionSerializer(serializers.Serializer):
    """Documents `importacion()`."""

    contrato = serializers.CharField()
    creados = serializers.IntegerField()
    actualizados = serializers.IntegerField()
    sin_cambios = serializers.IntegerField()
    anexos = ResumenAnexoSerializer(many=True)
    hojas_vacias = serializers.ListField(
        child=serializers.CharField(), help_text="Sheets with nothing on them, skipped."
    )
    simulada = serializers.BooleanField(help_text="A dry run: nothing was stored.")
    mensaje = serializers.CharField(help_text="The summary, in Spanish.")
    cambios_de_precio = CambioPrecioSerializer(many=True)
    lista_pue = serializers.BooleanField(help_text="The workbook was the PUE list.")
    propuestas = PropuestasSerializer()
    ptes_sin_registro = serializers.ListField(
        child=serializers.CharField(),
        help_text="Oficios the PUE list names that no PTE has: kept as text on the PUEs.",
    )
    ots_sin_registro = serializers.ListField(child=serializers.CharField())
    hojas_resumen = serializers.ListField(
        child=serializers.CharField(),
        help_text="Sheets of anexo totals (no concept under the header), skipped.",
    )


class FilaErrorSerializer(serializers.Serializer):
    hoja = serializers.CharField(help_text="Sheet name ('' for the whole book).")
    fila = serializers.IntegerField(
        allow_null=True, help_text="Row number in the sheet; null for the whole sheet."
    )
    partida = serializers.CharField(allow_null=True)
    errores = serializers.ListField(child=serializers.CharField())


class LibroErrorSerializer(ErrorSerializer):
    """422 `invalid_workbook`: every row or sheet that could not be read."""

    filas = FilaErrorSerializer(many=True)


class ImportarErrorSerializer(ErrorSerializer):
    """400: `invalid_workbook` with an empty `filas` (not an .xlsx file), or `invalid` with
    `fields` (no file; several contracts and none named)."""

    filas = FilaErrorSerializer(many=True, required=False)


# --- an OT's anexo ----------------------------------------------------------------------------


def _cantidad(valor: Decimal) -> str:
    return format(valor, "f")


def anexo_ot(anexo: AnexoOT, tipo_cambio: TipoCambio | None) -> dict[str, Any]:
    partidas = []
    total_mn = total_usd = Decimal("0.00")
    for linea in anexo.partidas.all():
        importe_mn = importe(linea.volumen, linea.pu_mn)
        importe_usd = importe(linea.volumen, linea.pu_usd)
        total_mn += importe_mn
        total_usd += importe_usd
        partidas.append(
            {
                "id": linea.pk,
                "anexo": linea.concepto.anexo.clave,
                "partida": linea.concepto.partida,
                "concepto": linea.concepto.concepto,
                "unidad": linea.concepto.unidad,
                "volumen": _cantidad(linea.volumen),
                "pu_mn": _cantidad(linea.pu_mn),
                "pu_usd": _cantidad(linea.pu_usd),
                "importe_mn": _cantidad(importe_mn),
                "importe_usd": _cantidad(importe_usd),
                "ejecutado": _cantidad(linea.ejecutado),
                "excedente": _cantidad(linea.excedente),
                "programa": {
                    p.fecha.isoformat(): _cantidad(p.volumen) for p in linea.programa.all()
                },
            }
        )
    homologado = (
        _cantidad((total_mn + total_usd * tipo_cambio.valor).quantize(CENTAVO))
        if tipo_cambio is not None
        else None
    )
    return {
        "version": anexo.version,
        "activo": anexo.activo,
        "creado_en": iso(anexo.creado_en),
        "partidas": partidas,
        "totales": {
            "importe_mn": _cantidad(total_mn),
            "importe_usd": _cantidad(total_usd),
            "homologado_mn": homologado,
        },
        "tipo_cambio": (
            {"fecha": tipo_cambio.fecha.isoformat(), "valor": _cantidad(tipo_cambio.valor)}
            if tipo_cambio is not None
            else None
        ),
    }


def resultado_anexo(resultado: ResultadoAnexo) -> dict[str, Any]:
    return {
        "version": resultado.anexo.version,
        "partidas": resultado.partidas,
        "importe_mn": _cantidad(resultado.importe_mn),
        "importe_usd": _cantidad(resultado.importe_usd),
    }


class AnexoInputSerializer(serializers.Serializer):
    archivo = serializers.FileField(
        help_text="The OT's anexo, an .xlsx workbook (10 MB at most): under any title lines, "
        "a header row with ANEXO, PARTIDA, CONCEPTO, UNIDAD, VOLUMEN PTE, optionally P.U. M.N. "
        "and P.U. USD, and one column per programmed day (headed by the date)."
    )
    modo = serializers.ChoiceField(
        choices=[m.value for m in Modo],
        default=Modo.REEMPLAZAR.value,
        help_text="`reemplazar` (default): the sheet is the new anexo. `actualizar`: the "
        "active anexo's lines are kept and only the sheet's new partidas are added.",
    )


class AnexoQuerySerializer(serializers.Serializer):
    version = serializers.IntegerField(
        min_value=1, required=False, help_text="An earlier version; the active one by default."
    )
    formato = serializers.ChoiceField(
        choices=["json", "xlsx"],
        default="json",
        help_text="`xlsx`: the anexo as a workbook in the shape it is imported in.",
    )


class ResultadoAnexoSerializer(serializers.Serializer):
    """Documents `resultado_anexo()`."""

    version = serializers.IntegerField(help_text="The new active version.")
    partidas = serializers.IntegerField()
    importe_mn = serializers.DecimalField(max_digits=20, decimal_places=2)
    importe_usd = serializers.DecimalField(max_digits=20, decimal_places=2)


class PartidaAnexoSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    anexo = serializers.CharField()
    partida = serializers.CharField()
    concepto = serializers.CharField()
    unidad = serializers.CharField()
    volumen = serializers.DecimalField(max_digits=18, decimal_places=4)
    pu_mn = serializers.DecimalField(
        max_digits=18, decimal_places=2, help_text="The price book's, when imported."
    )
    pu_usd = serializers.DecimalField(max_digits=18, decimal_places=2)
    importe_mn = serializers.DecimalField(max_digits=20, decimal_places=2)
    importe_usd = serializers.DecimalField(max_digits=20, decimal_places=2)
    ejecutado = serializers.DecimalField(
        max_digits=18,
        decimal_places=4,
        help_text="Volume the OT executed on this line's concept (anexo + partida), all "
        "dates, kinds of time and sites.",
    )
    excedente = serializers.DecimalField(
        max_digits=18,
        decimal_places=4,
        help_text="The part of `ejecutado` beyond the authorised volume, computed by the "
        "server: production accumulates over the OT and its re-programmings in date order "
        "against the volume of the family's newest anexo.",
    )
    programa = serializers.DictField(
        child=serializers.DecimalField(max_digits=18, decimal_places=4),
        help_text="Programmed volume by day (ISO date → volume); days without one are left out.",
    )


class TotalesAnexoSerializer(serializers.Serializer):
    importe_mn = serializers.DecimalField(max_digits=20, decimal_places=2)
    importe_usd = serializers.DecimalField(max_digits=20, decimal_places=2)
    homologado_mn = serializers.DecimalField(
        max_digits=20,
        decimal_places=2,
        allow_null=True,
        help_text="importe_mn + importe_usd times the exchange rate in force today; null when "
        "no rate is recorded.",
    )


class TipoCambioSerializer(serializers.Serializer):
    fecha = serializers.DateField(help_text="In force from this day.")
    valor = serializers.DecimalField(
        max_digits=12, decimal_places=4, help_text="Pesos per US dollar."
    )


class AnexoOTSerializer(serializers.Serializer):
    """Documents `anexo_ot()`."""

    version = serializers.IntegerField()
    activo = serializers.BooleanField(help_text="False for an earlier version.")
    creado_en = UTCDateTimeField()
    partidas = PartidaAnexoSerializer(many=True)
    totales = TotalesAnexoSerializer()
    tipo_cambio = TipoCambioSerializer(allow_null=True)


class FilaAnexoErrorSerializer(serializers.Serializer):
    fila = serializers.IntegerField(
        allow_null=True, help_text="Row number in the sheet; null for the whole sheet."
    )
    partida = serializers.CharField(allow_null=True)
    errores = serializers.ListField(child=serializers.CharField())


class AnexoErrorSerializer(ErrorSerializer):
    """422 `invalid_workbook`: every wrong row, and where to download the workbook back
    with an OBSERVACIONES column."""

    filas = FilaAnexoErrorSerializer(many=True)
    observaciones = serializers.CharField(
        help_text="URL of the refused workbook with an OBSERVACIONES column (kept a day)."
    )


# --- the register of OTs ----------------------------------------------------------------------


def registro_ots(resultado: ResultadoRegistro) -> dict[str, Any]:
    return {
        "simulada": resultado.simulada,
        "mensaje": resumen_registro(resultado),
        "creadas": resultado.creadas,
        "actualizadas": resultado.actualizadas,
        "sin_cambios": resultado.sin_cambios,
        "rechazadas": [
            {"fila": r.fila, "orden_trabajo": r.orden_trabajo, "errores": r.errores}
            for r in resultado.rechazadas
        ],
        "advertencias": [
            {
                "fila": a.fila,
                "orden_trabajo": a.orden_trabajo,
                "columna": a.columna,
                "mensaje": a.mensaje,
            }
            for a in resultado.advertencias
        ],
        "catalogos_creados": [
            {"catalogo": c.catalogo, "clave_anterior": c.clave_anterior, "nombre": c.nombre}
            for c in resultado.catalogos_creados
        ],
    }


class RegistroInputSerializer(serializers.Serializer):
    archivo = serializers.FileField(help_text="The register of OTs, an .xlsx workbook.")
    simular = serializers.BooleanField(
        default=False, help_text="Dry run: the same answer, nothing stored."
    )


class RechazadaSerializer(serializers.Serializer):
    fila = serializers.IntegerField(help_text="Row number in the sheet.")
    orden_trabajo = serializers.CharField()
    errores = serializers.ListField(child=serializers.CharField(), help_text="In Spanish.")


class AdvertenciaSerializer(serializers.Serializer):
    fila = serializers.IntegerField()
    orden_trabajo = serializers.CharField()
    columna = serializers.CharField(help_text="The column whose value was left out.")
    mensaje = serializers.CharField(help_text="In Spanish, naming row and column.")


class CatalogoCreadoSerializer(serializers.Serializer):
    catalogo = serializers.CharField(help_text="As in /operaciones/api/catalogos/<catalogo>/.")
    clave_anterior = serializers.IntegerField(help_text="The id in the previous system.")
    nombre = serializers.CharField(help_text='e.g. "Embarcación 9 (por nombrar)".')


class RegistroOTsSerializer(serializers.Serializer):
    """Documents `registro_ots()`."""

    simulada = serializers.BooleanField(help_text="A dry run: nothing was stored.")
    mensaje = serializers.CharField(help_text="The summary, in Spanish.")
    creadas = serializers.IntegerField()
    actualizadas = serializers.IntegerField()
    sin_cambios = serializers.IntegerField()
    rechazadas = RechazadaSerializer(many=True)
    advertencias = AdvertenciaSerializer(many=True)
    catalogos_creados = CatalogoCreadoSerializer(many=True)
