"""The base of every create-or-edit form of a versioned record: its catalog choices (active
entries, plus the one the record already has), the version it was drawn from, and what the
service takes."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.db.models import QuerySet

from sascop.core.formularios import FechaInput, Formulario, activos_o


class RegistroForm(Formulario):
    """Create (no `registro`) or edit one; on edit `version` carries the ETag the page was
    drawn from, and the form remembers what it showed (only an edit can clash with someone
    else's save).

    `catalogos` names the fields that choose a catalog entry and where they choose from;
    `montos` the amounts left out when empty (the service keeps its default)."""

    catalogos: Mapping[str, QuerySet[Any]] = {}
    montos: tuple[str, ...] = ()

    version = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, registro: Any = None, **kwargs: Any) -> None:
        self.registro = registro
        self.recuerda_lo_mostrado = registro is not None
        super().__init__(*args, **kwargs)

    def iniciar_campos(self) -> None:
        for nombre, queryset in self.catalogos.items():
            campo = self.fields[nombre]
            assert isinstance(campo, forms.ModelChoiceField)
            campo.empty_label = "Elige una opción" if campo.required else "Ninguno"
            actual = getattr(self.registro, f"{nombre}_id", None)
            campo.queryset = activos_o(queryset, actual)

    @classmethod
    def editables(cls) -> list[str]:
        """The fields a person fills in, in order."""
        return [nombre for nombre in cls.base_fields if nombre != "version"]

    @classmethod
    def valores(cls, registro: Any) -> dict[str, Any]:
        """A record's values as the form's initial data."""
        return {
            nombre: getattr(registro, f"{nombre}_id" if nombre in cls.catalogos else nombre)
            for nombre in cls.editables()
        }

    def datos(self) -> dict[str, Any]:
        """What the service takes: every field but the version (and no empty amount)."""
        datos = {k: v for k, v in self.cleaned_data.items() if k != "version"}
        for monto in self.montos:
            if datos.get(monto) is None:
                datos.pop(monto, None)
        return datos


def fecha(etiqueta: str, *, requerida: bool = False, ayuda: str = "") -> forms.DateField:
    """A date, with the browser's date picker."""
    return forms.DateField(label=etiqueta, required=requerida, widget=FechaInput, help_text=ayuda)


def monto(etiqueta: str, digitos: int) -> forms.DecimalField:
    """An amount in pesos or dollars, two decimals, never negative; optional."""
    return forms.DecimalField(
        label=etiqueta,
        max_digits=digitos,
        decimal_places=2,
        min_value=0,
        required=False,
        widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}),
    )


def texto(etiqueta: str, *, filas: int = 3, requerido: bool = False) -> forms.CharField:
    """A free text of several lines (a description, a comment)."""
    return forms.CharField(
        label=etiqueta, required=requerido, widget=forms.Textarea(attrs={"rows": filas})
    )
