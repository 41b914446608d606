"""The PTE pages' forms. They read and check what a person typed; the rules of the domain
(active catalog entries, delivery dates, versions) stay in the services, whose refusals
these forms show next to the fields."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.http import QueryDict

from sascop.catalogos.estatus import EstatusPTE
from sascop.catalogos.models import Cliente, ResponsableProyecto, Tipo
from sascop.core.formularios import CatalogoChoiceField, FechaInput, Formulario, activos_o
from sascop.ptes.models import PTE


class PTEFiltroForm(Formulario):
    """The list's filters, in the query string so a filtered list can be bookmarked.

    Every field is optional; a value that is not one (an unknown client) is reported next to
    its field and left out of the filter, the rest still apply.
    """

    buscar = forms.CharField(
        label="Buscar",
        required=False,
        max_length=100,
        help_text="Oficio, oficio de solicitud o descripción.",
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    estatus = forms.TypedMultipleChoiceField(
        label="Estatus",
        choices=EstatusPTE.choices,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    cliente = CatalogoChoiceField(
        label="Cliente", queryset=Cliente.objects.order_by("descripcion"), required=False
    )
    responsable = CatalogoChoiceField(
        label="Responsable",
        queryset=ResponsableProyecto.objects.order_by("nombre"),
        required=False,
    )
    tipo = CatalogoChoiceField(
        label="Tipo",
        queryset=Tipo.objects.filter(aplica_a=Tipo.AplicaA.PTE).order_by("descripcion"),
        required=False,
    )
    anio = forms.TypedChoiceField(label="Año de solicitud", coerce=int, required=False)

    def __init__(self, *args: Any, anios: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        anio = self.fields["anio"]
        assert isinstance(anio, forms.ChoiceField)
        anio.choices = [("", "Todos"), *((a, str(a)) for a in anios)]
        for nombre in ("cliente", "responsable", "tipo"):
            catalogo = self.fields[nombre]
            assert isinstance(catalogo, forms.ModelChoiceField)
            catalogo.empty_label = "Todos"

    def parametros(self) -> QueryDict:
        """The valid filters in the selector's vocabulary (`PTEFilter`)."""
        self.is_valid()
        datos = self.cleaned_data
        params = QueryDict(mutable=True)
        if datos.get("buscar"):
            params["buscar"] = datos["buscar"]
        if datos.get("estatus"):
            params.setlist("estatus", [str(e) for e in datos["estatus"]])
        for nombre in ("cliente", "responsable", "tipo"):
            if datos.get(nombre) is not None:
                params[nombre] = str(datos[nombre].pk)
        if datos.get("anio"):
            params["fecha_desde"] = datetime.date(datos["anio"], 1, 1).isoformat()
            params["fecha_hasta"] = datetime.date(datos["anio"], 12, 31).isoformat()
        return params

    def activos(self) -> int:
        """How many filters are in force (shown beside the filters' heading)."""
        self.is_valid()
        return sum(1 for valor in self.cleaned_data.values() if valor not in (None, "", []))


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
