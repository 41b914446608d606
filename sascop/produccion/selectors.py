from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet

from sascop.catalogos.estatus import EstatusCobro
from sascop.core.filters import BooleanFilter, IdFilter, filtrar
from sascop.precios.libro import normalizar_partida
from sascop.produccion.models import Produccion


class ProduccionFilter(django_filters.FilterSet):
    ot = IdFilter(field_name="ot_id")
    partida = IdFilter(field_name="partida_id")
    clave = django_filters.CharFilter(
        method="por_clave", label="Partida key as written (2.1, 2.1., 2.1 are one)."
    )
    sitio = IdFilter(field_name="sitio_id")
    tipo_tiempo = django_filters.ChoiceFilter(choices=Produccion.TipoTiempo.choices)
    estatus_cobro = django_filters.TypedChoiceFilter(choices=EstatusCobro.choices, coerce=int)
    es_excedente = BooleanFilter()
    fecha_desde = django_filters.DateFilter(field_name="fecha_produccion", lookup_expr="gte")
    fecha_hasta = django_filters.DateFilter(field_name="fecha_produccion", lookup_expr="lte")

    class Meta:
        model = Produccion
        fields: list[str] = []

    def por_clave(self, queryset: QuerySet[Produccion], name: str, value: str) -> Any:
        clave = normalizar_partida(value)
        return queryset.filter(partida__clave__in={value.strip(), clave, f"{clave}."})


def produccion_lista(params: Any) -> QuerySet[Produccion]:
    """Production of OTs that are not deleted, newest date first."""
    base = Produccion.objects.filter(ot__eliminado_en__isnull=True).select_related(
        "ot", "partida", "unidad", "sitio"
    )
    return filtrar(ProduccionFilter, params, base).order_by("-fecha_produccion", "-id")


def produccion_por_ids(ids: list[int]) -> list[Produccion]:
    """The rows with these ids that exist, in the order asked."""
    rows = Produccion.objects.select_related("ot", "partida", "unidad", "sitio").in_bulk(ids)
    return [rows[i] for i in ids if i in rows]
