"""The OT page's "Reprogramar": a form filled from the OT (its programmed dates, term and
amounts) plus the reason, that creates the family's next re-programming through
`services.ot_reprogramar`, the same service as `POST ots/<id>/reprogramaciones/`.

The new OT copies everything else from the one re-programmed; the reason is kept as its
comment, which a re-programming does not copy.
"""

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
from sascop.core.pages import formularios as campos
from sascop.core.pages.vistas import EditarView
from sascop.ots import selectors, services
from sascop.ots.forms import PlanForm
from sascop.ots.models import OT

PERMISO = "ots.add_ot"  # the API's: a re-programming is a new OT


class ReprogramarForm(PlanForm):
    """What a re-programming changes: the plan (dates, term), the amounts, and why."""

    fecha_inicio_programado = campos.fecha(_("New programmed start"))
    fecha_termino_programado = campos.fecha(_("New programmed end"))
    plazo_dias = forms.IntegerField(label=_("Term (days)"), min_value=1, required=False)
    monto_mxn = campos.monto(_("Amount MXN"), 18)
    monto_usd = campos.monto(_("Amount USD"), 18)
    comentario = campos.texto(_("Reason for the re-programming"), requerido=True)

    def datos(self) -> dict[str, Any]:
        # Every field is sent, empty ones too: the new plan is what the form says.
        return {
            nombre: self.cleaned_data.get(nombre)
            for nombre in self.editables()
            if not (nombre in ("monto_mxn", "monto_usd") and self.cleaned_data.get(nombre) is None)
        }


class OTReprogramar(EditarView):
    """`/ots/<id>/reprogramar/`: the next re-programming of the OT's family, prefilled from
    the OT whose page it was opened from."""

    form_class = ReprogramarForm
    modelo = OT
    anchos = frozenset({"comentario"})
    permisos_requeridos = (PERMISO,)

    def ot(self) -> OT:
        if not hasattr(self, "_ot"):
            self._ot = selectors.ot_cabecera(self.kwargs["ot_id"])
        return self._ot

    def iniciales(self) -> dict[str, Any]:
        ot = self.ot()
        valores = ReprogramarForm.valores(ot)
        valores["comentario"] = ""
        return valores

    def guardar(self, objeto: Any, form: ReprogramarForm) -> OT:
        return services.ot_reprogramar(
            usuario=current_user(self.request), ot_id=self.ot().pk, datos=form.datos()
        )

    def conflicto(self, form: ReprogramarForm) -> int:
        form.add_error(None, gettext("The OT could not be re-programmed: its letter is taken."))
        return 409

    def exito(self, objeto: OT, creado: bool) -> HttpResponseBase:
        messages.success(
            self.request,
            gettext("Re-programming %(num)s of OT %(ot)s created.")
            % {"num": objeto.num_reprogramacion, "ot": objeto.orden_trabajo},
        )
        return redirect("ots:detalle", ot_id=objeto.pk)

    def contexto_extra(self, objeto: Any) -> dict[str, Any]:
        ot = self.ot()
        url = reverse("ots:detalle", args=[ot.pk])
        return {
            "titulo": gettext("Re-program OT %(ot)s") % {"ot": ot},
            "boton": gettext("Create re-programming"),
            "cancelar": url,
            "nota": format_html(
                gettext(
                    'A new OT of the family of <a href="{}">{}</a>, numbered after its last '
                    "re-programming, with everything else copied from it. It starts as "
                    "Asignada."
                ),
                url,
                ot,
            ),
        }
