"""Small query helpers every domain app needs."""

from __future__ import annotations

from typing import Any, TypeVar

from django.db.models import Model, QuerySet

from sascop.core.errors import NotFound

M = TypeVar("M", bound=Model)


def bloquear_o_404(queryset: QuerySet[M], pk: Any, nombre: str) -> M:
    """The row `pk` of `queryset`, locked for the rest of the transaction (SELECT … FOR
    UPDATE), or 404 "<nombre> <pk> does not exist." Call inside `transaction.atomic`."""
    instancia = queryset.select_for_update().filter(pk=pk).first()
    if instancia is None:
        raise NotFound(f"{nombre} {pk} does not exist.")
    return instancia
