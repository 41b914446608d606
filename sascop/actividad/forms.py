"""The activity page's filters: user, kind of record, record, action and dates, in the query
string (a filtered log can be bookmarked and shared)."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext, pgettext_lazy

from sascop.actividad.models import RegistroActividad
from sascop.actividad.selectors import entidades
from sascop.core.pages.dibujo import Dibujante
from sascop.core.pages.formularios import FechaInput, Formulario


class UsuarioChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        nombre = obj.get_full_name()
        return f"{nombre} ({obj.username})" if nombre else str(obj.username)


class ActividadFiltroForm(Formulario):
    # Drawn on its page: its widgets without a template each (the same HTML).
    default_renderer = Dibujante()

    usuario = UsuarioChoiceField(
        label=_("User"),
        queryset=get_user_model().objects.order_by("username"),
        required=False,
        empty_label=pgettext_lazy("users", "All"),
    )
    entidad = forms.ChoiceField(label=_("Model"), required=False)
    entidad_id = forms.CharField(
        label=_("Record (id)"),
        required=False,
        max_length=40,
        help_text=_("The record's id, e.g. a PTE's."),
    )
    accion = forms.ChoiceField(
        label=_("Action"),
        required=False,
        choices=[("", pgettext_lazy("actions", "All")), *RegistroActividad.Accion.choices],
    )
    desde = forms.DateField(label=_("From"), required=False, widget=FechaInput)
    hasta = forms.DateField(label=_("To"), required=False, widget=FechaInput)

    def iniciar_campos(self) -> None:
        entidad = self.fields["entidad"]
        assert isinstance(entidad, forms.ChoiceField)
        entidad.choices = [("", pgettext("models", "All")), *entidades()]

    def parametros(self) -> QueryDict:
        """The valid filters in the selector's vocabulary (`ActividadFilter`); dates are
        whole days in Mexico City time."""
        self.is_valid()
        datos = self.cleaned_data
        params = QueryDict(mutable=True)
        if datos.get("usuario") is not None:
            params["usuario"] = str(datos["usuario"].pk)
        for nombre in ("entidad", "entidad_id", "accion"):
            if datos.get(nombre):
                params[nombre] = datos[nombre]
        if datos.get("desde"):
            params["desde"] = datetime.datetime.combine(datos["desde"], datetime.time()).isoformat()
        if datos.get("hasta"):
            params["hasta"] = datetime.datetime.combine(
                datos["hasta"], datetime.time.max
            ).isoformat()
        return params

    def activos(self) -> int:
        self.is_valid()
        return sum(1 for valor in self.cleaned_data.values() if valor not in (None, ""))
