"""The price-book pages: the anexos and their concepts (filters, es-MX money, Excel), the
import of the client's workbook with the rows it could not read, and "Autorizar" on an
extraordinary concept (PUE).

Same selectors, services and permissions as `apis.py`: reading needs
`precios.view_concepto`, importing `add_concepto` and `change_concepto`, authorising
`precios.autorizar_concepto`.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from sascop.accounts.current import current_user
from sascop.accounts.decorators import permission_required_page
from sascop.core.errors import Conflict, PreconditionFailed
from sascop.core.paginas import (
    errores_de_pagina,
    exportar_url,
    fragmento,
    ordenar_tabla,
    paginar_tabla,
)
from sascop.precios import exports, selectors, services
from sascop.precios.forms import ConceptoFiltroForm
from sascop.precios.tables import ConceptoTable

LISTA = "precios/lista.html"
IMPORTAR = "precios/importar.html"
PERMISOS_IMPORTAR = ("precios.add_concepto", "precios.change_concepto")


@never_cache
@permission_required_page("precios.view_concepto")
def precios_lista(request: HttpRequest) -> HttpResponseBase:
    """The anexos, then the concepts with filters (anexo, text, type, status) in the query
    string; `?exportar=xlsx` answers the whole filtered list as a workbook."""
    filtros = ConceptoFiltroForm(request.GET, anexos=selectors.anexos_claves())
    table = ConceptoTable(
        selectors.concepto_lista(filtros.parametros()),
        request=request,
        puede_autorizar=request.user.has_perm("precios.autorizar_concepto"),
    )
    if request.GET.get("exportar") == "xlsx":
        return exports.conceptos_xlsx(ordenar_tabla(table, request))
    paginar_tabla(table, request)
    context = {
        "filtros": filtros,
        "table": table,
        "anexos": selectors.anexos_resumen(),
        "puede_importar": request.user.has_perms(PERMISOS_IMPORTAR),
        "exportar_url": exportar_url(request),
    }
    template = f"{LISTA}#tabla" if fragmento(request, "tabla-conceptos") else LISTA
    return render(request, template, context)


@require_POST
@permission_required_page("precios.autorizar_concepto")
@errores_de_pagina
def concepto_autorizar(request: HttpRequest, concepto_id: int) -> HttpResponse:
    """Authorise a PUE with the version the list showed: one changed since is not
    authorised blindly; the list says so."""
    try:
        concepto = services.concepto_autorizar(
            usuario=current_user(request),
            concepto_id=concepto_id,
            # No version is a stale one: the button always sends the one it was drawn with.
            if_match=request.POST.get("version", ""),
        )
    except PreconditionFailed:
        messages.error(
            request,
            "El concepto cambió desde que abriste la lista; no se autorizó. Revísalo y "
            "autoriza de nuevo.",
        )
    except Conflict:
        messages.info(request, "Ese concepto ya estaba autorizado.")
    else:
        messages.success(
            request, f"Concepto {concepto.partida} del anexo {concepto.anexo.clave} autorizado."
        )
    destino = request.POST.get("volver", "")
    if destino.startswith("/precios/") and "//" not in destino and "\\" not in destino:
        return redirect(destino)
    return redirect("precios:lista")
