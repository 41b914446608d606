"""Small helpers the pages of every app share."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.exceptions import FieldError, PermissionDenied
from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase
from django.utils.functional import cached_property

from sascop.core import errors
from sascop.core.db import queries

# Page sizes a list offers; anything else asked for gets the default.
TAMANOS_DE_PAGINA = (10, 25, 50, 100)
TAMANO_DE_PAGINA = 25


def fragmento(request: HttpRequest, objetivo: str) -> bool:
    """Whether htmx asked for one part of the page, the element `objetivo` (not a whole
    page: a history restore asks for all of it)."""
    htmx = getattr(request, "htmx", None)
    if htmx is None or not htmx:
        return False
    return not htmx.history_restore_request and htmx.target == objetivo


def errores_de_pagina(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """A service's 404 or 403 becomes Django's own (the Spanish error pages) instead of an
    unhandled exception."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        try:
            return view(request, *args, **kwargs)
        except errors.NotFound as exc:
            raise Http404(exc.detail) from exc
        except errors.PermissionDenied as exc:
            raise PermissionDenied(exc.detail) from exc

    return wrapper


def tamano_de_pagina(request: HttpRequest, parametro: str = "por_pagina") -> int:
    try:
        tamano = int(request.GET.get(parametro, TAMANO_DE_PAGINA))
    except ValueError:
        return TAMANO_DE_PAGINA
    return tamano if tamano in TAMANOS_DE_PAGINA else TAMANO_DE_PAGINA


def ordenar_tabla(table: Any, request: HttpRequest) -> Any:
    """Sort a django-tables2 table as the query string asks (an unknown key is ignored) and
    return its data, sorted: what an export of the list writes, in the list's order."""
    orden = request.GET.get(table.order_by_field)
    if orden:
        table.order_by = orden
    return table.data.data


def exportar_url(request: HttpRequest, formato: str = "xlsx") -> str:
    """This list's URL with its filters and order, asking for the whole list as a file."""
    params = request.GET.copy()
    for nombre in ("pagina", "por_pagina", "exportar"):
        params.pop(nombre, None)
    params["exportar"] = formato
    return f"{request.path}?{params.urlencode()}"


class Paginador(Paginator):
    """The lists' paginator (django-tables2 pages a table's rows with it).

    Rows read from a QuerySet are counted exactly up to `limite`; beyond, the total is the
    planner's estimate (`aproximado`, and the list says so) and a page past the estimate is
    still served while it has rows. A page from the offset `diferido` on reads its ids before
    its rows (`queries.leer_pagina`): the rows it skips are index entries, never joined.
    """

    limite = queries.LIMITE_CONTEO
    diferido = queries.DESPLAZAMIENTO_DIFERIDO

    def __init__(self, *args: Any, contables: QuerySet[Any] | None = None, **kwargs: Any) -> None:
        """`contables`: the same rows as the table's, cheaper to count (without the joins
        that only add columns); None counts the table's own."""
        super().__init__(*args, **kwargs)
        self.contables = contables

    @cached_property
    def consulta(self) -> QuerySet[Any] | None:
        """The table's QuerySet, sorted (None when the table shows a list)."""
        datos = getattr(self.object_list, "data", None)
        consulta = getattr(datos, "data", None)
        return consulta if isinstance(consulta, QuerySet) else None

    @cached_property
    def conteo(self) -> tuple[int, bool]:
        if self.consulta is None:
            return len(self.object_list), False
        contables = self.consulta if self.contables is None else self.contables
        return queries.contar(contables, self.limite)

    def indice(self) -> QuerySet[Any] | None:
        """`contables` in the table's order, to pick a deep page's ids from, when that order
        is of the rows' own fields (a computed column's needs the table's own query)."""
        orden = self.consulta.query.order_by if self.consulta is not None else ()
        if self.contables is None or not orden:
            return None
        try:
            return self.contables.order_by(*orden)
        except FieldError:  # ordered by a computed column
            return None

    @cached_property
    def count(self) -> int:
        return self.conteo[0]

    @property
    def aproximado(self) -> bool:
        return self.conteo[1]

    def validate_number(self, number: Any) -> int:
        try:
            return super().validate_number(number)
        except EmptyPage:
            if not self.aproximado or int(number) < 1:
                raise
            return int(number)

    def page(self, number: Any) -> Page:
        number = self.validate_number(number)
        if self.consulta is None:
            return super().page(number)
        inicio = (number - 1) * self.per_page
        # The table's rows for this page, holding the records read (not a lazy slice).
        filas: Any = self.object_list[inicio : inicio + self.per_page]
        filas.data = queries.leer_pagina(
            self.consulta, inicio, self.per_page, self.diferido, self.indice()
        )
        if not filas.data and number > 1:
            raise EmptyPage(self.error_messages["no_results"])
        return Page(filas, number, self)


def paginar_tabla(
    table: Any, request: HttpRequest, contables: QuerySet[Any] | None = None
) -> list[Any]:
    """Sort and paginate a django-tables2 table from the query string (`Paginador`, counting
    `contables` if given), then read its page and return the rows (so columns may use data
    fetched for exactly that page: one more query, not one per row).

    An unknown sort key is ignored, a page number that is not one shows the first page and
    one past the end the last: a stale bookmark still shows a list.
    """
    ordenar_tabla(table, request)
    pagina = request.GET.get(table.page_field, 1)
    por_pagina = tamano_de_pagina(request, table.per_page_field)
    try:
        table.paginate(Paginador, page=pagina, per_page=por_pagina, contables=contables)
    except PageNotAnInteger:
        table.paginate(Paginador, page=1, per_page=por_pagina, contables=contables)
    except EmptyPage:
        try:
            table.paginate(
                Paginador,
                page=table.paginator.num_pages,
                per_page=por_pagina,
                contables=contables,
            )
        except EmptyPage:  # an estimate beyond the rows there are
            table.paginate(Paginador, page=1, per_page=por_pagina, contables=contables)
    registros = list(table.page.object_list.data)
    table.page.object_list.data = registros
    return registros
