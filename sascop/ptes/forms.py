"""The PTE pages' forms. They read and check what a person typed; the rules of the domain
(active catalog entries, delivery dates, versions) stay in the services, whose refusals
these forms show next to the fields."""

from __future__ import annotations

from django import forms

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

    buscar = filtros.buscar("Oficio, oficio de solicitud o descripción.")
    estatus = filtros.estatus(EstatusPTE.choices)
    cliente = filtros.catalogo("Cliente", Cliente.objects.order_by("descripcion"))
    responsable = filtros.catalogo("Responsable", ResponsableProyecto.objects.order_by("nombre"))
    tipo = filtros.catalogo(
        "Tipo", Tipo.objects.filter(aplica_a=Tipo.AplicaA.PTE).order_by("descripcion")
    )
    anio = filtros.anio("Año de solicitud")


class PTEForm(RegistroForm):
    """Create or edit a PTE."""

    catalogos = {
        "cliente": Cliente.objects.order_by("descripcion"),
        "tipo": Tipo.objects.filter(aplica_a=Tipo.AplicaA.PTE).order_by("descripcion"),
        "responsable_proyecto": ResponsableProyecto.objects.order_by("nombre"),
    }
    montos = ("total_homologado",)

    oficio_pte = forms.CharField(label="Oficio PTE", max_length=60)
    oficio_solicitud = forms.CharField(label="Oficio de solicitud", max_length=60, required=False)
    descripcion_trabajo = campos.texto("Descripción del trabajo", requerido=True)
    cliente = CatalogoChoiceField(label="Cliente", queryset=Cliente.objects.none())
    tipo = CatalogoChoiceField(label="Tipo", queryset=Tipo.objects.none())
    responsable_proyecto = CatalogoChoiceField(
        label="Responsable del proyecto", queryset=ResponsableProyecto.objects.none()
    )
    fecha_solicitud = campos.fecha("Fecha de solicitud", requerida=True)
    plazo_dias = forms.IntegerField(label="Plazo (días)", min_value=1)
    fecha_entrega = campos.fecha(
        "Fecha de entrega", ayuda="Al pasar a Entregada se pone la de hoy si la dejas vacía."
    )
    prioridad = forms.TypedChoiceField(
        label="Prioridad", choices=PTE.Prioridad.choices, coerce=int, initial=PTE.Prioridad.MEDIA
    )
    estatus = forms.TypedChoiceField(
        label="Estatus", choices=EstatusPTE.choices, coerce=int, initial=EstatusPTE.PENDIENTE
    )
    total_homologado = campos.monto("Total homologado (MXN)", 16)
    comentario = campos.texto("Comentario")
