"""What every list's filter form shares: every field optional, in the query string so a
filtered list can be bookmarked; a value that is not one (an unknown client) is reported
next to its field and left out of the filter, the rest still apply. The form hands the
selector its valid filters in the API's vocabulary (`parametros`)."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django import forms
from django.db.models import QuerySet
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from sascop.core.pages.dibujo import Dibujante
from sascop.core.pages.formularios import CatalogoChoiceField, Formulario, OpcionesJuntas

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

TODOS = pgettext_lazy("filter, any value", "All")


def buscar(ayuda: StrOrPromise) -> forms.CharField:
    """The list's text search."""
    return forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        help_text=ayuda,
        widget=forms.TextInput(attrs={"type": "search"}),
    )


def estatus(opciones: Sequence[tuple[int, str]]) -> forms.TypedMultipleChoiceField:
    """Any of the statuses, as checkboxes."""
    return forms.TypedMultipleChoiceField(
        label=_("Status"),
        choices=opciones,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


def catalogo(etiqueta: StrOrPromise, queryset: QuerySet[Any]) -> CatalogoChoiceField:
    """One catalog entry (all of them by default)."""
    return CatalogoChoiceField(label=etiqueta, queryset=queryset, required=False)


def anio(etiqueta: StrOrPromise) -> forms.TypedChoiceField:
    """A year (its choices, the years that have rows, come from the view)."""
    return forms.TypedChoiceField(label=etiqueta, coerce=int, required=False)


class FiltroForm(Formulario):
    """Base of the lists' filter forms: declare the fields, name those that are catalog
    entries (`catalogos`: sent as their id) and those passed as they are (`directos`); a
    field `anio` becomes `fecha_desde`/`fecha_hasta` for that year."""

    catalogos: tuple[str, ...] = ()
    directos: tuple[str, ...] = ()
    # Drawn on every list page: its widgets without a template each (the same HTML).
    default_renderer = Dibujante()

    def __init__(self, *args: Any, anios: Sequence[int] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "anio" in self.fields:
            campo = self.fields["anio"]
            assert isinstance(campo, forms.ChoiceField)
            campo.choices = [("", TODOS), *((a, str(a)) for a in anios)]
        for nombre in self.catalogos:
            campo = self.fields[nombre]
            assert isinstance(campo, forms.ModelChoiceField)
            campo.empty_label = TODOS
        # Their catalogs' querysets are the declared ones (a filter offers every entry).
        OpcionesJuntas.para(self.fields, declarados=type(self))

    def parametros(self) -> QueryDict:
        """The valid filters in the selector's vocabulary."""
        self.is_valid()
        datos = self.cleaned_data
        params = QueryDict(mutable=True)
        if datos.get("buscar"):
            params["buscar"] = datos["buscar"]
        if datos.get("estatus"):
            params.setlist("estatus", [str(e) for e in datos["estatus"]])
        for nombre in self.catalogos:
            if datos.get(nombre) is not None:
                params[nombre] = str(datos[nombre].pk)
        for nombre in self.directos:
            if datos.get(nombre):
                params[nombre] = str(datos[nombre])
        if datos.get("anio"):
            params["fecha_desde"] = datetime.date(datos["anio"], 1, 1).isoformat()
            params["fecha_hasta"] = datetime.date(datos["anio"], 12, 31).isoformat()
        return params

    def activos(self) -> int:
        """How many filters are in force (shown beside the filters' heading)."""
        self.is_valid()
        return sum(1 for valor in self.cleaned_data.values() if valor not in (None, "", [], False))
