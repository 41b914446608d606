from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass
from typing import Any

import django_filters
from django.apps import apps
from django.db.models import Q, QuerySet
from django.utils import timezone

from sascop.actividad.models import ACCESOS, RegistroActividad
from sascop.core.api.filters import DateTimeFilter, FilterSet, IdFilter, filtrar


class ActividadFilter(FilterSet):
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


def accesos() -> QuerySet[RegistroActividad]:
    """The accesses (logins, failures, logouts…: the login history), newest first."""
    return RegistroActividad.objects.filter(accion__in=ACCESOS).order_by("-fecha", "-id")


@dataclass(frozen=True)
class Cursor:
    """A position in the log (newest first): the row's date and id, as `<iso>~<id>`."""

    fecha: datetime.datetime
    id: int

    def texto(self) -> str:
        return f"{self.fecha.isoformat()}~{self.id}"

    @classmethod
    def leer(cls, texto: str | None) -> Cursor | None:
        """The cursor a link carried; None for one that is not (a hand-edited URL)."""
        if not texto or "~" not in texto:
            return None
        fecha, _, pk = texto.rpartition("~")
        try:
            momento = datetime.datetime.fromisoformat(fecha)
            numero = int(pk)
        except ValueError:
            return None
        if timezone.is_naive(momento):
            return None
        return cls(momento, numero)


@dataclass
class PaginaActividad:
    registros: list[RegistroActividad]
    siguiente: Cursor | None  # older rows follow (the last row's position)
    anterior: Cursor | None  # newer rows precede (the first row's position)


def actividad_pagina(
    params: Any,
    *,
    despues: Cursor | None = None,
    antes: Cursor | None = None,
    tamano: int = 50,
) -> PaginaActividad:
    """One page of the filtered log, newest first, by keyset: the rows older than `despues`
    (or, going back, the ones newer than `antes`). Two cheap index-ordered reads bounded by
    `tamano + 1`; nothing counts the whole log, which grows without end."""
    base = actividad_lista(params).select_related("usuario")
    if antes is not None:
        # `fecha >= x` first: the date index is scanned from x and stops after the page.
        mas_nuevos = Q(fecha__gte=antes.fecha) & (Q(fecha__gt=antes.fecha) | Q(id__gt=antes.id))
        filas = list(base.filter(mas_nuevos).order_by("fecha", "id")[: tamano + 1])
        hay_mas = len(filas) > tamano
        registros = list(reversed(filas[:tamano]))
        return PaginaActividad(
            registros,
            siguiente=_cursor(registros[-1]) if registros else None,
            anterior=_cursor(registros[0]) if hay_mas and registros else None,
        )
    if despues is not None:
        mas_viejos = Q(fecha__lte=despues.fecha) & (
            Q(fecha__lt=despues.fecha) | Q(id__lt=despues.id)
        )
        base = base.filter(mas_viejos)
    filas = list(base[: tamano + 1])
    registros = filas[:tamano]
    return PaginaActividad(
        registros,
        siguiente=_cursor(registros[-1]) if len(filas) > tamano else None,
        anterior=_cursor(registros[0]) if despues is not None and registros else None,
    )


def _cursor(registro: RegistroActividad) -> Cursor:
    return Cursor(registro.fecha, registro.pk)


def entidades() -> list[tuple[str, str]]:
    """The kinds of record the log names (`entidad`), with their Spanish names: every model
    of the project (read from the app registry, not from the log: no query)."""
    modelos = [
        m
        for m in apps.get_models()
        if m.__module__.startswith("sascop.") and m is not RegistroActividad
    ]
    nombres = {m: _mayuscula(str(m._meta.verbose_name)) for m in modelos}
    repetidos = {n for n, veces in Counter(nombres.values()).items() if veces > 1}
    # Two models of one name (the catalog's "paso de OT" and an OT's step) are told apart by
    # their app's name; ties sort by the key, so every process lists them in one order.
    return sorted(
        (
            (
                m._meta.model_name or "",
                f"{n} ({m._meta.app_config.verbose_name})" if n in repetidos else n,
            )
            for m, n in nombres.items()
        ),
        key=lambda par: (par[1].lower(), par[0]),
    )


def _mayuscula(texto: str) -> str:
    return texto[:1].upper() + texto[1:]  # "PTE" stays "PTE" (str.capitalize lowers it)
