"""The search and its filters as one django-filter FilterSet: the API validates the query
string with it (a value it cannot use is a 400) and the page draws its form from it. The query
string is the whole state of a search, so a link shares it."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import django_filters
from django import forms
from django.http import QueryDict
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from sascop.catalogos.estatus import EstatusOT, EstatusPTE
from sascop.catalogos.models import Cliente, Sitio
from sascop.consulta.selectors import TIPOS, Filtro
from sascop.core.errors import InvalidInput
from sascop.core.pages.dibujo import Dibujante
from sascop.core.pages.formularios import (
    CatalogoChoiceField,
    FechaInput,
    Formulario,
    OpcionesJuntas,
)
from sascop.ptes.models import PTE

# The Consulta's forms draw their widgets in Python (one renderer: it remembers which
# templates are Django's own).
DIBUJANTE = Dibujante()

# A PTE's and an OT's statuses share one list (their codes differ; 9 is Suspendida in both).
ESTATUS = sorted({**dict(EstatusPTE.choices), **dict(EstatusOT.choices)}.items())


class FormularioConsulta(Formulario):
    """The page's form: its two catalogs (clients, sites) drawn from one query, its widgets
    drawn without a template each (the same HTML)."""

    default_renderer = DIBUJANTE

    def iniciar_campos(self) -> None:
        OpcionesJuntas.para(self.fields)


class CatalogoFilter(django_filters.Filter):
    """A catalog entry by its id (a ModelChoiceFilter without the choices the schema reads)."""

    field_class = CatalogoChoiceField


class ConsultaFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=pgettext_lazy("consulta", "Find"),
        max_length=200,
        help_text=_("Words without accents are enough: «compresion» finds «COMPRESIÓN»."),
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    tipo = django_filters.ChoiceFilter(
        label=pgettext_lazy("consulta", "Kind"),
        choices=list(TIPOS.items()),
        empty_label=pgettext_lazy("consulta", "All"),
    )
    cliente = CatalogoFilter(
        label=pgettext_lazy("consulta", "Client"),
        queryset=Cliente.objects.order_by("descripcion"),
        empty_label=pgettext_lazy("consulta", "All"),
    )
    sitio = CatalogoFilter(
        label=pgettext_lazy("consulta", "Site"),
        queryset=Sitio.objects.order_by("descripcion"),
        empty_label=pgettext_lazy("consulta", "All"),
    )
    estatus = django_filters.TypedChoiceFilter(
        label=pgettext_lazy("consulta", "Status"),
        choices=[("", pgettext_lazy("consulta", "All")), *ESTATUS],
        coerce=int,
    )
    desde = django_filters.DateFilter(label=pgettext_lazy("consulta", "From"), widget=FechaInput)
    hasta = django_filters.DateFilter(label=pgettext_lazy("consulta", "To"), widget=FechaInput)

    class Meta:
        form = FormularioConsulta  # labels without a trailing colon, as every page's

    def __init__(self, data: Any = None, **kwargs: Any) -> None:
        # The FilterSet is the search's form: it filters no queryset of its own.
        super().__init__(data, queryset=PTE.objects.none(), **kwargs)


def _sin_vacios(params: QueryDict) -> QueryDict:
    limpio = QueryDict(mutable=True)
    for nombre, valores in params.lists():
        if presentes := [v for v in valores if v != ""]:
            limpio.setlist(nombre, presentes)
    return limpio


def formulario(params: QueryDict) -> ConsultaFilter:
    return ConsultaFilter(_sin_vacios(params))


def filtro(filtros: ConsultaFilter) -> Filtro:
    """The valid search; InvalidInput (a 400) naming each value the filters refuse."""
    if not filtros.is_valid():
        raise InvalidInput(fields={n: list(e) for n, e in filtros.errors.items()})
    datos = filtros.form.cleaned_data
    return Filtro(
        q=(datos.get("q") or "").strip(),
        tipo=datos.get("tipo") or "",
        cliente=datos.get("cliente"),
        sitio=datos.get("sitio"),
        estatus=datos.get("estatus") or None,
        desde=datos.get("desde"),
        hasta=datos.get("hasta"),
    )


# The fields that make a search, in the order a saved search writes them.
CAMPOS = ("q", "tipo", "cliente", "sitio", "estatus", "desde", "hasta")


def parametros_de(texto: str) -> str:
    """The search a query string (or a whole link to the page) holds, written again with its
    own fields only (no page, no export), in a fixed order; InvalidInput naming
    `parametros` when its filters are refused or it has no words to find."""
    consulta = texto.strip().split("?", 1)[-1]
    params = QueryDict(consulta)
    try:
        filtrada = filtro(formulario(params))
    except InvalidInput as exc:
        mensajes = [f"{n}: {m}" for n, lista in (exc.fields or {}).items() for m in lista]
        raise InvalidInput(fields={"parametros": mensajes}) from exc
    if not filtrada.q:
        raise InvalidInput(fields={"parametros": [gettext("A search needs words to find.")]})
    limpio = _sin_vacios(params)
    return urlencode([(n, limpio[n]) for n in CAMPOS if n in limpio])
