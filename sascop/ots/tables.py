"""The OT list's columns, declared once: the page's table (sortable, linked to each OT,
es-MX figures, progress with the days remaining), its Excel export and its column chooser
all come from `COLUMNAS`."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop, ngettext, ngettext_lazy, pgettext_lazy

from sascop.catalogos.estatus import EstatusOT
from sascop.core import excel
from sascop.core.pages import columnas
from sascop.core.pages.columnas import Columna, barra, tabla_de
from sascop.core.templatetags.formato import dinero, entero, fecha
from sascop.flujo import columnas as flujo
from sascop.ots import selectors
from sascop.ots.models import LUGARES, OT

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def _lugares(fila: Mapping[str, Any], _contexto: Any) -> str:
    """Where the OT stands (vessel, platform, intercom, yard), or its site."""
    nombres = [
        str(fila[f"{lugar}__descripcion"]) for lugar in LUGARES if fila[f"{lugar}__descripcion"]
    ]
    if not nombres and fila["sitio__descripcion"]:
        nombres = [str(fila["sitio__descripcion"])]
    return " · ".join(nombres)


ORIGENES = {
    selectors.ORIGEN_ANEXO: _("Anexo C"),
    selectors.ORIGEN_CAPTURADO: pgettext_lazy("amount", "Typed"),
}


def _dias(nombre: str, titulo: StrOrPromise) -> Columna:
    return columnas.entero(nombre, titulo, ancho=11, visible=False)


COLUMNAS = (
    Columna(
        "orden_trabajo",
        _("Order"),
        "orden_trabajo",
        excel=_("Work order"),
        ancho=18,
        clase="nowrap",
        orden=("orden_trabajo", "num_reprogramacion", "id"),
        enlace=("ots:detalle", {"ot_id": tables.A("pk")}),
    ),
    columnas.entero("num_reprogramacion", _("Re-programming"), ancho=8, visible=False),
    Columna("oficio_ot", _("OT letter"), "oficio_ot", ancho=18, visible=False),
    Columna("oficio_pte", _("PTE letter"), "pte__oficio_pte", ancho=18, visible=False),
    flujo.DESCRIPCION,
    flujo.CLIENTE,
    # On the OT's page; in the list its places take the room (1,280 px fit without cutting).
    dataclasses.replace(flujo.RESPONSABLE, visible=False),
    Columna(
        "responsable_cliente",
        _("Client's lead"),
        "responsable_cliente",
        ancho=22,
        visible=False,
    ),
    Columna("frente", _("Front"), "frente__descripcion", ancho=18, visible=False),
    Columna("sitio", _("Site"), "sitio__descripcion", ancho=18, visible=False),
    Columna(
        "lugares",
        _("Places"),
        excel="",  # the page's summary; the workbook keeps its columns as they were
        ancho=30,
        orden=(),
        largo=1,
        valor=_lugares,
        lee=tuple(f"{lugar}__descripcion" for lugar in (*LUGARES, "sitio")),
        siempre=True,
    ),
    flujo.estatus(EstatusOT.choices, 16),
    columnas.fecha(
        "fecha_inicio_programado", _("Programmed"), excel=_("Programmed start"), siempre=True
    ),
    columnas.fecha("fecha_termino_programado", _("Programmed end"), visible=False),
    columnas.fecha("fecha_inicio_real", _("Actual start"), visible=False),
    columnas.fecha("fecha_termino_real", _("Actual end"), visible=False),
    flujo.PLAZO,
    # The contracted amount: the active anexo's total, else the amount typed or imported.
    Columna(
        "monto_mxn",
        _("Amount"),
        "monto_contratado_mxn",
        excel=_("Amount MXN"),
        ancho=18,
        formato=excel.DINERO,
        clase="num nowrap",
        siempre=True,
    ),
    dataclasses.replace(
        columnas.dinero(
            "monto_usd",
            _("Amount USD"),
            ancho=16,
            clase="num nowrap",
            visible=False,
        ),
        campo="monto_contratado_usd",
    ),
    Columna(
        "monto_origen",
        _("Amount source"),
        "monto_origen",
        ancho=14,
        opciones=ORIGENES,
        orden=(),
        visible=False,
    ),
    dataclasses.replace(
        columnas.dinero(
            "monto_capturado_mxn",
            _("Typed amount MXN"),
            ancho=16,
            clase="num nowrap",
            visible=False,
        ),
        campo="monto_mxn",
    ),
    dataclasses.replace(
        columnas.dinero(
            "monto_capturado_usd",
            _("Typed amount USD"),
            ancho=16,
            clase="num nowrap",
            visible=False,
        ),
        campo="monto_usd",
    ),
    _dias("dias_transcurridos", _("Days elapsed")),
    _dias("dias_restantes", _("Days remaining")),
    columnas.entero(
        "dias_atraso", _("Days late"), ancho=11, orden=("dias_atraso", "id"), visible=False
    ),
    flujo.progreso(
        lambda fila, pasos: selectors.progreso_de(
            fila["estatus"], fila["avance_tiempo"], pasos.get(fila["id"], 0.0)
        ),
        lee=("estatus", "avance_tiempo"),
    ),
)


# Texts every row repeats (translated once a table, `Tabla.traducido`).
HASTA = gettext_noop('{}<br><span class="tenue">to {}</span>')
PROGRESO_DE = gettext_noop("Progress of %(ot)s")


class _OTTabla(flujo.TablaConAvance):
    def render_orden_trabajo(self, record: OT) -> str:
        return str(record)

    def render_lugares(self, record: OT) -> str:
        lugares = [getattr(record, lugar) for lugar in LUGARES]
        nombres = [str(lugar) for lugar in lugares if lugar is not None]
        if not nombres and record.sitio is not None:
            nombres = [str(record.sitio)]
        return columnas.truncado(" · ".join(nombres) or "—")

    def render_fecha_inicio_programado(self, record: OT) -> SafeString | str:
        if record.fecha_termino_programado is None:
            return fecha(record.fecha_inicio_programado)
        return format_html(
            self.traducido(HASTA),
            fecha(record.fecha_inicio_programado),
            fecha(record.fecha_termino_programado),
        )

    def render_monto_mxn(self, record: OT) -> SafeString:
        return format_html(
            '{}<br><span class="tenue">{}</span>',
            dinero(record.monto_contratado_mxn, "MXN"),  # type: ignore[attr-defined]
            dinero(record.monto_contratado_usd, "USD"),  # type: ignore[attr-defined]
        )

    def render_dias_atraso(self, record: OT) -> SafeString | str:
        dias: int = record.dias_atraso  # type: ignore[attr-defined]
        if not dias:
            return entero(dias)
        return format_html('<span class="atraso">{}</span>', entero(dias))

    def render_progreso(self, record: OT) -> SafeString | str:
        avance = self.avance.get(record.pk)
        if avance is not None and avance.progreso is None:
            return "—"  # a cancelled OT has no progress
        etiqueta = self.traducido(PROGRESO_DE) % {"ot": record}
        barra_ = barra(avance.progreso or 0 if avance else 0, etiqueta)
        plazo = texto_de_plazo(record, avance)
        if not plazo:
            return barra_
        clase = "atraso dias" if avance and avance.dias_atraso else "tenue dias"
        return format_html('{}<span class="{}">{}</span>', barra_, clase, plazo)


def texto_de_plazo(ot: OT, avance: selectors.Avance | None) -> str:
    """ "N days late" for a late OT, "N days remaining" for one still open with an end date;
    nothing for one Terminada or Cancelada."""
    if avance is None or ot.estatus in selectors.CERRADAS:
        return ""
    if avance.dias_atraso:
        n = avance.dias_atraso
        return ngettext("%(n)s day late", "%(n)s days late", n) % {"n": entero(n)}
    if avance.dias_restantes is None:
        return ""
    n = avance.dias_restantes
    return ngettext("%(n)s day remaining", "%(n)s days remaining", n) % {"n": entero(n)}


OTTable = tabla_de(
    COLUMNAS,
    _OTTabla,
    "OTTable",
    clave="ots",
    sustantivos=ngettext_lazy("%(cifra)s OT", "%(cifra)s OTs", "n"),
    vacio=_("No OT matches the filters."),
)
