"""The activity log page (administrators): filters by user, kind of record, record, action
and dates; pages by keyset ("Más recientes" / "Anteriores"), never counting the whole log.

Same selector and permission as the API (`actividad.view_registroactividad`)."""

from __future__ import annotations

from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from sascop.accounts.decorators import permission_required_page
from sascop.actividad import exports, selectors
from sascop.actividad.forms import ActividadFiltroForm
from sascop.actividad.tables import ActividadTable
from sascop.core.paginas import exportar_url, tamano_de_pagina

LISTA = "actividad/lista.html"
CURSORES = ("despues", "antes")


def _enlace(request: HttpRequest, cursor: selectors.Cursor | None, nombre: str) -> str | None:
    """This list's URL, moved to `cursor` (its filters and page size kept)."""
    if cursor is None:
        return None
    params = request.GET.copy()
    for quitar in (*CURSORES, "exportar"):
        params.pop(quitar, None)
    params[nombre] = cursor.texto()
    return f"{request.path}?{params.urlencode()}"


@never_cache
@permission_required_page("actividad.view_registroactividad")
def actividad_lista(request: HttpRequest) -> HttpResponseBase:
    """The log, newest first. `?exportar=xlsx` answers the whole filtered log as a workbook."""
    filtros = ActividadFiltroForm(request.GET)
    params = filtros.parametros()
    if request.GET.get("exportar") == "xlsx":
        return exports.actividad_xlsx(selectors.actividad_lista(params))
    pagina = selectors.actividad_pagina(
        params,
        despues=selectors.Cursor.leer(request.GET.get("despues")),
        antes=selectors.Cursor.leer(request.GET.get("antes")),
        tamano=tamano_de_pagina(request),
    )
    inicio = request.GET.copy()
    for quitar in (*CURSORES, "exportar"):
        inicio.pop(quitar, None)
    context = {
        "filtros": filtros,
        "table": ActividadTable(pagina.registros),
        "registros": len(pagina.registros),
        "siguiente": _enlace(request, pagina.siguiente, "despues"),
        "anterior": _enlace(request, pagina.anterior, "antes"),
        "primera": f"{request.path}?{inicio.urlencode()}" if pagina.anterior else None,
        "exportar_url": exportar_url(request),
    }
    return render(request, LISTA, context)
