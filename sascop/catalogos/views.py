"""The catalog pages (administrators): a landing page naming every catalog, then one
generic list, form and deactivation for each, driven by their declarations (`declaraciones.py`).

They call the same selector and services as `apis.py` and check the same model
permissions: listing and editing need `change_<model>` (what the API asks to edit or
deactivate an entry), adding needs `add_<model>`.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from sascop.accounts.current import current_user
from sascop.accounts.decorators import login_required_page
from sascop.catalogos import exports, selectors, services
from sascop.catalogos.declaraciones import Catalogo, catalogo, catalogos, mayuscula
from sascop.catalogos.forms import CatalogoFiltroForm, entrada_form, etiqueta_de
from sascop.catalogos.tables import tabla_de
from sascop.core.errors import InvalidInput
from sascop.core.pages.comunes import errores_de_pagina
from sascop.core.pages.formularios import mostrar_errores
from sascop.core.pages.vistas import ListaView

INICIO = "catalogos/inicio.html"
LISTA = "catalogos/lista.html"
FORMULARIO = "catalogos/form.html"


def _catalogo(request: HttpRequest, nombre: str, accion: str = "change") -> Catalogo:
    """The catalog named in the URL, if the user may `accion` its entries (else 404/403)."""
    cat = catalogo(nombre)
    if cat is None:
        raise Http404("No such catalog.")
    if not request.user.has_perm(cat.permiso(accion)):
        raise PermissionDenied
    return cat


@never_cache
@login_required_page
def catalogo_inicio(request: HttpRequest) -> HttpResponse:
    """The catalogs this user administers."""
    visibles = [c for c in catalogos().values() if request.user.has_perm(c.permiso("change"))]
    if not visibles:
        raise PermissionDenied
    return render(request, INICIO, {"catalogos": visibles})


class CatalogoLista(ListaView):
    """One catalog's entries, active and inactive, with a text filter; `?exportar=xlsx`
    answers the whole filtered list as a workbook."""

    template_name = LISTA

    def setup(self, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
        super().setup(request, *args, **kwargs)
        self.catalogo = catalogo(kwargs["nombre"])

    def permisos(self) -> tuple[str, ...]:
        if self.catalogo is None:
            raise Http404("No such catalog.")
        self.titulo = self.catalogo.titulo
        self.tabla = tabla_de(self.catalogo.nombre)
        return (self.catalogo.permiso("change"),)

    def preferencia(self) -> str:
        return f"catalogo-{self.kwargs['nombre']}"

    def filtros(self) -> CatalogoFiltroForm:
        return CatalogoFiltroForm(self.request.GET)

    def registros(self, filtros: CatalogoFiltroForm) -> QuerySet[Any]:
        assert self.catalogo is not None
        return selectors.catalogo_lista(self.catalogo.modelo, filtros.parametros())

    def exportar(self, registros: QuerySet[Any]) -> HttpResponseBase:
        assert self.catalogo is not None
        return exports.catalogo_xlsx(self.catalogo, registros)

    def argumentos_tabla(self) -> dict[str, Any]:
        return {"catalogo": self.catalogo, "puede_editar": True, "request": self.request}

    def acciones(self) -> list[dict[str, str]]:
        assert self.catalogo is not None
        if not self.request.user.has_perm(self.catalogo.permiso("add")):
            return []
        return [
            {
                "texto": gettext("Add"),
                "url": reverse("catalogos:nueva", args=[self.catalogo.nombre]),
            }
        ]

    def contexto_extra(self) -> dict[str, Any]:
        return {"catalogo": self.catalogo}


def _pagina_form(
    request: HttpRequest, cat: Catalogo, form: Any, entrada: Any = None, status: int = 200
) -> HttpResponse:
    context = {
        "catalogo": cat,
        "form": form,
        "entrada": entrada,
        "etiqueta": etiqueta_de(entrada) if entrada is not None else "",
    }
    return render(request, FORMULARIO, context, status=status)


@never_cache
@login_required_page
@require_http_methods(["GET", "HEAD", "POST"])
def catalogo_nueva(request: HttpRequest, nombre: str) -> HttpResponse:
    """A new entry of the catalog (active)."""
    cat = _catalogo(request, nombre, "add")
    form_class = entrada_form(cat)
    if request.method != "POST":
        return _pagina_form(request, cat, form_class())
    form = form_class(request.POST)
    if form.is_valid():
        try:
            entrada = services.catalogo_crear(
                usuario=current_user(request), modelo=cat.modelo, datos=form.datos()
            )
        except InvalidInput as exc:
            mostrar_errores(form, exc, cat.modelo)
        else:
            messages.success(
                request,
                gettext("%(catalog)s «%(entry)s» created.")
                % {"catalog": mayuscula(cat.singular), "entry": etiqueta_de(entrada)},
            )
            return redirect("catalogos:lista", nombre=nombre)
    return _pagina_form(request, cat, form, status=400)


def _entrada(cat: Catalogo, pk: int) -> Any:
    entrada = selectors.catalogo_lista(cat.modelo, {}).filter(pk=pk).first()
    if entrada is None:
        raise Http404("No such entry.")
    return entrada


@never_cache
@login_required_page
@require_http_methods(["GET", "HEAD", "POST"])
@errores_de_pagina
def catalogo_editar(request: HttpRequest, nombre: str, pk: int) -> HttpResponse:
    """Edit an entry's fields (the API's PATCH)."""
    cat = _catalogo(request, nombre)
    entrada = _entrada(cat, pk)
    form_class = entrada_form(cat)
    if request.method != "POST":
        return _pagina_form(request, cat, form_class(instance=entrada), entrada)
    form = form_class(request.POST, instance=_entrada(cat, pk))
    if form.is_valid():
        try:
            services.catalogo_actualizar(
                usuario=current_user(request), modelo=cat.modelo, pk=pk, datos=form.datos()
            )
        except InvalidInput as exc:
            mostrar_errores(form, exc, cat.modelo)
        else:
            messages.success(
                request,
                gettext("%(catalog)s «%(entry)s» saved.")
                % {"catalog": mayuscula(cat.singular), "entry": etiqueta_de(entrada)},
            )
            return redirect("catalogos:lista", nombre=nombre)
    return _pagina_form(request, cat, form, entrada, status=400)


@require_POST
@login_required_page
@errores_de_pagina
def catalogo_activo(request: HttpRequest, nombre: str, pk: int) -> HttpResponse:
    """Deactivate an entry (`activo=0`: hidden from new choices, kept on old records), or
    reactivate it (`activo=1`) — the API's DELETE and PATCH `{"activo": true}`."""
    cat = _catalogo(request, nombre)
    activo = request.POST.get("activo") == "1"
    entrada = services.catalogo_actualizar(
        usuario=current_user(request), modelo=cat.modelo, pk=pk, datos={"activo": activo}
    )
    if activo:
        hecho = gettext("%(catalog)s «%(entry)s» reactivated.")
    else:
        hecho = gettext("%(catalog)s «%(entry)s» deactivated.")
    messages.success(
        request, hecho % {"catalog": mayuscula(cat.singular), "entry": etiqueta_de(entrada)}
    )
    destino = request.POST.get("volver", "")
    seguro = "//" not in destino and "\\" not in destino
    if destino.startswith(f"/catalogos/{nombre}/") and seguro:
        return redirect(destino)
    return redirect("catalogos:lista", nombre=nombre)
