"""Price-book reads: the filtered concept list (book order) and one concept."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet

from sascop.core.errors import NotFound
from sascop.core.filters import IdFilter, filtrar
from sascop.precios.libro import normalizar_anexo
from sascop.precios.models import Concepto


class ConceptoFilter(django_filters.FilterSet):
    contrato = django_filters.CharFilter(field_name="anexo__contrato__numero")
    anexo = django_filters.CharFilter(method="filter_anexo")
    tipo = django_filters.ChoiceFilter(choices=Concepto.Tipo.choices)
    estatus = django_filters.MultipleChoiceFilter(choices=Concepto.Estatus.choices)
    buscar = django_filters.CharFilter(method="filter_buscar")
    pte = IdFilter(field_name="pte_id")
    ot = IdFilter(field_name="ot_id")

    class Meta:
        model = Concepto
        fields: list[str] = []

    def filter_anexo(
        self, queryset: QuerySet[Concepto], name: str, value: str
    ) -> QuerySet[Concepto]:
        # Written as users write it: "c-5", "Anexo C-5" and "C-5" are one anexo.
        return queryset.filter(anexo__clave=normalizar_anexo(value))

    def filter_buscar(
        self, queryset: QuerySet[Concepto], name: str, value: str
    ) -> QuerySet[Concepto]:
        return queryset.filter(
            Q(partida__icontains=value.strip().rstrip("."))
            | Q(concepto__icontains=value)
            | Q(seccion__icontains=value)
        )


def _base() -> QuerySet[Concepto]:
    return Concepto.objects.select_related("anexo__contrato", "pte", "ot")


def concepto_lista(params: Any) -> QuerySet[Concepto]:
    """Concepts matching `params`, in book order: contract, anexo, then key."""
    return filtrar(ConceptoFilter, params, _base()).order_by(
        "anexo__contrato__numero", "anexo__clave", "orden", "id"
    )


def concepto_detalle(concepto_id: int) -> Concepto:
    concepto = _base().filter(pk=concepto_id).first()
    if concepto is None:
        raise NotFound(f"Concepto {concepto_id} does not exist.")
    return concepto
