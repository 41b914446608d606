"""The form of one workflow step, edited in place on its PTE's or OT's page."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sascop.catalogos.estatus import EstatusPaso
from sascop.core.pages import formularios as campos
from sascop.core.pages.formularios import Formulario


class PasoForm(Formulario):
    """One workflow step (of a PTE or an OT); `version` is the ETag it was drawn from."""

    recuerda_lo_mostrado = True

    estatus = forms.TypedChoiceField(label=_("Status"), choices=EstatusPaso.choices, coerce=int)
    fecha_inicio = campos.fecha(_("Start"))
    fecha_termino = campos.fecha(_("End"))
    fecha_entrega = campos.fecha(
        _("Delivery"), ayuda=_("Completado sets today's date if you leave it empty.")
    )
    archivo = forms.URLField(
        label=_("Document (link)"),
        required=False,
        max_length=500,
        assume_scheme="https",
        widget=forms.URLInput(attrs={"placeholder": "https://…"}),
    )
    comentario = campos.texto(_("Comment"), filas=2)
    version = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, prefijo: str = "", **kwargs: Any) -> None:
        # Each step's fields get their own ids (`paso-7-estatus`): several can be open at once.
        kwargs.setdefault("auto_id", f"{prefijo}-%s" if prefijo else "id_%s")
        super().__init__(*args, **kwargs)

    def datos(self) -> dict[str, Any]:
        return {k: v for k, v in self.cleaned_data.items() if k != "version"}


CAMPOS_PASO = [name for name in PasoForm.base_fields if name != "version"]
ANCHOS_PASO = {"archivo", "comentario"}
