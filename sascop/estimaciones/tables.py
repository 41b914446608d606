"""The estimaciones list's columns, declared once (table, Excel export, column chooser)."""

from __future__ import annotations

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy, pgettext_lazy

from sascop.core.pages.columnas import Columna, Tabla, dinero, fecha, tabla_de
from sascop.estimaciones.models import Estimacion

COLUMNAS = (
    Columna(
        "numero",
        _("Estimación"),
        "numero",
        ancho=10,
        clase="nowrap",
        mostrar=lambda n: f"E-{n}",
        enlace=("estimaciones:detalle", {"estimacion_id": tables.A("pk")}),
    ),
    Columna(
        "ot",
        _("OT"),
        "ot__orden_trabajo",
        excel=_("Work order"),
        ancho=18,
        clase="nowrap",
        enlace=("ots:estimaciones", {"ot_id": tables.A("ot_id")}),
    ),
    Columna("cliente", _("Client"), "ot__cliente__descripcion", ancho=26, largo=True),
    fecha("desde", _("From")),
    fecha("hasta", _("To")),
    Columna(
        "estatus",
        _("Status"),
        "estatus",
        ancho=12,
        opciones=dict(Estimacion.Estatus.choices),
        insignia=True,
    ),
    Columna("oficio", _("Letter"), "oficio", ancho=18, visible=False),
    dinero("importe_mn", _("Amount M.N.")),
    dinero("importe_usd", pgettext_lazy("priced lines", "Amount USD")),
)


class _EstimacionTabla(Tabla):
    """The generic table; the columns say the rest."""


EstimacionTable = tabla_de(
    COLUMNAS,
    _EstimacionTabla,
    "EstimacionTable",
    clave="estimaciones",
    sustantivos=ngettext_lazy("%(cifra)s estimación", "%(cifra)s estimaciones", "n"),
    vacio=_("No estimación matches the filters."),
)
