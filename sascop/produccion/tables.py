"""The production list's columns, declared once: the page's table (sortable, es-MX figures),
its Excel export and its column chooser all come from `COLUMNAS`."""

from __future__ import annotations

from sascop.catalogos.estatus import EstatusCobro
from sascop.core import excel
from sascop.core.pages.columnas import Columna, Tabla, fecha, tabla_de
from sascop.core.templatetags.formato import volumen
from sascop.produccion.models import Produccion

_CONCEPTO = "partida_anexo__concepto"

COLUMNAS = (
    fecha("fecha_produccion", "Fecha"),
    Columna("ot", "OT", "ot__orden_trabajo", excel="Orden de trabajo", ancho=18, clase="nowrap"),
    Columna("anexo", "Anexo", f"{_CONCEPTO}__anexo__clave", ancho=9, visible=False),
    Columna(
        "partida",
        "Partida",
        f"{_CONCEPTO}__partida",
        ancho=10,
        clase="nowrap",
        orden=(f"{_CONCEPTO}__anexo__clave", f"{_CONCEPTO}__orden", "id"),
    ),
    Columna("concepto", "Concepto", f"{_CONCEPTO}__concepto", ancho=50, orden=(), largo=True),
    Columna("unidad", "Unidad", f"{_CONCEPTO}__unidad", ancho=10, orden=(), visible=False),
    Columna("sitio", "Sitio", "sitio__descripcion", ancho=26, orden=("sitio", "id")),
    Columna("tipo_tiempo", "Tipo", "tipo_tiempo", excel="Tipo de tiempo", ancho=10),
    Columna(
        "volumen_produccion",
        "Volumen",
        "volumen_produccion",
        ancho=14,
        formato=excel.VOLUMEN,
        clase="num nowrap",
    ),
    Columna(
        "excedente", "Excedente", "excedente", ancho=14, formato=excel.VOLUMEN, clase="num nowrap"
    ),
    Columna(
        "estatus_cobro",
        "Cobro",
        "estatus_cobro",
        excel="Estatus de cobro",
        ancho=16,
        opciones=dict(EstatusCobro.choices),
    ),
    Columna(
        "comentario", "Comentario", "comentario", ancho=40, orden=(), largo=True, visible=False
    ),
)


class _ProduccionTabla(Tabla):
    def render_partida(self, record: Produccion) -> str:
        concepto = record.partida_anexo.concepto
        return f"{concepto.anexo.clave} {concepto.partida}"

    def render_volumen_produccion(self, record: Produccion) -> str:
        return volumen(record.volumen_produccion, record.partida_anexo.concepto.unidad)

    def render_excedente(self, record: Produccion) -> str:
        if not record.excedente:
            return "—"
        return volumen(record.excedente, record.partida_anexo.concepto.unidad)


ProduccionTable = tabla_de(
    COLUMNAS,
    _ProduccionTabla,
    "ProduccionTable",
    clave="produccion",
    sustantivos=("fila de producción", "filas de producción"),
    vacio="Ninguna producción coincide con los filtros.",
)
