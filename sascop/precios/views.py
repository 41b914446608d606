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
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from sascop.accounts.current import current_user
from sascop.accounts.decorators import permission_required_page
from sascop.core.errors import Conflict, PreconditionFailed
from sascop.core.pages.comunes import errores_de_pagina
from sascop.core.pages.vistas import ListaView
from sascop.precios import exports, lote_pue, selectors, services
from sascop.precios.forms import ConceptoFiltroForm
from sascop.precios.tables import ConceptoTable
from sascop.precios.views_pue import PERMISOS_CONVERTIR

LISTA = "precios/lista.html"
IMPORTAR = "precios/importar.html"
PERMISOS_IMPORTAR = ("precios.add_concepto", "precios.change_concepto")


class PreciosLista(ListaView):
    """The anexos, then the concepts with filters (anexo, text, type, status) in the query
    string; `?exportar=xlsx` answers the whole filtered list as a workbook."""

    template_name = LISTA
    permisos_requeridos = ("precios.view_concepto",)
    titulo = _("Price book")
    tabla = ConceptoTable
    # Ticked PUEs authorised at once after one confirmation (`lote_pue`).
    lote = {"autorizar": "precios.autorizar_concepto"}

    def filtros(self) -> ConceptoFiltroForm:
        return ConceptoFiltroForm(self.request.GET, anexos=selectors.anexos_claves())

    def registros(self, filtros: ConceptoFiltroForm) -> QuerySet[Any]:
        return selectors.concepto_lista(filtros.parametros())

    def exportar(self, registros: QuerySet[Any]) -> HttpResponseBase:
        return exports.conceptos_xlsx(registros)

    def argumentos_tabla(self) -> dict[str, Any]:
        puede = self.request.user.has_perm("precios.autorizar_concepto")
        convertir = self.request.user.has_perms(PERMISOS_CONVERTIR)
        return {
            "request": self.request,
            "puede_autorizar": puede,
            "puede_convertir": convertir,
            "puede_editar": self.request.user.has_perm("precios.change_concepto"),
        }

    def acciones(self) -> list[dict[str, str]]:
        acciones = []
        if self.request.user.has_perm("precios.add_concepto"):
            acciones.append(
                {
                    "texto": gettext("New PUE"),
                    "url": reverse("precios:pue-nuevo"),
                    "clase": "boton-secundario",
                }
            )
        if self.request.user.has_perms(PERMISOS_IMPORTAR):
            acciones.append({"texto": "Importar libro", "url": reverse("precios:importar")})
        return acciones

    def contexto_extra(self) -> dict[str, Any]:
        return {"anexos": selectors.anexos_resumen()}

    def acciones_lote(self) -> list[tuple[str, str]]:
        return lote_pue.acciones(self.request)

    def confirmar_lote(
        self, accion: str, registros: list[Any], estatus: int | None
    ) -> HttpResponse:
        return lote_pue.confirmar(self, registros)

    def aplicar_lote(self, accion: str, registros: list[Any], estatus: int | None) -> HttpResponse:
        return lote_pue.aplicar(self, registros)


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
            gettext(
                "The concept changed since you opened the list; it was not authorised. Check "
                "it and authorise it again."
            ),
        )
    except Conflict:
        messages.info(request, gettext("That concept was already authorised."))
    else:
        messages.success(
            request,
            gettext("Concept %(item)s of anexo %(anexo)s authorised.")
            % {"item": concepto.partida, "anexo": concepto.anexo.clave},
        )
    destino = request.POST.get("volver", "")
    if destino.startswith("/precios/") and "//" not in destino and "\\" not in destino:
        return redirect(destino)
    return redirect("precios:lista")
