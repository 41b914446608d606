"""The catalog pages' forms: one filter form, and an entry form built for each catalog from
its model (the fields the API edits). Model rules (unique names, active choices) stay in
the service; its refusals come back next to the fields."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from sascop.catalogos.declaraciones import Catalogo, mayuscula, nombre_de
from sascop.core.pages.dibujo import Dibujante
from sascop.core.pages.formularios import (
    CatalogoChoiceField,
    FechaInput,
    Formulario,
    activos_o,
)


class CatalogoFiltroForm(Formulario):
    # Drawn on its page: its widgets without a template each (the same HTML).
    default_renderer = Dibujante()

    buscar = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    activo = forms.ChoiceField(
        label=_("State"),
        required=False,
        choices=[
            ("", pgettext_lazy("entries", "All")),
            ("true", pgettext_lazy("entries", "Active")),
            ("false", pgettext_lazy("entries", "Inactive")),
        ],
    )

    def parametros(self) -> QueryDict:
        """The valid filters in the selector's vocabulary (`CatalogoFilter`)."""
        self.is_valid()
        params = QueryDict(mutable=True)
        for nombre in ("buscar", "activo"):
            if self.cleaned_data.get(nombre):
                params[nombre] = self.cleaned_data[nombre]
        return params

    def activos(self) -> int:
        self.is_valid()
        return sum(1 for valor in self.cleaned_data.values() if valor)


class EntradaForm(forms.ModelForm):
    """Base of every catalog's entry form (see `entrada_form`)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        for nombre, campo in self.fields.items():
            if isinstance(campo, forms.ModelChoiceField) and campo.queryset is not None:
                # New choices only among active entries; an edit keeps the one it has.
                actual = getattr(self.instance, f"{nombre}_id", None) if self.instance.pk else None
                campo.queryset = activos_o(campo.queryset, actual)
                campo.empty_label = gettext("Choose an option")
            campo.label = mayuscula(str(campo.label))

    def _post_clean(self) -> None:
        # The service validates the entry (full_clean, unique names, active choices); the
        # form only reads what was typed, so no rule lives in two places.
        pass

    def datos(self) -> dict[str, Any]:
        """What the service takes."""
        return dict(self.cleaned_data)


def _campo_catalogo(campo: Any, **kwargs: Any) -> forms.Field | None:
    if campo.is_relation:
        field: forms.ModelChoiceField = campo.formfield(form_class=CatalogoChoiceField, **kwargs)
        return field
    if campo.get_internal_type() == "DateField":
        kwargs.setdefault("widget", FechaInput)
    return campo.formfield(**kwargs)


def entrada_form(catalogo: Catalogo) -> type[EntradaForm]:
    """The form for entries of `catalogo`: its editable fields, as the API edits them."""
    form = forms.modelform_factory(
        catalogo.modelo,
        form=EntradaForm,
        fields=list(catalogo.campos),
        formfield_callback=_campo_catalogo,
    )
    return cast(type[EntradaForm], form)


def etiqueta_de(instancia: Any) -> str:
    """How an entry is named on the pages (its description, name or key)."""
    return str(getattr(instancia, nombre_de(type(instancia)), instancia))
