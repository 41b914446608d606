"""The dashboard's estimaciones panel: per month, the amount executed, claimed (presented
estimaciones) and authorised, as a chart and its table. Kept apart from the dashboard's own
view: the template includes it with `{% panel_estimaciones %}`, narrowed by the same
date range and client as the rest of the page."""

from __future__ import annotations

import datetime
from typing import Any

from django import template
from django.utils import timezone
from django.utils.translation import gettext as _

from sascop.estadisticas.forms import TableroFiltroForm
from sascop.estadisticas.selectors import ejecutado_por_mes
from sascop.estimaciones.selectors import montos_por_mes

register = template.Library()
MESES = 12


@register.inclusion_tag("estadisticas/_estimaciones.html", takes_context=True)
def panel_estimaciones(context: template.Context) -> dict[str, Any]:
    from sascop.estadisticas.views import _mes  # the month labels the other charts use

    request = context["request"]
    if not request.user.has_perm("estimaciones.view_estimacion"):
        return {"visible": False}
    filtros = context.get("filtros")
    filtro = filtros.filtro() if isinstance(filtros, TableroFiltroForm) else None
    desde = filtro.desde if filtro else None
    hasta = filtro.hasta if filtro else None
    if desde is None and hasta is None:  # like the production chart: the last 12 months
        hoy = timezone.localdate()
        inicio = hoy.replace(day=1)
        for _i in range(MESES - 1):
            inicio = (inicio - datetime.timedelta(days=1)).replace(day=1)
        desde = inicio
    cliente_id = filtro.cliente_id if filtro else None
    # Whole months of every client: the running totals have the amounts executed.
    ejecutado = None
    if desde is not None and desde.day == 1 and hasta is None and cliente_id is None:
        ejecutado = ejecutado_por_mes(desde)
    meses = montos_por_mes(desde=desde, hasta=hasta, cliente_id=cliente_id, ejecutado=ejecutado)
    for mes in meses:
        mes["etiqueta"] = _mes(mes["mes"])
    grafica = {
        "etiquetas": [m["etiqueta"] for m in meses],
        "series": [
            {"nombre": _("Executed"), "valores": [m["ejecutado_mn"] for m in meses]},
            {"nombre": _("Claimed"), "valores": [m["estimado_mn"] for m in meses]},
            {"nombre": _("Authorised"), "valores": [m["autorizado_mn"] for m in meses]},
        ],
        "formato": "mxn",
        "enlaces": None,
        "horizontal": False,
    }
    return {"visible": True, "meses": meses, "grafica": grafica}
