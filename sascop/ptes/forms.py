"""The PTE pages' forms. They read and check what a person typed; the rules of the domain
(active catalog entries, delivery dates, versions) stay in the services, whose refusals
these forms show next to the fields."""

from __future__ import annotations

from typing import Any

from django import forms

from sascop.catalogos.estatus import EstatusPTE
from sascop.catalogos.models import Cliente, ResponsableProyecto, Tipo
from sascop.core.formularios import CatalogoChoiceField, FechaInput, Formulario, activos_o
from sascop.core.pages import filtros
from sascop.core.pages.filtros import FiltroForm
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


class PTEForm(Formulario):
    """Create or edit a PTE; on edit `version` carries the ETag the page was drawn from."""

    oficio_pte = forms.CharField(label="Oficio PTE", max_length=60)
    oficio_solicitud = forms.CharField(label="Oficio de solicitud", max_length=60, required=False)
    descripcion_trabajo = forms.CharField(
        label="Descripción del trabajo", widget=forms.Textarea(attrs={"rows": 3})
    )
    cliente = CatalogoChoiceField(label="Cliente", queryset=Cliente.objects.none())
    tipo = CatalogoChoiceField(label="Tipo", queryset=Tipo.objects.none())
    responsable_proyecto = CatalogoChoiceField(
        label="Responsable del proyecto", queryset=ResponsableProyecto.objects.none()
    )
    fecha_solicitud = forms.DateField(label="Fecha de solicitud", widget=FechaInput)
    plazo_dias = forms.IntegerField(label="Plazo (días)", min_value=1)
    fecha_entrega = forms.DateField(
        label="Fecha de entrega",
        required=False,
        widget=FechaInput,
        help_text="Al pasar a Entregada se pone la de hoy si la dejas vacía.",
    )
    prioridad = forms.TypedChoiceField(
        label="Prioridad", choices=PTE.Prioridad.choices, coerce=int, initial=PTE.Prioridad.MEDIA
    )
    estatus = forms.TypedChoiceField(
        label="Estatus", choices=EstatusPTE.choices, coerce=int, initial=EstatusPTE.PENDIENTE
    )
    total_homologado = forms.DecimalField(
        label="Total homologado (MXN)",
        max_digits=16,
        decimal_places=2,
        min_value=0,
        required=False,
        widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}),
    )
    comentario = forms.CharField(
        label="Comentario", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    version = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, pte: PTE | None = None, **kwargs: Any) -> None:
        self.pte = pte
        # Only an edit can clash with someone else's save.
        self.recuerda_lo_mostrado = pte is not None
        super().__init__(*args, **kwargs)

    def iniciar_campos(self) -> None:
        pte, fields = self.pte, self.fields
        for nombre in ("cliente", "tipo", "responsable_proyecto"):
            catalogo = fields[nombre]
            assert isinstance(catalogo, forms.ModelChoiceField)
            catalogo.empty_label = "Elige una opción"
        fields["cliente"].queryset = activos_o(  # type: ignore[attr-defined]
            Cliente.objects.order_by("descripcion"), pte.cliente_id if pte else None
        )
        fields["tipo"].queryset = activos_o(  # type: ignore[attr-defined]
            Tipo.objects.filter(aplica_a=Tipo.AplicaA.PTE).order_by("descripcion"),
            pte.tipo_id if pte else None,
        )
        fields["responsable_proyecto"].queryset = activos_o(  # type: ignore[attr-defined]
            ResponsableProyecto.objects.order_by("nombre"),
            pte.responsable_proyecto_id if pte else None,
        )

    def datos(self) -> dict[str, Any]:
        """What the service takes: every field but the version (and no empty amount)."""
        datos = {k: v for k, v in self.cleaned_data.items() if k != "version"}
        if datos.get("total_homologado") is None:
            datos.pop("total_homologado", None)
        return datos


CAMPOS_PTE = [name for name in PTEForm.base_fields if name != "version"]


def valores_de(pte: PTE) -> dict[str, Any]:
    """A PTE's values as the form's initial data."""
    return {
        "oficio_pte": pte.oficio_pte,
        "oficio_solicitud": pte.oficio_solicitud,
        "descripcion_trabajo": pte.descripcion_trabajo,
        "cliente": pte.cliente_id,
        "tipo": pte.tipo_id,
        "responsable_proyecto": pte.responsable_proyecto_id,
        "fecha_solicitud": pte.fecha_solicitud,
        "plazo_dias": pte.plazo_dias,
        "fecha_entrega": pte.fecha_entrega,
        "prioridad": pte.prioridad,
        "estatus": pte.estatus,
        "total_homologado": pte.total_homologado,
        "comentario": pte.comentario,
    }
