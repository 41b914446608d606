"""Catalog reads: one filter for every catalog (active or not, free text)."""

from __future__ import annotations

from functools import cache
from typing import Any

import django_filters
from django.db.models import ForeignKey, Model, Q, QuerySet

from sascop.core.api.filters import BooleanFilter, FilterSet, filtrar

# Text fields `buscar` looks in, where a catalog has them.
_TEXTO = ("descripcion", "nombre", "clave")


class CatalogoFilter(FilterSet):
    activo = BooleanFilter()
    buscar = django_filters.CharFilter(method="filtrar_buscar")

    class Meta:
        fields: list[str] = []

    def filtrar_buscar(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        model = queryset.model
        condition = Q()
        for field in _TEXTO:
            if any(f.name == field for f in model._meta.get_fields()):
                condition |= Q(**{f"{field}__icontains": value})
        return queryset.filter(condition)


@cache
def _filter_for(modelo: type[Model]) -> type[CatalogoFilter]:
    meta = type("Meta", (), {"model": modelo, "fields": []})
    return type(f"{modelo.__name__}Filter", (CatalogoFilter,), {"Meta": meta})


def catalogo_lista(modelo: type[Model], params: Any) -> QuerySet[Any]:
    """Entries of one catalog matching `params` (`activo`, `buscar`), in id order, with the
    entries they point to (a client's type) read in the same query."""
    relaciones = [f.name for f in modelo._meta.concrete_fields if isinstance(f, ForeignKey)]
    queryset = modelo._default_manager.select_related(*relaciones)
    return filtrar(_filter_for(modelo), params, queryset).order_by("pk")
