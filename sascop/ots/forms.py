"""The OT pages' forms. They read and check what a person typed; the rules of the domain
(one OT per PTE, oficio per family, active catalog entries, versions) stay in the services,
whose refusals these forms show next to the fields."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from sascop.catalogos.estatus import EstatusOT
from sascop.catalogos.models import Cliente, Frente, ResponsableProyecto, Sitio
from sascop.core.pages import filtros
from sascop.core.pages import formularios as campos
from sascop.core.pages.filtros import FiltroForm
from sascop.core.pages.formularios import CatalogoChoiceField, RegistroForm
from sascop.ots import selectors
from sascop.ots.models import LUGARES
from sascop.ptes.models import PTE

# One place of each kind: a vessel, a platform, an intercom, a yard.
_ETIQUETAS_LUGAR = {
    "embarcacion": _("Vessel"),
    "plataforma": _("Platform"),
    "intercom": _("Intercom"),
    "patio": _("Yard"),
}


def _lugares(tipo: str) -> Any:
    return Sitio.objects.filter(tipo=tipo).order_by("descripcion")


class OTFiltroForm(FiltroForm):
    """The list's filters, in the query string with the API's names (`estatus`, `cliente`,
    `responsable`, `frente`, `sitio`, `pte`, `buscar`, `solo_principales`), so the
    dashboard's counts link here."""

    catalogos = ("cliente", "responsable", "frente", "sitio", *LUGARES)
    directos = ("pte", "solo_principales", "atrasadas", "fecha_desde", "fecha_hasta")

    buscar = filtros.buscar(_("Order, letter or description."))
    estatus = filtros.estatus(EstatusOT.choices)
    cliente = filtros.catalogo(_("Client"), Cliente.objects.order_by("descripcion"))
    responsable = filtros.catalogo(_("Lead"), ResponsableProyecto.objects.order_by("nombre"))
    frente = filtros.catalogo(_("Front"), Frente.objects.order_by("descripcion"))
    sitio = filtros.catalogo(_("Site"), Sitio.objects.order_by("descripcion"))
    embarcacion = filtros.catalogo(_ETIQUETAS_LUGAR["embarcacion"], _lugares("embarcacion"))
    plataforma = filtros.catalogo(_ETIQUETAS_LUGAR["plataforma"], _lugares("plataforma"))
    intercom = filtros.catalogo(_ETIQUETAS_LUGAR["intercom"], _lugares("intercom"))
    patio = filtros.catalogo(_ETIQUETAS_LUGAR["patio"], _lugares("patio"))
    atrasadas = forms.ChoiceField(
        label=_("Schedule"),
        choices=[("", filtros.TODOS), ("true", _("Late only")), ("false", _("Not late"))],
        required=False,
        help_text=_("Late: past the programmed end and neither Terminada nor Cancelada."),
    )
    anio = filtros.anio(_("Year of programmed start"))
    # The dashboard's date range (programmed start), kept when one of its counts opens here.
    fecha_desde = campos.fecha(_("Programmed start from"))
    fecha_hasta = campos.fecha(_("Programmed start to"))
    pte = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    solo_principales = forms.ChoiceField(
        label=_("Re-programmings"),
        choices=[("", _("Included")), ("true", _("Principal OTs only"))],
        required=False,
    )


class PlanForm(RegistroForm):
    """A form with an OT's programmed start and end (`fecha_inicio_programado`,
    `fecha_termino_programado`): the end may not come before the start."""

    def clean(self) -> dict[str, Any]:
        datos = super().clean() or {}
        inicio = datos.get("fecha_inicio_programado")
        termino = datos.get("fecha_termino_programado")
        if inicio and termino and termino < inicio:
            self.add_error(
                "fecha_termino_programado",
                gettext("It cannot be earlier than the programmed start."),
            )
        return datos


class OTForm(PlanForm):
    """Create or edit an OT. Created from a PTE, the service fills what is left empty from
    it."""

    catalogos = {
        "cliente": Cliente.objects.order_by("descripcion"),
        "responsable_proyecto": ResponsableProyecto.objects.order_by("nombre"),
        "frente": Frente.objects.order_by("descripcion"),
        "sitio": Sitio.objects.order_by("descripcion"),
        **{lugar: _lugares(lugar) for lugar in LUGARES},
    }
    montos = ("monto_mxn", "monto_usd")

    orden_trabajo = forms.CharField(label=_("Work order"), max_length=60)
    oficio_ot = forms.CharField(label=_("OT letter"), max_length=60, required=False)
    descripcion_trabajo = campos.texto(_("Work description"), requerido=True)
    cliente = CatalogoChoiceField(label=_("Client"), queryset=Cliente.objects.none())
    responsable_proyecto = CatalogoChoiceField(
        label=_("Project lead"), queryset=ResponsableProyecto.objects.none()
    )
    responsable_cliente = forms.CharField(label=_("Client's lead"), max_length=150, required=False)
    frente = CatalogoChoiceField(label=_("Front"), queryset=Frente.objects.none(), required=False)
    sitio = CatalogoChoiceField(
        label=_("Site"),
        queryset=Sitio.objects.none(),
        required=False,
        help_text=_("With a site and no front, the site's front is taken."),
    )
    embarcacion = CatalogoChoiceField(
        label=_ETIQUETAS_LUGAR["embarcacion"], queryset=Sitio.objects.none(), required=False
    )
    plataforma = CatalogoChoiceField(
        label=_ETIQUETAS_LUGAR["plataforma"], queryset=Sitio.objects.none(), required=False
    )
    intercom = CatalogoChoiceField(
        label=_ETIQUETAS_LUGAR["intercom"], queryset=Sitio.objects.none(), required=False
    )
    patio = CatalogoChoiceField(
        label=_ETIQUETAS_LUGAR["patio"], queryset=Sitio.objects.none(), required=False
    )
    estatus = forms.TypedChoiceField(
        label=_("Status"), choices=EstatusOT.choices, coerce=int, initial=EstatusOT.ASIGNADA
    )
    fecha_inicio_programado = campos.fecha(_("Programmed start"))
    fecha_termino_programado = campos.fecha(_("Programmed end"))
    fecha_inicio_real = campos.fecha(_("Actual start"))
    fecha_termino_real = campos.fecha(
        _("Actual end"),
        ayuda=_("If left empty, today's date is set when the status changes to Terminada."),
    )
    plazo_dias = forms.IntegerField(label=_("Term (days)"), min_value=1, required=False)
    monto_mxn = campos.monto(_("Amount MXN"), 18)
    monto_usd = campos.monto(_("Amount USD"), 18)
    comentario = campos.texto(_("Comment"))


def valores_de_pte(pte: PTE) -> dict[str, Any]:
    """A new OT's form prefilled with what the service takes from the PTE it follows."""
    return {
        nombre: getattr(valor, "pk", valor)
        for nombre, valor in selectors.valores_desde_pte(pte).items()
    }
