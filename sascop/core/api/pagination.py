"""Page-number pagination in the operations API's own vocabulary (contract B).

`?pagina=N&elementos_por_pagina=M` → `{"<items>": [...], "total", "total_paginas",
"pagina_actual", "elementos_por_pagina", "total_aproximado"}`. Bad numbers are 400s that
say what is wrong; a page past the end is a 404.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from typing import Any

from django.db import connections
from django.db.models import QuerySet
from django.utils.translation import gettext
from rest_framework.pagination import PageNumberPagination

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


# Counting stops here: beyond it the total is the planner's estimate (`total_aproximado`).
# Counting 10k index entries costs about a millisecond; counting 1M rows, a hundred.
LIMITE_CONTEO = 10_000
# From this offset on, a page first picks its ids (an index scan) and then loads those rows
# with their joins, instead of joining every row it skips.
DESPLAZAMIENTO_DIFERIDO = 1_000


def _estimado(queryset: QuerySet[Any]) -> int:
    """The planner's row estimate for `queryset` (PostgreSQL); 0 where there is none."""
    if connections[queryset.db].vendor != "postgresql":
        return 0
    plan = json.loads(queryset.order_by().explain(format="json"))
    return int(plan[0]["Plan"]["Plan Rows"])


def contar(queryset: QuerySet[Any]) -> tuple[int, bool]:
    """(total, approximate): exact up to LIMITE_CONTEO rows, else the planner's estimate —
    a list that grows without bound (the activity log) never counts all its rows."""
    hasta = queryset.order_by()[: LIMITE_CONTEO + 1].count()
    if hasta <= LIMITE_CONTEO:
        return hasta, False
    return max(hasta, _estimado(queryset)), True


def _pagina(queryset: QuerySet[Any], start: int, size: int) -> list[Any]:
    if start < DESPLAZAMIENTO_DIFERIDO:
        return list(queryset[start : start + size])
    ids = list(queryset.values_list("pk", flat=True)[start : start + size])
    filas = {fila.pk: fila for fila in queryset.filter(pk__in=ids)}
    return [filas[pk] for pk in ids if pk in filas]


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
        count, aproximado = contar(queryset)
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
        items = _pagina(queryset, start, size)
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
