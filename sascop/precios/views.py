"""The price-book pages: the anexos and their concepts (filters, es-MX money, Excel), the
import of the client's workbook with the rows it could not read, and "Autorizar" on an
extraordinary concept (PUE).

Same selectors, services and permissions as `apis.py`: reading needs
`precios.view_concepto`, importing `add_concepto` and `change_concepto`, authorising
`precios.autorizar_concepto`.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from sascop.accounts.current import current_user
from sascop.accounts.decorators import permission_required_page
from sascop.core.errors import Conflict, InvalidInput, PreconditionFailed
from sascop.core.formularios import mostrar_errores
from sascop.core.pages.vistas import ListaView
from sascop.core.paginas import errores_de_pagina
from sascop.precios import exports, selectors, services
from sascop.precios.forms import ConceptoFiltroForm, ImportarForm
from sascop.precios.tables import ConceptoTable

LISTA = "precios/lista.html"
IMPORTAR = "precios/importar.html"
PERMISOS_IMPORTAR = ("precios.add_concepto", "precios.change_concepto")


class PreciosLista(ListaView):
    """The anexos, then the concepts with filters (anexo, text, type, status) in the query
    string; `?exportar=xlsx` answers the whole filtered list as a workbook."""

    template_name = LISTA
    permisos_requeridos = ("precios.view_concepto",)
    titulo = "Catálogo de precios"
    tabla = ConceptoTable

    def filtros(self) -> ConceptoFiltroForm:
        return ConceptoFiltroForm(self.request.GET, anexos=selectors.anexos_claves())

    def registros(self, filtros: ConceptoFiltroForm) -> QuerySet[Any]:
        return selectors.concepto_lista(filtros.parametros())

    def exportar(self, registros: QuerySet[Any]) -> HttpResponseBase:
        return exports.conceptos_xlsx(registros)

    def argumentos_tabla(self) -> dict[str, Any]:
        puede = self.request.user.has_perm("precios.autorizar_concepto")
        return {"request": self.request, "puede_autorizar": puede}

    def acciones(self) -> list[dict[str, str]]:
        if not self.request.user.has_perms(PERMISOS_IMPORTAR):
            return []
        return [{"texto": "Importar libro", "url": reverse("precios:importar")}]

    def contexto_extra(self) -> dict[str, Any]:
        return {"anexos": selectors.anexos_resumen()}


@never_cache
@permission_required_page(*PERMISOS_IMPORTAR)
@require_http_methods(["GET", "HEAD", "POST"])
def precios_importar(request: HttpRequest) -> HttpResponse:
    """Upload the client's workbook. All or nothing: a workbook with rows it cannot read
    stores nothing, and the page lists each such row with its reasons."""
    if request.method != "POST":
        return render(request, IMPORTAR, {"form": ImportarForm()})
    form = ImportarForm(request.POST, request.FILES)
    context: dict[str, Any] = {"form": form}
    if form.is_valid():
        try:
            resultado = services.conceptos_importar(
                usuario=current_user(request),
                archivo=form.cleaned_data["archivo"],
                contrato=form.cleaned_data["contrato"] or None,
            )
        except services.LibroInvalido as exc:
            context.update(error=exc.detail, filas=exc.extra.get("filas", []))
            return render(request, IMPORTAR, context, status=exc.status)
        except InvalidInput as exc:
            mostrar_errores(form, exc)
        else:
            context["resultado"] = resultado
            context["totales"] = {
                n: resultado.total(n) for n in ("creados", "actualizados", "sin_cambios")
            }
            context["form"] = ImportarForm()
            return render(request, IMPORTAR, context)
    return render(request, IMPORTAR, context, status=400)


# Views that take a file get the upload body limit, not the general one (the middleware
# reads this flag, as it does on API views).
precios_importar.accepts_uploads = True  # type: ignore[attr-defined]


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
