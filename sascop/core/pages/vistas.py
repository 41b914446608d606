"""The generic pages (class-based views): a list, a detail frame, an edit and a delete,
each with one template. A model's pages subclass them and declare only what is theirs."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.decorators import method_decorator
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import SafeString
from django.views import View
from django.views.decorators.cache import never_cache

from sascop.core import errors
from sascop.core.pages import preferencias
from sascop.core.pages.acceso import a_login
from sascop.core.pages.columnas import Columna, elegidas
from sascop.core.paginas import (
    TAMANOS_DE_PAGINA,
    exportar_url,
    fragmento,
    ordenar_tabla,
    paginar_tabla,
    tamano_de_pagina,
)
from sascop.core.templatetags.formato import entero


@method_decorator(never_cache, name="dispatch")
class Pagina(View):
    """A page for logged-in users holding `permisos()`: anonymous browsers go to the login
    page, the others get the 403 page; a service's 404 or 403 becomes Django's own."""

    permisos_requeridos: ClassVar[tuple[str, ...]] = ()

    def permisos(self) -> tuple[str, ...]:
        return self.permisos_requeridos

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return a_login(request)
        try:
            if not request.user.has_perms(self.permisos()):
                raise PermissionDenied
            return super().dispatch(request, *args, **kwargs)
        except errors.NotFound as exc:
            raise Http404(exc.detail) from exc
        except errors.PermissionDenied as exc:
            raise PermissionDenied(exc.detail) from exc


class ListaView(Pagina):
    """A filtered, sorted, paged list (NetBox's `ObjectListView`).

    Filters, order, page and page size live in the query string; htmx swaps just the table
    (`#tabla-<clave>`, the template's `tabla` partial) when they change; `?exportar=xlsx`
    answers the whole filtered list, in its order, as a workbook. The table's columns are
    each user's choice ("Configurar tabla").
    """

    template_name = "paginas/lista.html"
    clave: str  # "ptes": the table's id, its section `tabla-ptes`, the preference's key
    titulo: str
    sustantivos: tuple[str, str]  # the rows counted: ("PTE", "PTEs")
    tabla: type[Any]
    columnas: Sequence[Columna]
    vacio: str = "Ninguna fila coincide con los filtros."
    # Bulk actions offered (see `acciones_lote`); none: no selection column.
    con_seleccion: ClassVar[bool] = False

    # --- What a model declares ---------------------------------------------------------

    def filtros(self) -> Any:
        raise NotImplementedError

    def registros(self, filtros: Any) -> QuerySet[Any]:
        raise NotImplementedError

    def exportar(self, registros: QuerySet[Any]) -> HttpResponseBase:
        raise NotImplementedError

    def preparar(self, table: Any, registros: list[Any]) -> None:
        """Fetch what the page's rows show beyond their own fields (one query a page)."""

    def acciones(self) -> list[dict[str, str]]:
        """The header's buttons: `{"texto", "url", "clase"}`."""
        return []

    def preferencia(self) -> str:
        """Under which key a user's columns for this list are kept."""
        return self.clave

    def argumentos_tabla(self) -> dict[str, Any]:
        return {}

    def extra(self) -> dict[str, Any]:
        return {}

    # --- The page ------------------------------------------------------------------------

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        filtros = self.filtros()
        registros = self.registros(filtros)
        table = self.crear_tabla(registros)
        if request.GET.get("exportar") == "xlsx":
            return self.exportar(ordenar_tabla(table, request))
        self.preparar(table, paginar_tabla(table, request))
        return self.responder(filtros, table)

    def crear_tabla(self, registros: Any, **kwargs: Any) -> Any:
        elegidas_ = preferencias.columnas_de(self.request.user, self.preferencia())
        vistas = elegidas(self.columnas, elegidas_)
        ocultas = [c.nombre for c in self.columnas if c.en_tabla and c.nombre not in vistas]
        if not self.con_seleccion:
            ocultas.append("seleccion")
        return self.tabla(
            registros,
            exclude=ocultas,
            sequence=("seleccion", *vistas, "..."),
            empty_text=self.vacio,
            attrs={
                "id": self.clave,
                "class": "lista-tabla",
                "aria_label": f"Lista de {self.titulo}",
                "thead": {"hx-boost": "true"},
            },
            **{**self.argumentos_tabla(), **kwargs},
        )

    def responder(self, filtros: Any, table: Any, **contexto: Any) -> HttpResponse:
        objetivo = f"tabla-{self.clave}"
        context = {
            "vista": self,
            "filtros": filtros,
            "table": table,
            "objetivo": objetivo,
            "resumen": self.resumen(table),
            "hay_filas": self.hay_filas(table),
            "exportar_url": exportar_url(self.request),
            "tamanos": self.tamanos(table),
            "columnas_elegibles": self.elegibles(table),
            **self.extra(),
            **contexto,
        }
        template = self.template_name
        if fragmento(self.request, objetivo):
            # The fragment is the generic template's, whichever page extends it.
            template = "paginas/lista.html#tabla"
        return render(self.request, template, context)

    def resumen(self, table: Any) -> SafeString:
        """The line above the table: how many rows, which page."""
        cuantos = table.paginator.count
        singular, plural = self.sustantivos
        texto = format_html(
            "<strong>{}</strong> {}", entero(cuantos), singular if cuantos == 1 else plural
        )
        if table.paginator.num_pages > 1:
            texto = format_html(
                "{} · página {} de {}", texto, table.page.number, table.paginator.num_pages
            )
        return texto

    def hay_filas(self, table: Any) -> bool:
        return bool(table.paginator.count)

    def tamanos(self, table: Any) -> list[tuple[int, str, bool]]:
        """The page sizes offered: (size, this list's URL at that size, whether current)."""
        actual = tamano_de_pagina(self.request)
        opciones = []
        for tamano in TAMANOS_DE_PAGINA:
            params = sin_paginas(self.request, "pagina", "exportar", "despues", "antes")
            params["por_pagina"] = str(tamano)
            opciones.append((tamano, f"{self.request.path}?{params.urlencode()}", tamano == actual))
        return opciones

    def elegibles(self, table: Any) -> list[tuple[Columna, bool]]:
        """Every column the list offers, those shown first in their order (the chooser)."""
        vistas = [n for n in table.sequence if n in {c.nombre for c in self.columnas}]
        visibles = [n for n in vistas if n not in table.exclude]
        por_nombre = {c.nombre: c for c in self.columnas if c.en_tabla}
        resto = [c for c in self.columnas if c.en_tabla and c.nombre not in visibles]
        return [(por_nombre[n], True) for n in visibles] + [(c, False) for c in resto]


def sin_paginas(request: HttpRequest, *quitar: str) -> QueryDict:
    """This request's query string without the paging parameters `quitar`."""
    params = request.GET.copy()
    for nombre in quitar:
        params.pop(nombre, None)
    return params


class ColumnasView(Pagina):
    """ "Configurar tabla": keep the columns (and their order) a user chose for a list, or
    forget them (`restablecer`), then go back to the list."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, tabla: str) -> HttpResponseBase:
        columnas: list[str] = []
        if not request.POST.get("restablecer"):
            marcadas = [c for c in request.POST.getlist("columna") if c.isidentifier()][:40]

            def posicion(nombre: str) -> tuple[int, int]:
                try:
                    return int(request.POST.get(f"orden-{nombre}", "")), marcadas.index(nombre)
                except ValueError:
                    return 99, marcadas.index(nombre)

            columnas = sorted(marcadas, key=posicion)
        preferencias.guardar_columnas(usuario=request.user, tabla=tabla, columnas=columnas)
        volver = request.POST.get("volver", "")
        seguro = url_has_allowed_host_and_scheme(
            volver, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
        return redirect(volver if seguro and volver.startswith("/") else "/")
