"""PUEs drawn up, changed and deactivated from /precios/ (the API draws them up too):
`conceptos/nuevo/` and `conceptos/<id>/editar/` on the generic edit page, with the version
rule; `conceptos/<id>/activo/` deactivates or reactivates a PUE from its row. Same services
and permissions as the API: `precios.add_concepto` to draw one up, `change_concepto` to
change, deactivate or reactivate it."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from sascop.accounts.current import current_user
from sascop.accounts.decorators import permission_required_page
from sascop.core.errors import Conflict, PreconditionFailed
from sascop.core.pages import formularios as campos
from sascop.core.pages.comunes import errores_de_pagina
from sascop.core.pages.formularios import RegistroForm
from sascop.core.pages.vistas import EditarView
from sascop.precios import selectors, services, services_conceptos
from sascop.precios.models import Anexo, Concepto


class PUEForm(RegistroForm):
    montos = ("pu_mn", "pu_usd")

    anexo = forms.ModelChoiceField(
        label=_("Anexo"), queryset=Anexo.objects.order_by("clave"), empty_label=None
    )
    partida = forms.CharField(label=_("Item"), max_length=40)
    concepto = campos.texto(_("Concept"), requerido=True)
    unidad = forms.CharField(label=_("Unit"), max_length=30)
    pu_mn = campos.monto("P.U. M.N.", 18)
    pu_usd = campos.monto("P.U. USD", 18)
    cantidad_referencia = forms.DecimalField(
        label=_("Reference quantity"),
        max_digits=18,
        decimal_places=4,
        min_value=0,
        required=False,
    )
    seccion = forms.CharField(label=_("Section"), max_length=300, required=False)

    @classmethod
    def valores(cls, registro: Any) -> dict[str, Any]:
        return {**super().valores(registro), "anexo": registro.anexo_id}


class PUEEditar(EditarView):
    """Draw up a PUE (it starts «En elaboración») or change one still being drawn up."""

    form_class = PUEForm
    modelo = Concepto
    anchos = frozenset({"concepto"})

    def permisos(self) -> tuple[str, ...]:
        if "concepto_id" in self.kwargs:
            return ("precios.change_concepto",)
        return ("precios.add_concepto",)

    def objeto(self) -> Concepto | None:
        if "concepto_id" not in self.kwargs:
            return None
        return selectors.concepto_detalle(self.kwargs["concepto_id"])

    def guardar(self, objeto: Concepto | None, form: PUEForm) -> Concepto:
        usuario = current_user(self.request)
        if objeto is None:
            return services.concepto_crear(usuario=usuario, datos=form.datos())
        return services_conceptos.concepto_actualizar(
            usuario=usuario,
            concepto_id=objeto.pk,
            datos=form.datos(),
            if_match=form.cleaned_data["version"],
        )

    def conflicto(self, form: PUEForm) -> int:
        actual = self.objeto()
        if actual is not None and (
            actual.tipo != Concepto.Tipo.EXTRAORDINARIA
            or actual.estatus != Concepto.Estatus.EN_ELABORACION
        ):
            form.add_error(None, gettext("This concept is authorised; it can no longer be edited."))
        else:
            form.add_error("partida", gettext("That anexo already has a concept with this key."))
        return 409

    def exito(self, objeto: Concepto, creado: bool) -> HttpResponseBase:
        texto = (
            gettext("PUE %(concept)s drawn up; it awaits authorisation.")
            if creado
            else gettext("PUE %(concept)s saved.")
        )
        messages.success(self.request, texto % {"concept": objeto})
        return redirect(f"{reverse('precios:lista')}?anexo={objeto.anexo.clave}")

    def contexto_extra(self, objeto: Concepto | None) -> dict[str, Any]:
        if objeto is None:
            return {
                "titulo": gettext("New PUE"),
                "boton": gettext("Draw up PUE"),
                "cancelar": reverse("precios:lista"),
                "nota": gettext(
                    "An extraordinary concept starts «En elaboración» until someone allowed "
                    "authorises it."
                ),
            }
        return {
            "titulo": gettext("Edit PUE %(concept)s") % {"concept": objeto},
            "boton": gettext("Save changes"),
            "cancelar": reverse("precios:lista"),
        }


@require_POST
@permission_required_page("precios.change_concepto")
@errores_de_pagina
def pue_activo(request: HttpRequest, concepto_id: int) -> HttpResponseBase:
    """Deactivate (`activo=0`) or reactivate (`activo=1`) a PUE with the version its row
    showed; one changed since is left alone and the list says so."""
    activo = request.POST.get("activo") == "1"
    try:
        concepto = services_conceptos.concepto_cambiar_activo(
            usuario=current_user(request),
            concepto_id=concepto_id,
            activo=activo,
            if_match=request.POST.get("version", ""),
        )
    except PreconditionFailed:
        messages.error(
            request,
            gettext("The concept changed since you opened the list; it was not changed."),
        )
    except Conflict as exc:
        messages.error(request, str(exc.detail))
    else:
        texto = (
            gettext("PUE %(concept)s reactivated.")
            if activo
            else gettext("PUE %(concept)s deactivated: no new anexo will take it.")
        )
        messages.success(request, texto % {"concept": concepto})
    destino = request.POST.get("volver", "")
    if destino.startswith("/precios/") and "//" not in destino and "\\" not in destino:
        return redirect(destino)
    return redirect("precios:lista")
