"""Strict query-parameter filters: a value the filter cannot use is a 400, never ignored.

django-filter's NumberFilter takes `0.5` for an id and its BooleanFilter treats `null` or
`maybe` as "no filter": a client's typo would silently widen the list it gets.
"""

from __future__ import annotations

import datetime
import re
from typing import Any, ClassVar, TypeVar

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet
from django.http import QueryDict
from django.utils.translation import gettext
from django_filters.fields import IsoDateTimeField

from sascop.core.errors import InvalidInput


class _IdField(forms.IntegerField):
    """Digits only: Django's IntegerField also takes `1.0` (it drops a decimal point
    followed by zeros), which is not an id."""

    def to_python(self, value: Any) -> int | None:
        if value not in self.empty_values and not re.fullmatch(r"[+-]?\d+", str(value).strip()):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        number: int | None = super().to_python(value)
        return number


class IdFilter(django_filters.NumberFilter):
    """A row id: a whole number, written as one."""

    field_class = _IdField


class _BooleanField(forms.Field):
    widget = forms.TextInput

    def to_python(self, value: Any) -> bool | None:
        if value in self.empty_values:
            return None
        text = str(value).strip().lower()
        if text in {"true", "1"}:
            return True
        if text in {"false", "0"}:
            return False
        raise ValidationError(gettext("Use true or false."), code="invalid")


class BooleanFilter(django_filters.BooleanFilter):
    """`true` or `false` (also `1` or `0`)."""

    field_class = _BooleanField


class _UTCDateTimeField(IsoDateTimeField):
    def to_python(self, value: Any) -> datetime.datetime | None:
        moment: datetime.datetime | None = super().to_python(value)
        if moment is None:
            return None
        # PostgreSQL refuses offsets past ±15:59 (a 500); UTC it always takes. Near the ends
        # of the calendar the conversion itself can overflow.
        try:
            return moment.astimezone(datetime.UTC)
        except OverflowError:
            raise ValidationError(gettext("Date-time out of range."), code="invalid") from None


class DateTimeFilter(django_filters.IsoDateTimeFilter):
    """An ISO 8601 date-time with any offset (a naive one is Mexico City time)."""

    field_class = _UTCDateTimeField


class FilterSet(django_filters.FilterSet):
    """django-filter's FilterSet, whose validation form's class is built once for each
    FilterSet and model instead of for every filtered request (django-filter makes a form
    field of each filter and a class of them each time: about a millisecond for a list's
    dozen filters, twice for a page that counts its rows apart). The form's fields come only
    from the class's declared filters and the model; each form still copies them as Django's
    forms do, and no filter here reads the request."""

    _formularios: ClassVar[dict[tuple[type[Any], type[Model]], type[forms.Form]]] = {}

    def get_form_class(self) -> type[forms.Form]:
        clave = (type(self), self.queryset.model)
        formulario = FilterSet._formularios.get(clave)
        if formulario is None:
            formulario = super().get_form_class()
            FilterSet._formularios[clave] = formulario
        return formulario


F = TypeVar("F", bound=Model)


def filtrar(
    filterset_class: type[django_filters.FilterSet], params: Any, queryset: QuerySet[F]
) -> QuerySet[F]:
    """`queryset` narrowed by the query parameters; any value the filters refuse is a 400
    naming the parameter. An empty value (`?estatus=`) is the same as leaving the parameter
    out, for filters that take several values too."""
    filterset = filterset_class(_sin_vacios(params), queryset=queryset)
    if not filterset.is_valid():
        raise InvalidInput(fields={name: list(errors) for name, errors in filterset.errors.items()})
    result: QuerySet[F] = filterset.qs
    return result


def _sin_vacios(params: Any) -> Any:
    """`params` (a QueryDict) without its empty values; a parameter left with none is gone."""
    if not hasattr(params, "lists") or all(all(v != "" for v in vs) for _, vs in params.lists()):
        return params
    limpio = QueryDict(mutable=True)
    for nombre, valores in params.lists():
        if presentes := [valor for valor in valores if valor != ""]:
            limpio.setlist(nombre, presentes)
    return limpio
