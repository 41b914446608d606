"""The PTE list's columns, declared once: the page's table (sortable, linked to each PTE,
es-MX figures), its Excel export and its column chooser all come from `COLUMNAS`."""

from __future__ import annotations

from typing import Any

import django_tables2 as tables
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop, ngettext_lazy

from sascop.catalogos.estatus import EstatusOT, EstatusPTE
from sascop.core.pages import columnas
from sascop.core.pages.columnas import Columna, Tabla, barra, tabla_de
from sascop.flujo import columnas as flujo
from sascop.ptes.models import PTE

COLUMNAS = (
    Columna(
        "oficio_pte",
        _("Letter"),
        "oficio_pte",
        excel=_("PTE letter"),
        ancho=18,
        clase="nowrap",
        enlace=("ptes:detalle", {"pte_id": tables.A("pk")}),
    ),
    Columna("oficio_solicitud", _("Request letter"), "oficio_solicitud", ancho=18, visible=False),
    flujo.DESCRIPCION,
    flujo.CLIENTE,
    Columna("tipo", _("Type"), "tipo__descripcion", ancho=22, visible=False),
    flujo.RESPONSABLE,
    columnas.fecha("fecha_solicitud", _("Request"), excel=_("Request date")),
    flujo.PLAZO,
    columnas.fecha("fecha_entrega", _("Delivery date"), visible=False),
    Columna(
        "prioridad",
        _("Priority"),
        "prioridad",
        ancho=10,
        opciones=dict(PTE.Prioridad.choices),
        visible=False,
    ),
    flujo.estatus(EstatusPTE.choices, 13),
    columnas.dinero(
        "total_homologado", _("Approved total"), excel=_("Approved total (MXN)"), ancho=18
    ),
    flujo.progreso(lambda fila, avance: avance.get(fila["id"], 0.0)),
)


PROGRESO_DE = gettext_noop("Progress of %(oficio)s")  # every row's (`Tabla.traducido`)


class _PTETabla(flujo.TablaConAvance):
    def render_progreso(self, record: PTE) -> SafeString:
        etiqueta = self.traducido(PROGRESO_DE) % {"oficio": record.oficio_pte}
        return barra(self.avance.get(record.pk, 0.0), etiqueta)


PTETable = tabla_de(
    COLUMNAS,
    _PTETabla,
    "PTETable",
    clave="ptes",
    sustantivos=ngettext_lazy("%(cifra)s PTE", "%(cifra)s PTEs", "n"),
    vacio=_("No PTE matches the filters."),
)


# The OTs that followed a PTE, on its page (OTs belong to a later app: read by name only).
COLUMNAS_OTS = (
    Columna(
        "orden_trabajo",
        _("Work order"),
        "orden_trabajo",
        orden=(),
        enlace=("ots:detalle", {"ot_id": tables.A("pk")}),
    ),
    Columna(
        "estatus", _("Status"), "estatus", orden=(), opciones=dict(EstatusOT.choices), insignia=True
    ),
    columnas.dinero("monto_mxn", _("Amount MXN"), orden=()),
    columnas.dinero("monto_usd", _("Amount USD"), orden=()),
)


class _OTsDeLaPTE(Tabla):
    class Meta(Tabla.Meta):
        attrs = {"aria_label": _("OTs of this PTE")}

    def render_orden_trabajo(self, record: Any) -> str:
        return str(record)


OTsDeLaPTETable = tabla_de(COLUMNAS_OTS, _OTsDeLaPTE, "OTsDeLaPTETable")
