"""The Centro de Consulta's two small forms: save the search shown, and e-mail it."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import pgettext, pgettext_lazy

from sascop.consulta.filtros import DIBUJANTE
from sascop.consulta.services import MAX_DESTINATARIOS
from sascop.core.pages.formularios import Formulario


class GuardarForm(Formulario):
    default_renderer = DIBUJANTE
    accion = forms.CharField(widget=forms.HiddenInput, initial="guardar")
    nombre = forms.CharField(
        label=pgettext_lazy("consulta", "Name of the search"),
        max_length=100,
        help_text=pgettext_lazy(
            "consulta", "Saving under a name you already use replaces that search."
        ),
    )


class CorreoForm(Formulario):
    default_renderer = DIBUJANTE
    accion = forms.CharField(widget=forms.HiddenInput, initial="enviar")
    destinatarios = forms.CharField(
        label=pgettext_lazy("consulta", "Recipients"),
        max_length=2000,
        widget=forms.TextInput(attrs={"autocomplete": "email", "inputmode": "email"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["destinatarios"].help_text = pgettext(
            "consulta", "E-mail addresses separated by commas (at most %(n)d)."
        ) % {"n": MAX_DESTINATARIOS}
