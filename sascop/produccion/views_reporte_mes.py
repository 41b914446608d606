"""The month's daily reports beside the sheet: each day's comment at the sheet's site and
the OT's month close (state and evidence link), shown on the sábana page and edited in
place by reporte_mes.js through `PUT /operaciones/api/ots/<id>/reportes-diarios/`."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext

from sascop.produccion import selectors, services
from sascop.produccion.models import CierreMes
from sascop.produccion.textos import textos_de_guardado


def contexto(request: HttpRequest, *, ot_id: int, anio: int, mes: int, sitio_id: int) -> dict:
    """What the page draws and its script needs: the comments of the sheet's site, the
    month's close, the API address and whether this user may change them."""
    datos = selectors.reportes_diarios(ot_id=ot_id, anio=anio, mes=mes)
    sitio = next((s for s in datos["sitios"] if s["id"] == sitio_id), None)
    comentarios = sitio["comentarios"] if sitio else {}
    editable = services.puede_firmar(request.user)
    return {
        "cierre": datos["cierre_mes"],
        "comentarios": [
            (int(dia), texto)
            for dia, texto in sorted(comentarios.items(), key=lambda par: int(par[0]))
        ],
        "dias": datos["dias"],
        "editable": editable,
        "estados": list(CierreMes.Estatus.values),
        "config": {
            "api": reverse("operaciones:ots-reportes-diarios", args=[ot_id])
            + f"?anio={anio}&mes={mes}",
            "sitio": sitio_id,
            "comentarios": comentarios,
            "textos": _textos(),
        },
    }


def _textos() -> dict[str, Any]:
    return {**textos_de_guardado(), "dia": gettext("Day %(dia)s")}
