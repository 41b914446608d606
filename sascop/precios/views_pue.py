"""`/precios/conceptos/<id>/convertir/`: an authorised PUE made an ordinary concept of the
book (a new anexo and key; prices, text and unit kept) through
`services_conceptos.concepto_convertir`, with the version the page was drawn from."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from sascop.accounts.current import current_user
from sascop.core.pages.formularios import RegistroForm
from sascop.core.pages.vistas import EditarView
from sascop.core.templatetags.formato import dinero
from sascop.precios import selectors, services_conceptos
from sascop.precios.models import ANEXO_SIN_CLAVE, Concepto

# Moving a concept in the book and authorising what it becomes.
PERMISOS_CONVERTIR = ("precios.change_concepto", "precios.autorizar_concepto")


class ConvertirForm(RegistroForm):
    anexo = forms.CharField(
        label=_("Ordinary anexo"),
        max_length=20,
        help_text=_("One of the contract's anexos (C-5, C-6…), or a new one."),
        widget=forms.TextInput(attrs={"list": "anexos-contrato", "autocomplete": "off"}),
    )
    partida = forms.CharField(label=_("New item key"), max_length=40)

    @classmethod
    def valores(cls, registro: Any) -> dict[str, Any]:
        return {"anexo": "", "partida": ""}


class ConceptoConvertir(EditarView):
    form_class = ConvertirForm
    modelo = Concepto
    permisos_requeridos = PERMISOS_CONVERTIR
    template_name = "precios/convertir.html"

    def objeto(self) -> Concepto:
        return selectors.concepto_detalle(self.kwargs["concepto_id"])

    def guardar(self, objeto: Concepto, form: ConvertirForm) -> Concepto:
        return services_conceptos.concepto_convertir(
            usuario=current_user(self.request),
            concepto_id=objeto.pk,
            anexo=form.cleaned_data["anexo"],
            partida=form.cleaned_data["partida"],
            if_match=form.cleaned_data["version"],
        )

    def conflicto(self, form: ConvertirForm) -> int:
        concepto = self.objeto()
        if concepto.tipo != Concepto.Tipo.EXTRAORDINARIA:
            form.add_error(None, gettext("This concept is already ordinary."))
        elif concepto.estatus != Concepto.Estatus.AUTORIZADO:
            form.add_error(None, gettext("Authorise this PUE before converting it."))
        else:
            form.add_error("partida", gettext("That anexo already has a concept with this key."))
        return 409

    def exito(self, objeto: Concepto, creado: bool) -> HttpResponseBase:
        messages.success(
            self.request,
            gettext("The PUE is now concept %(item)s of anexo %(anexo)s.")
            % {"item": objeto.partida, "anexo": objeto.anexo.clave},
        )
        return redirect(f"{reverse('precios:lista')}?anexo={objeto.anexo.clave}")

    def contexto_extra(self, objeto: Concepto) -> dict[str, Any]:
        return {
            "titulo": gettext("Convert PUE %(concept)s into an ordinary concept")
            % {"concept": objeto},
            "boton": gettext("Convert"),
            "cancelar": reverse("precios:lista"),
            "concepto": objeto,
            "anexos": [a for a in selectors.anexos_claves() if a != ANEXO_SIN_CLAVE],
            "nota": format_html(
                "{} <strong>{}</strong> · {} · {} · {}",
                gettext("Its text, unit and prices are kept:"),
                objeto.concepto[:200],
                objeto.unidad,
                dinero(objeto.pu_mn),
                dinero(objeto.pu_usd, "USD"),
            ),
        }
