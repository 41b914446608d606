"""The GPU board page (`/produccion/gpu/?ot=&anio=&mes=`): the OT's C-2 and C-3
production of a month as a grid of lines by days, each day's GPU state in its colour,
editable from the keyboard (gpu.js saves through the API's PUT)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from sascop.accounts.decorators import permission_required_page
from sascop.core.pages.comunes import errores_de_pagina, exportar_url
from sascop.core.pages.formularios import Formulario
from sascop.produccion import gpu, selectors, services
from sascop.produccion.forms import MESES, OTField
from sascop.produccion.textos import textos_de_guardado

TABLERO = "produccion/gpu.html"


class TableroGPUForm(Formulario):
    """Which board: an OT and a month."""

    ot = OTField(label=_("OT"))
    anio = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    mes = forms.TypedChoiceField(label=_("Month"), choices=MESES, coerce=int)

    def consulta(self) -> dict[str, Any]:
        datos = self.cleaned_data
        return {"ot_id": datos["ot"].pk, "anio": datos["anio"], "mes": datos["mes"]}


def _form(request: HttpRequest) -> TableroGPUForm:
    hoy = timezone.localdate()
    if "ot" not in request.GET:
        return TableroGPUForm(initial={"anio": hoy.year, "mes": hoy.month})
    datos = request.GET.copy()
    datos.setdefault("anio", str(hoy.year))
    datos.setdefault("mes", str(hoy.month))
    return TableroGPUForm(datos)


def _textos() -> dict[str, Any]:
    """What the board's script writes for people, in the page's language."""
    return {
        "etiqueta": gettext("GPU board"),
        "partida": gettext("Partida"),
        "dia": gettext("Day %(dia)s"),
        "estado_dia": gettext("%(linea)s, day %(dia)s: GPU status"),
        "estados": {
            "PENDIENTE": gettext("Pending"),
            "PROCESO": gettext("In progress"),
            "FALTA FIRMA PEMEX": gettext("Awaiting PEMEX signature"),
            "FIRMADO": gettext("Signed off"),
        },
        "sin_produccion": gettext("No production this day."),
        "dia_firmado": gettext("The day's report is signed off (FIRMADO): it cannot change."),
        "sin_firma": gettext("Only those who sign daily reports may set or clear FIRMADO."),
        "evidencia": gettext("Evidence"),
        "nota": gettext("Note"),
        "volumen": gettext("Volume"),
        "ninguna": gettext("Choose a day with production in the grid."),
        **textos_de_guardado(),
        "conflicto": gettext(
            "Someone else saved this board while you were editing. It was read again: "
            "your changes are kept; review them and save again."
        ),
        "enlace_malo": gettext("Enter a link that starts with http:// or https://."),
    }


@never_cache
@permission_required_page("produccion.view_registrogpu")
@require_http_methods(["GET", "HEAD"])
@errores_de_pagina
def tablero_gpu(request: HttpRequest) -> HttpResponseBase:
    """The GPU board of an OT's month; `?exportar=xlsx` answers it as a workbook."""
    form = _form(request)
    valida = form.is_bound and form.is_valid()
    context: dict[str, Any] = {"form": form}
    if not valida:
        return render(request, TABLERO, context, status=400 if form.is_bound else 200)
    consulta = form.consulta()
    datos = gpu.tablero(**consulta)
    if request.GET.get("exportar") == "xlsx":
        return gpu.tablero_xlsx(datos)
    ot = form.cleaned_data["ot"]
    usuario = request.user
    editable = usuario.has_perms(["produccion.add_registrogpu", "produccion.change_registrogpu"])
    api = reverse("operaciones:ots-gpu", args=[ot.pk])
    context.update(
        {
            "datos": datos,
            "ot": ot,
            "ot_url": reverse("ots:detalle", kwargs={"ot_id": ot.pk}),
            "sabana_url": reverse("produccion:sabana")
            + f"?ot={ot.pk}&anio={consulta['anio']}&mes={consulta['mes']}",
            "exportar_url": exportar_url(request),
            "estados": gpu.ESTADOS,
            "editable": editable,
            "tablero": {
                "datos": datos,
                "version": selectors.etiqueta(datos),
                "api": f"{api}?anio={consulta['anio']}&mes={consulta['mes']}",
                "editable": editable,
                "firma": editable and services.puede_firmar(usuario),
                "estados": gpu.ESTADOS,
            },
            "textos_tablero": _textos(),
        }
    )
    return render(request, TABLERO, context)
