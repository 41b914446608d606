"""The production list's columns, declared once: the page's table (sortable, es-MX figures),
its Excel export and its column chooser all come from `COLUMNAS`."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from sascop.catalogos.estatus import EstatusCobro
from sascop.core import excel
from sascop.core.pages.columnas import Columna, Tabla, fecha, tabla_de
from sascop.core.templatetags.formato import volumen
from sascop.produccion.models import Produccion

_CONCEPTO = "partida_anexo__concepto"

COLUMNAS = (
    fecha("fecha_produccion", _("Date")),
    Columna("ot", _("OT"), "ot__orden_trabajo", excel=_("Work order"), ancho=18, clase="nowrap"),
    Columna("anexo", _("Anexo"), f"{_CONCEPTO}__anexo__clave", ancho=9, visible=False),
    Columna(
        "partida",
        _("Partida"),
        f"{_CONCEPTO}__partida",
        ancho=10,
        clase="nowrap",
        orden=(f"{_CONCEPTO}__anexo__clave", f"{_CONCEPTO}__orden", "id"),
    ),
    Columna("concepto", _("Concept"), f"{_CONCEPTO}__concepto", ancho=50, orden=(), largo=True),
    Columna("unidad", _("Unit"), f"{_CONCEPTO}__unidad", ancho=10, orden=(), visible=False),
    Columna("sitio", _("Site"), "sitio__descripcion", ancho=26, orden=("sitio", "id")),
    Columna("tipo_tiempo", _("Kind"), "tipo_tiempo", excel=_("Kind of time"), ancho=10),
    Columna(
        "volumen_produccion",
        _("Volume"),
        "volumen_produccion",
        ancho=14,
        formato=excel.VOLUMEN,
        clase="num nowrap",
    ),
    Columna(
        "excedente",
        _("Excedente"),
        "excedente",
        ancho=14,
        formato=excel.VOLUMEN,
        clase="num nowrap",
    ),
    Columna(
        "estatus_cobro",
        _("Billing"),
        "estatus_cobro",
        excel=_("Billing status"),
        ancho=16,
        opciones=dict(EstatusCobro.choices),
    ),
    Columna(
        "comentario", _("Comment"), "comentario", ancho=40, orden=(), largo=True, visible=False
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
    sustantivos=ngettext_lazy("%(cifra)s production row", "%(cifra)s production rows", "n"),
    vacio=_("No production matches the filters."),
)
