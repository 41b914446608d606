"""The production pages' forms: the list's filters and the two ways of capturing (one day
of an OT, or rows pasted from a sheet). The rules stay in the services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext, pgettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from sascop.catalogos.estatus import EstatusCobro
from sascop.catalogos.models import Sitio
from sascop.core.pages.dibujo import Dibujante
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
        kwargs.setdefault("help_text", _("The work order number."))
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
            raise forms.ValidationError(gettext("There is no OT «%(ot)s».") % {"ot": texto})
        return ot

    def prepare_value(self, value: Any) -> Any:
        return value.orden_trabajo if isinstance(value, OT) else value


class ProduccionFiltroForm(Formulario):
    """The list's filters, in the query string so a filtered list can be bookmarked."""

    # Drawn on its page: its widgets without a template each (the same HTML).
    default_renderer = Dibujante()

    ot = OTField(label=_("OT"), required=False)
    anexo = forms.CharField(
        label=_("Anexo"), required=False, max_length=20, help_text=_("E.g. C-5")
    )
    partida = forms.CharField(
        label=_("Partida"), required=False, max_length=40, help_text=_("Key, e.g. 2.1")
    )
    excedente = forms.TypedChoiceField(
        label=_("Excedente"),
        choices=[
            ("", pgettext_lazy("rows", "All")),
            ("true", _("With excedente")),
            ("false", _("Without excedente")),
        ],
        required=False,
    )
    sitio = CatalogoChoiceField(
        label=_("Site"), queryset=Sitio.objects.order_by("descripcion"), required=False
    )
    tipo_tiempo = forms.ChoiceField(
        label=_("Kind of time"),
        choices=[("", pgettext_lazy("kinds", "All")), *Produccion.TipoTiempo.choices],
        required=False,
    )
    estatus_cobro = forms.TypedChoiceField(
        label=_("Billing status"),
        choices=[("", pgettext_lazy("kinds", "All")), *EstatusCobro.choices],
        coerce=int,
        required=False,
    )
    fecha_desde = forms.DateField(label=_("From"), required=False, widget=FechaInput)
    fecha_hasta = forms.DateField(label=_("To"), required=False, widget=FechaInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        sitio = self.fields["sitio"]
        assert isinstance(sitio, forms.ModelChoiceField)
        sitio.empty_label = pgettext("sites", "All")

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
    (1, pgettext_lazy("month name", "January")),
    (2, pgettext_lazy("month name", "February")),
    (3, pgettext_lazy("month name", "March")),
    (4, pgettext_lazy("month name", "April")),
    (5, pgettext_lazy("month name", "May")),
    (6, pgettext_lazy("month name", "June")),
    (7, pgettext_lazy("month name", "July")),
    (8, pgettext_lazy("month name", "August")),
    (9, pgettext_lazy("month name", "September")),
    (10, pgettext_lazy("month name", "October")),
    (11, pgettext_lazy("month name", "November")),
    (12, pgettext_lazy("month name", "December")),
]


class SabanaForm(Formulario):
    """Which sheet: an OT, a month, a kind of time and a site (the OT's by default)."""

    ot = OTField(label=_("OT"))
    anio = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    mes = forms.TypedChoiceField(label=_("Month"), choices=MESES, coerce=int)
    tipo_tiempo = forms.ChoiceField(
        label=_("Kind of time"), choices=Produccion.TipoTiempo.choices, required=False
    )
    sitio = CatalogoChoiceField(
        label=_("Site"), queryset=Sitio.objects.order_by("descripcion"), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        sitio = self.fields["sitio"]
        assert isinstance(sitio, forms.ModelChoiceField)
        sitio.empty_label = gettext("The OT's")

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

    ot = OTField(label=_("OT"))


class CapturaDiaForm(Formulario):
    """One day of an OT: date, kind of time and site; the volumes come as `vol-<line>`."""

    fecha = forms.DateField(label=_("Date"), widget=FechaInput)
    tipo_tiempo = forms.ChoiceField(
        label=_("Kind of time"),
        choices=Produccion.TipoTiempo.choices,
        initial=Produccion.TipoTiempo.TE,
    )
    sitio = CatalogoChoiceField(
        label=_("Site"),
        queryset=Sitio.objects.filter(activo=True).order_by("descripcion"),
        required=False,
    )
    comentario = forms.CharField(label=_("Comment"), required=False, max_length=500)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        sitio = self.fields["sitio"]
        assert isinstance(sitio, forms.ModelChoiceField)
        sitio.empty_label = gettext("The OT's")


class PegadoForm(Formulario):
    """Rows copied from a sheet (Excel, LibreOffice: columns separated by tabs)."""

    texto = forms.CharField(
        label=_("Rows copied from Excel"),
        widget=forms.Textarea(attrs={"rows": 8, "spellcheck": "false", "class": "monoespaciado"}),
        help_text=_(
            "Columns: Date, Anexo, Partida, Volume, Kind of time, Site, Comment (you may include "
            "the row of titles; the anexo, the kind, the site and the comment may be empty)."
        ),
    )
