from __future__ import annotations

import datetime
import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sascop.catalogos.models import Cliente
from sascop.core.pages.filtros import FiltroForm, catalogo
from sascop.core.pages.formularios import Formulario
from sascop.estimaciones.models import Estimacion

MES = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


class EstimacionFiltroForm(FiltroForm):
    """The list's filters: state, the OT's client, a month the period touches."""

    catalogos = ("cliente",)
    directos = ("mes",)

    estatus = forms.MultipleChoiceField(
        label=_("Status"),
        choices=Estimacion.Estatus.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    cliente = catalogo(_("Client"), Cliente.objects.order_by("descripcion"))
    mes = forms.CharField(
        label=_("Month"),
        required=False,
        help_text=_("Periods that touch it."),
        widget=forms.DateInput(attrs={"type": "month"}),
    )

    def clean_mes(self) -> str:
        mes = self.cleaned_data.get("mes", "")
        if mes and not MES.match(mes):
            raise forms.ValidationError(_("Use a month as YYYY-MM."))
        return str(mes)


class EstimacionNuevaForm(Formulario):
    """Draw up an estimación: the period and, if known, the letter it goes with."""

    desde = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    hasta = forms.DateField(label=_("To"), widget=forms.DateInput(attrs={"type": "date"}))
    oficio = forms.CharField(label=_("Letter"), max_length=60, required=False)

    def clean(self) -> dict[str, Any]:
        datos = super().clean() or {}
        desde: datetime.date | None = datos.get("desde")
        hasta: datetime.date | None = datos.get("hasta")
        if desde and hasta and desde > hasta:
            self.add_error("hasta", _("Must not be before the start."))
        return datos


class EstatusForm(Formulario):
    """Move an estimación to its next state (the version it was shown at goes with it)."""

    estatus = forms.ChoiceField(label=_("New status"), choices=Estimacion.Estatus.choices)
    motivo_rechazo = forms.CharField(
        label=_("Reason for rejection"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    version = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, opciones: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        campo = self.fields["estatus"]
        assert isinstance(campo, forms.ChoiceField)
        campo.choices = opciones
