"""Page-number pagination in the operations API's own vocabulary (contract B).

`?pagina=N&elementos_por_pagina=M` → `{"<items>": [...], "total", "total_paginas",
"pagina_actual", "elementos_por_pagina"}`. Bad numbers are 400s that say what is wrong; a page
past the end is a 404.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from django.db.models import Model, QuerySet
from rest_framework.pagination import PageNumberPagination

from sascop.core.datacache import cached, params_digest
from sascop.core.errors import InvalidInput, NotFound


class Paginacion(PageNumberPagination):
    """The lists' paging vocabulary, in one place: the parameter names, the default and the
    largest page. `paginate()` applies it (with the cached count) and the OpenAPI page
    parameters are read from it."""

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
        raise InvalidInput(fields={name: [f"Must be a whole number, got {raw!r}."]}) from None
    if value < 1:
        raise InvalidInput(fields={name: ["Must be 1 or more."]})
    return value


def page_params(params: Any) -> tuple[int, int]:
    page = _positive_int(params, Paginacion.page_query_param, 1)
    size = _positive_int(params, Paginacion.page_size_query_param, DEFAULT_PAGE_SIZE)
    if size > MAX_PAGE_SIZE:
        raise InvalidInput(
            fields={Paginacion.page_size_query_param: [f"At most {MAX_PAGE_SIZE} items per page."]}
        )
    return page, size


PAGE_PARAMS = (Paginacion.page_query_param, Paginacion.page_size_query_param, "orden")


def paginate(
    queryset: QuerySet[Any] | Sequence[Any],
    params: Any,
    *,
    counted_as: str | None = None,
    depends_on: Sequence[type[Model]] = (),
) -> tuple[list[Any], dict[str, int]]:
    """One page of `queryset` and the page metadata.

    With `counted_as` (a name for this kind of list), the total is cached until one of
    `depends_on` changes (core.datacache): counting 100k rows costs more than the page.
    """
    page, size = page_params(params)
    if not isinstance(queryset, QuerySet):
        count = len(queryset)
    elif counted_as is None:
        count = queryset.count()
    else:
        digest = params_digest(params, ignore=PAGE_PARAMS)
        count = cached(f"count:{counted_as}:{digest}", depends_on, queryset.count)
    pages = max(1, math.ceil(count / size))
    if page > pages:
        raise NotFound(f"Page {page} does not exist; there are {pages} pages.")
    start = (page - 1) * size
    items = list(queryset[start : start + size])
    meta = {
        "total": count,
        "total_paginas": pages,
        "pagina_actual": page,
        "elementos_por_pagina": size,
    }
    return items, meta
