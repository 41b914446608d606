from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet

from sascop.actividad.models import RegistroActividad
from sascop.core.filters import DateTimeFilter, IdFilter, filtrar


class ActividadFilter(django_filters.FilterSet):
    usuario = IdFilter(field_name="usuario_id")
    accion = django_filters.MultipleChoiceFilter(choices=RegistroActividad.Accion.choices)
    entidad = django_filters.CharFilter()
    entidad_id = django_filters.CharFilter()
    campo = django_filters.CharFilter()
    desde = DateTimeFilter(field_name="fecha", lookup_expr="gte")
    hasta = DateTimeFilter(field_name="fecha", lookup_expr="lte")

    class Meta:
        model = RegistroActividad
        fields: list[str] = []


def actividad_lista(params: Any) -> QuerySet[RegistroActividad]:
    queryset = filtrar(ActividadFilter, params, RegistroActividad.objects.all())
    return queryset.order_by("-fecha", "-id")
