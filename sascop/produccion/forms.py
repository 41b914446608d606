"""The production pages' forms: the list's filters and the two ways of capturing (one day
of an OT, or rows pasted from a sheet). The rules stay in the services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import QueryDict

from sascop.catalogos.estatus import EstatusCobro
from sascop.catalogos.models import Sitio
from sascop.core.pages.formularios import CatalogoChoiceField, FechaInput, Formulario
from sascop.ots.models import OT
from sascop.produccion.models import Produccion


def ot_por_referencia(valor: str) -> OT | None:
    """An OT (not deleted) by its order number as people write it, or by its id (links)."""
    valor = valor.strip()
    if not valor:
        return None
    vivas = OT.objects.filter(eliminado_en__isnull=True)
    ot = vivas.filter(orden_trabajo__iexact=valor).order_by("num_reprogramacion", "pk").first()
    if ot is None and valor.isdigit():
        ot = vivas.filter(pk=int(valor)).first()
    return ot


class OTField(forms.CharField):
    """An OT typed by its order number (`?ot=` also takes its id, for links)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 60)
        kwargs.setdefault("help_text", "El número de orden de trabajo.")
        # Suggestions by number or description (produccion/ot.js fills the list); wide
        # enough for the longest numbers.
        kwargs.setdefault(
            "widget",
            forms.TextInput(
                attrs={"list": "ots-sugeridas", "autocomplete": "off", "class": "campo-ot"}
            ),
        )
        super().__init__(**kwargs)

    def clean(self, value: Any) -> OT | None:
        texto = super().clean(value)
        if not texto:
            return None
        ot = ot_por_referencia(texto)
        if ot is None:
            raise forms.ValidationError(f"No hay una OT «{texto}».")
        return ot

    def prepare_value(self, value: Any) -> Any:
        return value.orden_trabajo if isinstance(value, OT) else value


class ProduccionFiltroForm(Formulario):
    """The list's filters, in the query string so a filtered list can be bookmarked."""

    ot = OTField(label="OT", required=False)
    anexo = forms.CharField(label="Anexo", required=False, max_length=20, help_text="P. ej. C-5")
    partida = forms.CharField(
        label="Partida", required=False, max_length=40, help_text="Clave, p. ej. 2.1"
    )
    excedente = forms.TypedChoiceField(
        label="Excedente",
        choices=[("", "Todas"), ("true", "Con excedente"), ("false", "Sin excedente")],
        required=False,
    )
    sitio = CatalogoChoiceField(
        label="Sitio", queryset=Sitio.objects.order_by("descripcion"), required=False
    )
    tipo_tiempo = forms.ChoiceField(
        label="Tipo de tiempo",
        choices=[("", "Todos"), *Produccion.TipoTiempo.choices],
        required=False,
    )
    estatus_cobro = forms.TypedChoiceField(
        label="Estatus de cobro",
        choices=[("", "Todos"), *EstatusCobro.choices],
        coerce=int,
        required=False,
    )
    fecha_desde = forms.DateField(label="Desde", required=False, widget=FechaInput)
    fecha_hasta = forms.DateField(label="Hasta", required=False, widget=FechaInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        sitio = self.fields["sitio"]
        assert isinstance(sitio, forms.ModelChoiceField)
        sitio.empty_label = "Todos"

    def parametros(self) -> QueryDict:
        """The valid filters in the selector's vocabulary (`ProduccionFilter`)."""
        self.is_valid()
        datos = self.cleaned_data
        params = QueryDict(mutable=True)
        if datos.get("ot") is not None:
            params["ot"] = str(datos["ot"].pk)
        if datos.get("sitio") is not None:
            params["sitio"] = str(datos["sitio"].pk)
        for nombre in ("anexo", "partida", "tipo_tiempo", "estatus_cobro"):
            if datos.get(nombre) not in (None, ""):
                params[nombre] = str(datos[nombre])
        if datos.get("excedente"):
            params["con_excedente"] = datos["excedente"]
        for nombre in ("fecha_desde", "fecha_hasta"):
            if datos.get(nombre):
                params[nombre] = datos[nombre].isoformat()
        return params

    def activos(self) -> int:
        self.is_valid()
        return sum(1 for valor in self.cleaned_data.values() if valor not in (None, "", []))


MESES = [
    (1, "Enero"), (2, "Febrero"), (3, "Marzo"), (4, "Abril"), (5, "Mayo"), (6, "Junio"),
    (7, "Julio"), (8, "Agosto"), (9, "Septiembre"), (10, "Octubre"), (11, "Noviembre"),
    (12, "Diciembre"),
]  # fmt: skip


class SabanaForm(Formulario):
    """Which sheet: an OT, a month, a kind of time and a site (the OT's by default)."""

    ot = OTField(label="OT")
    anio = forms.IntegerField(label="Año", min_value=2000, max_value=2100)
    mes = forms.TypedChoiceField(label="Mes", choices=MESES, coerce=int)
    tipo_tiempo = forms.ChoiceField(
        label="Tipo de tiempo", choices=Produccion.TipoTiempo.choices, required=False
    )
    sitio = CatalogoChoiceField(
        label="Sitio", queryset=Sitio.objects.order_by("descripcion"), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        sitio = self.fields["sitio"]
        assert isinstance(sitio, forms.ModelChoiceField)
        sitio.empty_label = "El de la OT"

    def consulta(self) -> dict[str, Any]:
        """The sheet's parameters as the selector and the service take them."""
        datos = self.cleaned_data
        return {
            "ot_id": datos["ot"].pk,
            "anio": datos["anio"],
            "mes": datos["mes"],
            "tipo_tiempo": datos.get("tipo_tiempo") or Produccion.TipoTiempo.TE,
            "sitio_id": datos["sitio"].pk if datos.get("sitio") else None,
        }


class CapturaOTForm(Formulario):
    """Which OT a capture is for (the first step of both ways of capturing)."""

    ot = OTField(label="OT")


class CapturaDiaForm(Formulario):
    """One day of an OT: date, kind of time and site; the volumes come as `vol-<line>`."""

    fecha = forms.DateField(label="Fecha", widget=FechaInput)
    tipo_tiempo = forms.ChoiceField(
        label="Tipo de tiempo",
        choices=Produccion.TipoTiempo.choices,
        initial=Produccion.TipoTiempo.TE,
    )
    sitio = CatalogoChoiceField(
        label="Sitio",
        queryset=Sitio.objects.filter(activo=True).order_by("descripcion"),
        required=False,
    )
    comentario = forms.CharField(label="Comentario", required=False, max_length=500)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        sitio = self.fields["sitio"]
        assert isinstance(sitio, forms.ModelChoiceField)
        sitio.empty_label = "El de la OT"


class PegadoForm(Formulario):
    """Rows copied from a sheet (Excel, LibreOffice: columns separated by tabs)."""

    texto = forms.CharField(
        label="Filas copiadas de Excel",
        widget=forms.Textarea(attrs={"rows": 8, "spellcheck": "false", "class": "monoespaciado"}),
        help_text=(
            "Columnas: Fecha, Anexo, Partida, Volumen, Tipo de tiempo, Sitio, Comentario "
            "(puedes incluir la fila de títulos; el anexo, el tipo, el sitio y el comentario "
            "pueden ir vacíos)."
        ),
    )
