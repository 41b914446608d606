"""The sheet's "Agregar concepto": find a price-book concept by its key or text and add it
to the OT's anexo (programmed volume 0) without importing the anexo again, through
`precios.services_conceptos.anexo_agregar_concepto` (a new anexo version, logged).

GET answers the matches (only them to htmx, the whole page otherwise); POST adds one and
goes back to the sheet it came from."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from sascop.accounts.current import current_user
from sascop.accounts.decorators import permission_required_page
from sascop.core.errors import Conflict, InvalidInput
from sascop.core.pages.comunes import errores_de_pagina, fragmento
from sascop.core.pages.vistas import entero_o_nada
from sascop.ots import selectors as ots
from sascop.precios import selectors as precios
from sascop.precios import services_conceptos

PERMISO = "precios.add_anexoot"  # the anexo import's
PLANTILLA = "produccion/agregar_concepto.html"


def _volver(request: HttpRequest, ot_id: int) -> str:
    """The sheet to go back to: the one the form was on, or the OT's current month."""
    volver = request.POST.get("volver") or request.GET.get("volver") or ""
    sabana = reverse("produccion:sabana")
    if volver.startswith(f"{sabana}?") and "//" not in volver and "\\" not in volver:
        return volver
    return f"{sabana}?ot={ot_id}"


@never_cache
@permission_required_page(PERMISO)
@require_http_methods(["GET", "HEAD", "POST"])
@errores_de_pagina
def agregar_concepto(request: HttpRequest) -> HttpResponseBase:
    datos = request.POST if request.method == "POST" else request.GET
    ot_id = entero_o_nada(datos.get("ot"))
    if ot_id is None:
        return redirect("produccion:sabana")
    ot = ots.ot_cabecera(ot_id)
    volver = _volver(request, ot.pk)
    if request.method == "POST":
        return _agregar(request, ot.pk, volver)
    buscar = request.GET.get("buscar", "")
    context = {
        "ot": ot,
        "buscar": buscar,
        "volver": volver,
        "conceptos": precios.conceptos_para_agregar(ot.pk, buscar),
    }
    if fragmento(request, "resultados-concepto"):
        return render(request, f"{PLANTILLA}#resultados", context)
    return render(request, PLANTILLA, context)


def _agregar(request: HttpRequest, ot_id: int, volver: str) -> HttpResponseBase:
    concepto_id = entero_o_nada(request.POST.get("concepto")) or 0
    try:
        resultado = services_conceptos.anexo_agregar_concepto(
            usuario=current_user(request), ot_id=ot_id, concepto_id=concepto_id
        )
    except Conflict as exc:
        messages.info(request, str(exc.detail))
    except InvalidInput as exc:
        mensajes = [str(m) for lista in (exc.fields or {}).values() for m in lista]
        messages.error(request, " ".join(mensajes) or str(exc.detail))
    else:
        linea = resultado.anexo.partidas.select_related("concepto__anexo").order_by("-orden")[0]
        messages.success(
            request,
            gettext(
                "Item %(item)s of anexo %(anexo)s added to the OT's anexo (version %(version)s) "
                "with programmed volume 0."
            )
            % {
                "item": linea.concepto.partida,
                "anexo": linea.concepto.anexo.clave,
                "version": resultado.anexo.version,
            },
        )
    return redirect(volver)
