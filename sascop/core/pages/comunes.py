"""Small helpers the pages of every app share."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.paginator import EmptyPage, PageNotAnInteger
from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase

from sascop.core import errors

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


def paginar_tabla(table: Any, request: HttpRequest) -> list[Any]:
    """Sort and paginate a django-tables2 table from the query string, then read its page
    in one query and return the rows (so columns may use data fetched for exactly that
    page: one more query, not one per row).

    An unknown sort key is ignored, a page number that is not one shows the first page and
    one past the end the last: a stale bookmark still shows a list.
    """
    ordenar_tabla(table, request)
    pagina = request.GET.get(table.page_field, 1)
    por_pagina = tamano_de_pagina(request, table.per_page_field)
    try:
        table.paginate(page=pagina, per_page=por_pagina)
    except PageNotAnInteger:
        table.paginate(page=1, per_page=por_pagina)
    except EmptyPage:
        table.paginate(page=table.paginator.num_pages, per_page=por_pagina)
    registros = list(table.page.object_list.data)
    table.page.object_list.data = registros
    return registros
