"""The OT pages' forms. They read and check what a person typed; the rules of the domain
(one OT per PTE, oficio per family, active catalog entries, versions) stay in the services,
whose refusals these forms show next to the fields."""

from __future__ import annotations

from typing import Any

from django import forms

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
    "embarcacion": "Embarcación",
    "plataforma": "Plataforma",
    "intercom": "Intercom",
    "patio": "Patio",
}


def _lugares(tipo: str) -> Any:
    return Sitio.objects.filter(tipo=tipo).order_by("descripcion")


class OTFiltroForm(FiltroForm):
    """The list's filters, in the query string with the API's names (`estatus`, `cliente`,
    `responsable`, `frente`, `sitio`, `pte`, `buscar`, `solo_principales`), so the
    dashboard's counts link here."""

    catalogos = ("cliente", "responsable", "frente", "sitio", *LUGARES)
    directos = ("pte", "solo_principales")

    buscar = filtros.buscar("Orden, oficio o descripción.")
    estatus = filtros.estatus(EstatusOT.choices)
    cliente = filtros.catalogo("Cliente", Cliente.objects.order_by("descripcion"))
    responsable = filtros.catalogo("Responsable", ResponsableProyecto.objects.order_by("nombre"))
    frente = filtros.catalogo("Frente", Frente.objects.order_by("descripcion"))
    sitio = filtros.catalogo("Sitio", Sitio.objects.order_by("descripcion"))
    embarcacion = filtros.catalogo(_ETIQUETAS_LUGAR["embarcacion"], _lugares("embarcacion"))
    plataforma = filtros.catalogo(_ETIQUETAS_LUGAR["plataforma"], _lugares("plataforma"))
    intercom = filtros.catalogo(_ETIQUETAS_LUGAR["intercom"], _lugares("intercom"))
    patio = filtros.catalogo(_ETIQUETAS_LUGAR["patio"], _lugares("patio"))
    anio = filtros.anio("Año de inicio programado")
    pte = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    solo_principales = forms.ChoiceField(
        label="Reprogramaciones",
        choices=[("", "Incluidas"), ("true", "Solo OTs principales")],
        required=False,
    )


class OTForm(RegistroForm):
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

    orden_trabajo = forms.CharField(label="Orden de trabajo", max_length=60)
    oficio_ot = forms.CharField(label="Oficio OT", max_length=60, required=False)
    descripcion_trabajo = campos.texto("Descripción del trabajo", requerido=True)
    cliente = CatalogoChoiceField(label="Cliente", queryset=Cliente.objects.none())
    responsable_proyecto = CatalogoChoiceField(
        label="Responsable del proyecto", queryset=ResponsableProyecto.objects.none()
    )
    responsable_cliente = forms.CharField(
        label="Responsable del cliente", max_length=150, required=False
    )
    frente = CatalogoChoiceField(label="Frente", queryset=Frente.objects.none(), required=False)
    sitio = CatalogoChoiceField(
        label="Sitio",
        queryset=Sitio.objects.none(),
        required=False,
        help_text="Con sitio y sin frente, se toma el frente del sitio.",
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
        label="Estatus", choices=EstatusOT.choices, coerce=int, initial=EstatusOT.ASIGNADA
    )
    fecha_inicio_programado = campos.fecha("Inicio programado")
    fecha_termino_programado = campos.fecha("Término programado")
    fecha_inicio_real = campos.fecha("Inicio real")
    fecha_termino_real = campos.fecha(
        "Término real", ayuda="Al pasar a Terminada se pone la de hoy si la dejas vacía."
    )
    plazo_dias = forms.IntegerField(label="Plazo (días)", min_value=1, required=False)
    monto_mxn = campos.monto("Monto MXN", 18)
    monto_usd = campos.monto("Monto USD", 18)
    comentario = campos.texto("Comentario")

    def clean(self) -> dict[str, Any]:
        datos = super().clean() or {}
        inicio = datos.get("fecha_inicio_programado")
        termino = datos.get("fecha_termino_programado")
        if inicio and termino and termino < inicio:
            self.add_error(
                "fecha_termino_programado", "No puede ser anterior al inicio programado."
            )
        return datos


def valores_de_pte(pte: PTE) -> dict[str, Any]:
    """A new OT's form prefilled with what the service takes from the PTE it follows."""
    return {
        nombre: getattr(valor, "pk", valor)
        for nombre, valor in selectors.valores_desde_pte(pte).items()
    }
