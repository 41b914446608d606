"""A site's month: the site board (`/produccion/sitios/`: every OT active there, the amount
it executed per day, the daily-report states and who is on duty) and the guard calendar
(`/produccion/guardias/`). Both read-only; production is captured on each OT's sheet."""

from __future__ import annotations

import calendar
import datetime
from decimal import Decimal
from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext, pgettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from sascop.accounts.decorators import permission_required_page
from sascop.catalogos import guardias
from sascop.catalogos.models import Sitio, Superintendente
from sascop.core.pages.formularios import CatalogoChoiceField, Formulario
from sascop.core.templatetags.formato import dinero
from sascop.produccion import tablero_sitio
from sascop.produccion.forms import MESES
from sascop.produccion.models import ReporteDiario

TABLERO = "produccion/tablero_sitio.html"
GUARDIAS = "produccion/guardias.html"

# Each daily-report state: its initial in a cell and its class (the legend spells them out).
ESTADOS: dict[str, tuple[Any, str]] = {
    ReporteDiario.Estatus.PENDIENTE: (pgettext_lazy("daily report state initial", "P"), "pen"),
    ReporteDiario.Estatus.PROCESO: (pgettext_lazy("daily report state initial", "I"), "pro"),
    ReporteDiario.Estatus.FALTA_FIRMA_PEMEX: (
        pgettext_lazy("daily report state initial", "A"),
        "fal",
    ),
    ReporteDiario.Estatus.FIRMADO: (pgettext_lazy("daily report state initial", "S"), "fir"),
}


class MesSitioForm(Formulario):
    """Which site and month (the current month by default)."""

    sitio = CatalogoChoiceField(label=_("Site"), queryset=Sitio.objects.order_by("descripcion"))
    anio = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    mes = forms.TypedChoiceField(label=_("Month"), choices=MESES, coerce=int)


def _form(request: HttpRequest) -> MesSitioForm:
    hoy = timezone.localdate()
    if "sitio" not in request.GET:
        return MesSitioForm(initial={"anio": hoy.year, "mes": hoy.month})
    datos = request.GET.copy()
    datos.setdefault("anio", str(hoy.year))
    datos.setdefault("mes", str(hoy.month))
    return MesSitioForm(datos)


def _url(nombre: str, **params: Any) -> str:
    consulta = QueryDict(mutable=True)
    consulta.update({k: str(v) for k, v in params.items()})
    return f"{reverse(nombre)}?{consulta.urlencode()}"


def _meses_vecinos(nombre: str, sitio: Sitio, anio: int, mes: int) -> dict[str, str]:
    antes = datetime.date(anio, mes, 1) - datetime.timedelta(days=1)
    despues = datetime.date(anio, mes, calendar.monthrange(anio, mes)[1]) + datetime.timedelta(1)
    return {
        "anterior": _url(nombre, sitio=sitio.pk, anio=antes.year, mes=antes.month),
        "siguiente": _url(nombre, sitio=sitio.pk, anio=despues.year, mes=despues.month),
    }


def _titulo_mes(anio: int, mes: int) -> str:
    return f"{dict(MESES)[mes]} {anio}"


def _miles(valor: Decimal) -> str:
    """An amount in thousands of pesos with one decimal (`12.3`): 31 days fit a screen."""
    return f"{valor / 1000:,.1f}"


def _guardia(persona: Superintendente | None) -> dict[str, Any] | None:
    if persona is None:
        return None
    # "Ing. Alberto Pérez" → "AP": titles (words with a point) left out.
    palabras = [p for p in persona.nombre.split() if not p.endswith(".")] or persona.nombre.split()
    iniciales = palabras[0][:1] + (palabras[-1][:1] if len(palabras) > 1 else "")
    return {"nombre": persona.nombre, "color": persona.color, "iniciales": iniciales.upper()}


@never_cache
@require_safe
@permission_required_page("produccion.view_produccion")
def tablero_de_sitio(request: HttpRequest) -> HttpResponse:
    """One site's month: each OT active there, its executed amount per day (M.N.), days
    outside its dates shaded, each day's daily-report state, who is on duty; each row links
    to the OT's sheet at this site."""
    form = _form(request)
    context: dict[str, Any] = {"form": form}
    if not (form.is_bound and form.is_valid()):
        return render(request, TABLERO, context, status=400 if form.is_bound else 200)
    sitio, anio, mes = (form.cleaned_data[k] for k in ("sitio", "anio", "mes"))
    con_guardias = request.user.has_perm("catalogos.view_cicloguardia")
    tablero = tablero_sitio.tablero_sitio(
        sitio=sitio, anio=anio, mes=mes, con_guardias=con_guardias
    )
    hoy = timezone.localdate()
    dias = [
        {
            "dia": fecha.day,
            "fecha": fecha,
            "descanso": fecha.weekday() == 6,
            "hoy": fecha == hoy,
            "guardia": _guardia(tablero.guardias.get(fecha.day)),
        }
        for fecha in tablero.fechas
    ]
    filas = []
    for fila in tablero.filas:
        celdas = []
        for dia in fila.dias:
            inicial, clase = ESTADOS.get(dia.estado or "", ("", ""))
            celdas.append(
                {
                    "dia": dia.dia,
                    "dentro": dia.dentro,
                    "corto": _miles(dia.importe) if dia.importe is not None else "",
                    "completo": dinero(dia.importe) if dia.importe is not None else "",
                    "estado": ReporteDiario.Estatus(dia.estado).label if dia.estado else "",
                    "inicial": inicial,
                    "clase": clase,
                }
            )
        filas.append(
            {
                "ot": fila.ot,
                "celdas": celdas,
                "total": fila.total,
                "rangos": fila.rangos,
                "sabana": _url(
                    "produccion:sabana", ot=fila.ot.pk, anio=anio, mes=mes, sitio=sitio.pk
                ),
                "detalle": reverse("ots:detalle", kwargs={"ot_id": fila.ot.pk}),
            }
        )
    context.update(
        {
            "tablero": tablero,
            "sitio": sitio,
            "titulo_mes": _titulo_mes(anio, mes),
            "dias": dias,
            "filas": filas,
            "totales": [
                {"corto": _miles(t) if t else "", "completo": dinero(t) if t else ""}
                for t in tablero.totales
            ],
            "con_guardias": con_guardias,
            "guardias_url": _url("produccion:guardias", sitio=sitio.pk, anio=anio, mes=mes),
            "estados": [
                {"inicial": inicial, "clase": clase, "texto": ReporteDiario.Estatus(e).label}
                for e, (inicial, clase) in ESTADOS.items()
            ],
            **_meses_vecinos("produccion:sitios", sitio, anio, mes),
        }
    )
    return render(request, TABLERO, context)


@never_cache
@require_safe
@permission_required_page("catalogos.view_cicloguardia")
def guardias_de_sitio(request: HttpRequest) -> HttpResponse:
    """The guard calendar of a site's month: who is on duty each day, in his colour."""
    form = _form(request)
    context: dict[str, Any] = {"form": form}
    if not (form.is_bound and form.is_valid()):
        return render(request, GUARDIAS, context, status=400 if form.is_bound else 200)
    sitio, anio, mes = (form.cleaned_data[k] for k in ("sitio", "anio", "mes"))
    dias = guardias.calendario(sitio_id=sitio.pk, anio=anio, mes=mes)
    hoy = timezone.localdate()
    semanas = []
    for semana in calendar.Calendar(firstweekday=0).monthdayscalendar(anio, mes):
        semanas.append(
            [
                {
                    "dia": n,
                    "guardia": _guardia(dias.get(n)),
                    "hoy": datetime.date(anio, mes, n) == hoy,
                }
                if n
                else None
                for n in semana
            ]
        )
    personas: dict[int, dict[str, Any]] = {}
    for persona in dias.values():
        if persona is not None:
            entrada = personas.setdefault(persona.pk, {**(_guardia(persona) or {}), "dias": 0})
            entrada["dias"] += 1
    context.update(
        {
            "sitio": sitio,
            "titulo_mes": _titulo_mes(anio, mes),
            "semanas": semanas,
            "personas": list(personas.values()),
            "dias_semana": [
                pgettext("weekday", "Monday"),
                pgettext("weekday", "Tuesday"),
                pgettext("weekday", "Wednesday"),
                pgettext("weekday", "Thursday"),
                pgettext("weekday", "Friday"),
                pgettext("weekday", "Saturday"),
                pgettext("weekday", "Sunday"),
            ],
            "puede_administrar": request.user.has_perm("catalogos.change_cicloguardia"),
            "tablero_url": _url("produccion:sitios", sitio=sitio.pk, anio=anio, mes=mes)
            if request.user.has_perm("produccion.view_produccion")
            else "",
            **_meses_vecinos("produccion:guardias", sitio, anio, mes),
        }
    )
    return render(request, GUARDIAS, context)
