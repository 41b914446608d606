"""The price-book pages' forms: the concept list's filters (the API's vocabulary) and the
workbook upload. The workbook's rules stay in the service; its per-row refusals are shown
as a table under the form."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.http import QueryDict
from django.utils.translation import gettext, pgettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from sascop.core.pages import filtros
from sascop.core.pages.dibujo import Dibujante
from sascop.core.pages.formularios import Formulario
from sascop.precios.models import Concepto


class ConceptoFiltroForm(Formulario):
    # Drawn on its page: its widgets without a template each (the same HTML).
    default_renderer = Dibujante()

    buscar = filtros.buscar(_("Item, concept or section."))
    anexo = forms.ChoiceField(label=_("Anexo"), required=False)
    tipo = forms.ChoiceField(
        label=_("Type"),
        required=False,
        choices=[("", pgettext_lazy("types", "All")), *Concepto.Tipo.choices],
    )
    estatus = forms.MultipleChoiceField(
        label=_("Status"),
        required=False,
        choices=Concepto.Estatus.choices,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, anexos: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        anexo = self.fields["anexo"]
        assert isinstance(anexo, forms.ChoiceField)
        anexo.choices = [("", pgettext("anexos", "All")), *((a, a) for a in anexos)]

    def parametros(self) -> QueryDict:
        """The valid filters in the selector's vocabulary (`ConceptoFilter`)."""
        self.is_valid()
        datos = self.cleaned_data
        params = QueryDict(mutable=True)
        for nombre in ("buscar", "anexo", "tipo"):
            if datos.get(nombre):
                params[nombre] = datos[nombre]
        if datos.get("estatus"):
            params.setlist("estatus", datos["estatus"])
        return params

    def activos(self) -> int:
        self.is_valid()
        return sum(1 for valor in self.cleaned_data.values() if valor not in (None, "", []))


def campo_libro(etiqueta: Any, ayuda: Any) -> forms.FileField:
    """An .xlsx workbook's upload field (the browser offers .xlsx files only)."""
    return forms.FileField(
        label=etiqueta,
        help_text=ayuda,
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )


class _LibroForm(Formulario):
    """A form whose `archivo` is a workbook, refused beyond the upload limit."""

    def clean_archivo(self) -> Any:
        archivo = self.cleaned_data["archivo"]
        if archivo.size > settings.MAX_UPLOAD_BODY_BYTES:
            megas = settings.MAX_UPLOAD_BODY_BYTES // (1024 * 1024)
            raise forms.ValidationError(gettext("The file exceeds %(n)s MB.") % {"n": megas})
        return archivo


class ImportarForm(_LibroForm):
    archivo = campo_libro(
        _("Price book or PUE list (.xlsx)"),
        _("As the client issues them: a sheet per anexo, or the PUE list. 10 MB at most."),
    )
    contrato = forms.CharField(
        label=_("Contract (number)"),
        required=False,
        max_length=60,
        help_text=_("Only if there are several contracts."),
    )


class RegistroForm(_LibroForm):
    archivo = campo_libro(
        _("Register of OTs (.xlsx)"),
        _("One sheet, one OT per row, with the former system's columns. 10 MB at most."),
    )
