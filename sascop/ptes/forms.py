"""The PTE pages' forms. They read and check what a person typed; the rules of the domain
(active catalog entries, delivery dates, versions) stay in the services, whose refusals
these forms show next to the fields."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from sascop.catalogos.estatus import EstatusPTE
from sascop.catalogos.models import Cliente, ResponsableProyecto, Tipo
from sascop.core.pages import filtros
from sascop.core.pages import formularios as campos
from sascop.core.pages.filtros import FiltroForm
from sascop.core.pages.formularios import CatalogoChoiceField, RegistroForm
from sascop.ptes.models import PTE


class PTEFiltroForm(FiltroForm):
    """The list's filters (the API's names), in the query string."""

    catalogos = ("cliente", "responsable", "tipo")
    directos = ("fecha_desde", "fecha_hasta")

    buscar = filtros.buscar(_("Letter, request letter or description."))
    estatus = filtros.estatus(EstatusPTE.choices)
    cliente = filtros.catalogo(_("Client"), Cliente.objects.order_by("descripcion"))
    responsable = filtros.catalogo(_("Lead"), ResponsableProyecto.objects.order_by("nombre"))
    tipo = filtros.catalogo(
        _("Type"), Tipo.objects.filter(aplica_a=Tipo.AplicaA.PTE).order_by("descripcion")
    )
    anio = filtros.anio(_("Request year"))
    # The dashboard's date range (request date), kept when one of its counts opens here.
    fecha_desde = campos.fecha(_("Requested from"))
    fecha_hasta = campos.fecha(_("Requested until"))


class PTEForm(RegistroForm):
    """Create or edit a PTE."""

    catalogos = {
        "cliente": Cliente.objects.order_by("descripcion"),
        "tipo": Tipo.objects.filter(aplica_a=Tipo.AplicaA.PTE).order_by("descripcion"),
        "responsable_proyecto": ResponsableProyecto.objects.order_by("nombre"),
    }
    montos = ("total_homologado",)

    oficio_pte = forms.CharField(label=_("PTE letter"), max_length=60)
    oficio_solicitud = forms.CharField(label=_("Request letter"), max_length=60, required=False)
    descripcion_trabajo = campos.texto(_("Work description"), requerido=True)
    cliente = CatalogoChoiceField(label=_("Client"), queryset=Cliente.objects.none())
    tipo = CatalogoChoiceField(label=_("Type"), queryset=Tipo.objects.none())
    responsable_proyecto = CatalogoChoiceField(
        label=_("Project lead"), queryset=ResponsableProyecto.objects.none()
    )
    fecha_solicitud = campos.fecha(_("Request date"), requerida=True)
    plazo_dias = forms.IntegerField(label=_("Term (days)"), min_value=1)
    fecha_entrega = campos.fecha(
        _("Delivery date"),
        ayuda=_("If left empty, today's date is set when the status changes to Entregada."),
    )
    prioridad = forms.TypedChoiceField(
        label=_("Priority"), choices=PTE.Prioridad.choices, coerce=int, initial=PTE.Prioridad.MEDIA
    )
    estatus = forms.TypedChoiceField(
        label=_("Status"), choices=EstatusPTE.choices, coerce=int, initial=EstatusPTE.PENDIENTE
    )
    total_homologado = campos.monto(_("Approved total (MXN)"), 16)
    comentario = campos.texto(_("Comment"))

    def clean(self) -> dict[str, Any]:
        datos = super().clean() or {}
        solicitud, entrega = datos.get("fecha_solicitud"), datos.get("fecha_entrega")
        if solicitud and entrega and entrega < solicitud:
            self.add_error("fecha_entrega", gettext("It cannot be earlier than the request date."))
        return datos
