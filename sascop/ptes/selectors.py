"""PTE reads: filtered pages, detail with steps, and workflow progress in constant queries."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import django_filters
from django.db.models import Count, Q, QuerySet

from sascop.catalogos.estatus import PASOS_HECHOS, EstatusPTE
from sascop.core.errors import InvalidInput, NotFound
from sascop.core.filters import IdFilter
from sascop.ptes.models import PTE, PTEDetalle


class PTEFilter(django_filters.FilterSet):
    estatus = django_filters.TypedMultipleChoiceFilter(choices=EstatusPTE.choices, coerce=int)
    cliente = IdFilter(field_name="cliente_id")
    responsable = IdFilter(field_name="responsable_proyecto_id")
    tipo = IdFilter(field_name="tipo_id")
    fecha_desde = django_filters.DateFilter(field_name="fecha_solicitud", lookup_expr="gte")
    fecha_hasta = django_filters.DateFilter(field_name="fecha_solicitud", lookup_expr="lte")
    buscar = django_filters.CharFilter(method="filter_buscar")
    orden = django_filters.OrderingFilter(
        fields=(
            ("fecha_solicitud", "fecha_solicitud"),
            ("oficio_pte", "oficio_pte"),
            ("estatus", "estatus"),
            ("total_homologado", "total_homologado"),
            ("prioridad", "prioridad"),
            ("id", "id"),
        )
    )

    class Meta:
        model = PTE
        fields: list[str] = []

    def filter_buscar(self, queryset: QuerySet[PTE], name: str, value: str) -> QuerySet[PTE]:
        return queryset.filter(
            Q(oficio_pte__icontains=value)
            | Q(oficio_solicitud__icontains=value)
            | Q(descripcion_trabajo__icontains=value)
        )


def _base() -> QuerySet[PTE]:
    return PTE.objects.select_related("responsable_proyecto", "cliente", "tipo")


def pte_lista(params: Any) -> QuerySet[PTE]:
    """Non-deleted PTEs matching `params`, newest `fecha_solicitud` first unless ordered."""
    filterset = PTEFilter(params, queryset=_base())
    if not filterset.is_valid():
        raise InvalidInput(fields={k: list(v) for k, v in filterset.errors.items()})
    queryset = filterset.qs
    if not queryset.query.order_by:
        queryset = queryset.order_by("-fecha_solicitud", "-id")
    else:
        queryset = queryset.order_by(*queryset.query.order_by, "-id")
    return queryset


def progreso_por(detalles: QuerySet[Any], campo: str, ids: Iterable[int]) -> dict[int, float]:
    """Percent of steps done (Completado or No aplica) per parent, in one query.

    `detalles` is a step model's queryset, `campo` the parent's foreign key (PTEs, OTs)."""
    rows = (
        detalles.filter(**{f"{campo}__in": list(ids)})
        .order_by()  # the steps' default ordering would join Paso into the GROUP BY
        .values(campo)
        .annotate(total=Count("id"), hechos=Count("id", filter=Q(estatus__in=PASOS_HECHOS)))
    )
    return {row[campo]: round(100 * row["hechos"] / row["total"], 2) for row in rows}


def progreso_de(pte_ids: Iterable[int]) -> dict[int, float]:
    return progreso_por(PTEDetalle.objects.all(), "pte_id", pte_ids)


def pte_detalle(pte_id: int) -> tuple[PTE, list[PTEDetalle]]:
    pte = _base().filter(pk=pte_id).first()
    if pte is None:
        raise NotFound(f"PTE {pte_id} does not exist.")
    detalles = list(pte.detalles.select_related("paso").order_by("paso__orden", "id"))
    return pte, detalles
