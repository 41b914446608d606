"""PTE reads: filtered pages, detail with steps, and workflow progress in constant queries."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext

from sascop.catalogos.estatus import EstatusPTE
from sascop.core.api.filters import FilterSet, IdFilter, filtrar
from sascop.core.db.queries import anios
from sascop.core.errors import NotFound
from sascop.flujo.selectors import progreso_por
from sascop.ptes.models import POR_ENTREGAR, PTE, VENCE, PTEDetalle


class PTEFilter(FilterSet):
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
    queryset = filtrar(PTEFilter, params, _base())
    if not queryset.query.order_by:
        return queryset.order_by("-fecha_solicitud", "-id")
    return queryset.order_by(*queryset.query.order_by, "-id")


def progreso_de(pte_ids: Iterable[int]) -> dict[int, float]:
    return progreso_por(PTEDetalle.objects.all(), "pte_id", pte_ids)


def pte_cabecera(pte_id: int) -> PTE:
    """The PTE alone (with its catalog names), for its edit and delete pages."""
    pte = _base().filter(pk=pte_id).first()
    if pte is None:
        raise NotFound(gettext("PTE %(id)s does not exist.") % {"id": pte_id})
    return pte


def pte_detalle(pte_id: int) -> tuple[PTE, list[PTEDetalle], float]:
    """The PTE, its steps in order, and its progress."""
    pte = pte_cabecera(pte_id)
    detalles = list(pte.detalles.select_related("paso").order_by("paso__orden", "id"))
    return pte, detalles, progreso_de([pte.pk]).get(pte.pk, 0.0)


def anios_de_solicitud() -> list[int]:
    """The years that have PTEs (by `fecha_solicitud`), newest first: the list's year filter
    (from the index `pte_recientes`, not a scan of every PTE)."""
    return anios(PTE, "fecha_solicitud")


def ots_de(pte: PTE) -> list[Any]:
    """The PTE's OTs (not deleted), for its page. Read through the reverse relation: OTs
    belong to a later app, which this one does not import."""
    return list(pte.ots.order_by("orden_trabajo", "num_reprogramacion", "id"))


def ptes_vencidas(hoy: datetime.date, *, cliente_id: int | None = None) -> QuerySet[PTE]:
    """PTEs past their deadline on `hoy`: not delivered (nor cancelled) and `fecha_solicitud
    + plazo_dias` before `hoy`. Each carries its deadline as `vence`; most overdue first."""
    queryset = _base().annotate(vence=VENCE)
    # The same condition as the index `pte_por_vencer`, which serves this query.
    queryset = queryset.filter(POR_ENTREGAR, vence__lt=hoy)
    if cliente_id is not None:
        queryset = queryset.filter(cliente_id=cliente_id)
    return queryset.order_by("vence", "id")
