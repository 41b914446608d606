"""The dashboard's filters, in the query string (a filtered dashboard can be bookmarked)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from sascop.catalogos.models import Cliente
from sascop.core.pages.dibujo import Dibujante
from sascop.core.pages.formularios import CatalogoChoiceField, FechaInput, Formulario
from sascop.estadisticas.selectors import FiltroTablero


class TableroFiltroForm(Formulario):
    # Drawn on its page: its widgets without a template each (the same HTML).
    default_renderer = Dibujante()

    desde = forms.DateField(label=_("From"), required=False, widget=FechaInput)
    hasta = forms.DateField(label=_("To"), required=False, widget=FechaInput)
    cliente = CatalogoChoiceField(
        label=_("Client"),
        queryset=Cliente.objects.order_by("descripcion"),
        required=False,
        empty_label=pgettext_lazy("clients", "All"),
    )

    def clean(self) -> dict[str, Any]:
        datos = super().clean() or {}
        desde, hasta = datos.get("desde"), datos.get("hasta")
        if desde and hasta and desde > hasta:
            self.add_error("hasta", gettext("It must be on or after «From»."))
        return datos

    def filtro(self) -> FiltroTablero:
        """The valid filters (a value that is not one is reported and left out)."""
        self.is_valid()
        datos = self.cleaned_data
        cliente = datos.get("cliente")
        return FiltroTablero(
            desde=datos.get("desde"),
            hasta=datos.get("hasta"),
            cliente_id=cliente.pk if cliente is not None else None,
        )
