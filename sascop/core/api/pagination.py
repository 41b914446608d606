"""Page-number pagination in the operations API's own vocabulary (contract B).

`?pagina=N&elementos_por_pagina=M` → `{"<items>": [...], "total", "total_paginas",
"pagina_actual", "elementos_por_pagina", "total_aproximado"}`. Bad numbers are 400s that
say what is wrong; a page past the end is a 404.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

from django.db.models import QuerySet
from django.http.response import HttpResponseBase
from django.utils.translation import gettext
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response

from sascop.core import excel
from sascop.core.db import queries
from sascop.core.errors import InvalidInput, NotFound


class Paginacion(PageNumberPagination):
    """The lists' paging vocabulary, in one place: the parameter names, the default and the
    largest page. `paginate()` applies it and the OpenAPI page parameters are read from it."""

    page_query_param = "pagina"
    page_size_query_param = "elementos_por_pagina"
    page_size = 10
    max_page_size = 100


DEFAULT_PAGE_SIZE = Paginacion.page_size
MAX_PAGE_SIZE = Paginacion.max_page_size


def _positive_int(params: Any, name: str, default: int) -> int:
    raw = params.get(name)
    if raw in (None, ""):
        return default
    try:
        value = int(raw)
    except (TypeError, ValueError):
        raise InvalidInput(
            fields={name: [gettext("Must be a whole number, got %(value)r.") % {"value": raw}]}
        ) from None
    if value < 1:
        raise InvalidInput(fields={name: [gettext("Must be 1 or more.")]})
    return value


def page_params(params: Any) -> tuple[int, int]:
    page = _positive_int(params, Paginacion.page_query_param, 1)
    size = _positive_int(params, Paginacion.page_size_query_param, DEFAULT_PAGE_SIZE)
    if size > MAX_PAGE_SIZE:
        raise InvalidInput(
            fields={
                Paginacion.page_size_query_param: [
                    gettext("At most %(size)d items per page.") % {"size": MAX_PAGE_SIZE}
                ]
            }
        )
    return page, size


PAGE_PARAMS = (Paginacion.page_query_param, Paginacion.page_size_query_param, "orden")

# The API's bounds: an exact count up to LIMITE_CONTEO rows, a page's ids read
# first from the offset DESPLAZAMIENTO_DIFERIDO on (`core.db.queries`, as the pages do).
LIMITE_CONTEO = queries.LIMITE_CONTEO
DESPLAZAMIENTO_DIFERIDO = queries.DESPLAZAMIENTO_DIFERIDO


def paginate(
    queryset: QuerySet[Any] | Sequence[Any], params: Any
) -> tuple[list[Any], dict[str, Any]]:
    """One page of `queryset` and the page metadata.

    A QuerySet is counted exactly up to LIMITE_CONTEO rows; beyond, `total` and
    `total_paginas` come from the planner's estimate and `total_aproximado` is true (a page
    past the estimate is served while it has rows).
    """
    page, size = page_params(params)
    aproximado = False
    if isinstance(queryset, QuerySet):
        count, aproximado = queries.contar(queryset, LIMITE_CONTEO)
    else:
        count = len(queryset)
    pages = max(1, math.ceil(count / size))
    start = (page - 1) * size
    if page > pages and not aproximado:
        raise NotFound(
            gettext("Page %(page)d does not exist; there are %(pages)d pages.")
            % {"page": page, "pages": pages}
        )
    if isinstance(queryset, QuerySet):
        items = queries.leer_pagina(queryset, start, size, DESPLAZAMIENTO_DIFERIDO)
    else:
        items = list(queryset[start : start + size])
    if page > pages:
        if not items:
            raise NotFound(
                gettext("Page %(page)d does not exist; there are about %(pages)d pages.")
                % {"page": page, "pages": pages}
            )
        pages = page
    meta: dict[str, Any] = {
        "total": count,
        "total_paginas": pages,
        "pagina_actual": page,
        "elementos_por_pagina": size,
        "total_aproximado": aproximado,
    }
    return items, meta


def page_or_workbook(
    params: Any,
    rows: QuerySet[Any],
    key: str,
    items: Callable[[list[Any]], Any],
    workbook: Callable[[QuerySet[Any]], HttpResponseBase],
) -> HttpResponseBase:
    """A list's answer: one page, `{key: items(page), **metadata}`; or, with
    `?formato=xlsx`, `workbook(rows)` of every row (the page parameters are checked as for a
    page, though not applied)."""
    if excel.pide_xlsx(params):
        page_params(params)
        return workbook(rows)
    page, meta = paginate(rows, params)
    return Response({key: items(page), **meta})
