"""OT reads: filtered pages with progress, detail with steps and re-programmings."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import django_filters
from django.db.models import Q, QuerySet

from sascop.catalogos.estatus import EstatusOT
from sascop.core.errors import NotFound
from sascop.core.filters import BooleanFilter, IdFilter, filtrar
from sascop.flujo.selectors import progreso_por
from sascop.ots.models import OT, OTDetalle


class OTFilter(django_filters.FilterSet):
    estatus = django_filters.TypedMultipleChoiceFilter(choices=EstatusOT.choices, coerce=int)
    cliente = IdFilter(field_name="cliente_id")
    responsable = IdFilter(field_name="responsable_proyecto_id")
    pte = IdFilter(field_name="pte_id")
    frente = IdFilter(field_name="frente_id")
    sitio = IdFilter(field_name="sitio_id")
    fecha_desde = django_filters.DateFilter(field_name="fecha_inicio_programado", lookup_expr="gte")
    fecha_hasta = django_filters.DateFilter(field_name="fecha_inicio_programado", lookup_expr="lte")
    solo_principales = BooleanFilter(field_name="ot_principal", lookup_expr="isnull")
    buscar = django_filters.CharFilter(method="filter_buscar")
    orden = django_filters.OrderingFilter(
        fields=(
            ("fecha_inicio_programado", "fecha_inicio_programado"),
            ("orden_trabajo", "orden_trabajo"),
            ("estatus", "estatus"),
            ("monto_mxn", "monto_mxn"),
            ("id", "id"),
        )
    )

    class Meta:
        model = OT
        fields: list[str] = []

    def filter_buscar(self, queryset: QuerySet[OT], name: str, value: str) -> QuerySet[OT]:
        return queryset.filter(
            Q(orden_trabajo__icontains=value)
            | Q(oficio_ot__icontains=value)
            | Q(descripcion_trabajo__icontains=value)
        )


def _base() -> QuerySet[OT]:
    return OT.objects.select_related("responsable_proyecto", "cliente", "frente", "sitio", "pte")


def ot_lista(params: Any) -> QuerySet[OT]:
    queryset = filtrar(OTFilter, params, _base())
    return queryset.order_by(*queryset.query.order_by, "-id")


def progreso_de(ot_ids: Iterable[int]) -> dict[int, float]:
    return progreso_por(OTDetalle.objects.all(), "ot_id", ot_ids)


def ot_detalle(ot_id: int) -> tuple[OT, list[OTDetalle], list[int], float]:
    """The OT, its steps in order, the ids of its re-programmings, and its progress."""
    ot = _base().filter(pk=ot_id).first()
    if ot is None:
        raise NotFound(f"OT {ot_id} does not exist.")
    detalles = list(ot.detalles.select_related("paso").order_by("paso__orden", "id"))
    reprogramaciones = list(
        OT.objects.filter(ot_principal_id=ot.pk)
        .order_by("num_reprogramacion")
        .values_list("id", flat=True)
    )
    return ot, detalles, reprogramaciones, progreso_de([ot.pk]).get(ot.pk, 0.0)
