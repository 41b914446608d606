"""The dashboard page: the same figures as /operaciones/api/estadisticas/, for people."""

from __future__ import annotations

import datetime
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect

from sascop.accounts.decorators import login_required_page
from sascop.estadisticas.forms import TableroFiltroForm
from sascop.estadisticas.selectors import (
    FiltroTablero,
    ajustes_por_anexo,
    estadisticas,
    montos_por_cliente,
    ots_atrasadas,
    total_ots_atrasadas,
    total_ptes_vencidas,
)
from sascop.ptes.selectors import ptes_vencidas

# Overdue PTEs listed on the dashboard (the count says how many there are in all).
VENCIDAS = 10

MESES = [
    pgettext_lazy("month abbreviation", "Jan"),
    pgettext_lazy("month abbreviation", "Feb"),
    pgettext_lazy("month abbreviation", "Mar"),
    pgettext_lazy("month abbreviation", "Apr"),
    pgettext_lazy("month abbreviation", "May"),
    pgettext_lazy("month abbreviation", "Jun"),
    pgettext_lazy("month abbreviation", "Jul"),
    pgettext_lazy("month abbreviation", "Aug"),
    pgettext_lazy("month abbreviation", "Sep"),
    pgettext_lazy("month abbreviation", "Oct"),
    pgettext_lazy("month abbreviation", "Nov"),
    pgettext_lazy("month abbreviation", "Dec"),
]


def _mes(clave: str) -> str:
    """`2026-05` → `may 2026`."""
    anio, mes = clave.split("-")
    return f"{MESES[int(mes) - 1]} {anio}"


def _filtrado(base: str | None, **params: Any) -> str | None:
    params = {k: v for k, v in params.items() if v is not None}
    if not base:
        return None
    return f"{base}?{urlencode(params)}" if params else base


def _del_tablero(filtro: FiltroTablero) -> dict[str, Any]:
    """The dashboard's filters in the lists' vocabulary: a count opens a list of exactly the
    rows it counted (each list reads the dates on the same date as the dashboard)."""
    return {"fecha_desde": filtro.desde, "fecha_hasta": filtro.hasta, "cliente": filtro.cliente_id}


def _por_estatus(
    filas: list[dict[str, Any]], lista: str | None, filtro: FiltroTablero
) -> list[dict[str, Any]]:
    # The list filtered by the count's status and by every filter of the dashboard.
    return [
        {**fila, "url": _filtrado(lista, estatus=fila["estatus"], **_del_tablero(filtro))}
        for fila in filas
    ]


def _grafica(
    etiquetas: list[str],
    series: list[tuple[str, list[Any]]],
    *,
    formato: str,
    enlaces: list[str | None] | None = None,
    horizontal: bool = False,
) -> dict[str, Any]:
    """What sascop.js needs to draw one chart (read from a json_script element)."""
    return {
        "etiquetas": etiquetas,
        "series": [{"nombre": nombre, "valores": valores} for nombre, valores in series],
        "formato": formato,
        "enlaces": enlaces if enlaces and any(enlaces) else None,
        "horizontal": horizontal,
    }


def _contexto(
    datos: dict[str, Any], montos: list[dict[str, Any]], filtro: FiltroTablero
) -> dict[str, Any]:
    lista_ptes = reverse("ptes:lista")
    lista_ots = reverse("ots:lista")
    del_tablero = _del_tablero(filtro)
    ptes = _por_estatus(datos["ptes_por_estatus"], lista_ptes, filtro)
    ots = _por_estatus(datos["otes_por_estatus"], lista_ots, filtro)
    fechas = {k: v for k, v in del_tablero.items() if k != "cliente"}
    clientes = [
        {**fila, "url": _filtrado(lista_ots, cliente=fila["cliente_id"], **fechas)}
        for fila in montos
    ]
    meses = [{**m, "etiqueta": _mes(m["mes"])} for m in datos["produccion_por_mes"]]
    return {
        "datos": datos,
        "lista_ptes": _filtrado(lista_ptes, **del_tablero),
        "lista_ots": _filtrado(lista_ots, **del_tablero),
        "lista_atrasadas": _filtrado(
            lista_ots, atrasadas="true", **del_tablero, orden="fecha_termino_programado"
        ),
        "ptes": ptes,
        "ots": ots,
        "clientes": clientes,
        "meses": meses,
        "graficas": {
            "ptes": _grafica(
                [f["estatus_texto"] for f in ptes],
                [(_("PTEs"), [f["total"] for f in ptes])],
                formato="entero",
                enlaces=[f["url"] for f in ptes],
            ),
            "ots": _grafica(
                [f["estatus_texto"] for f in ots],
                [(_("OTs"), [f["total"] for f in ots])],
                formato="entero",
                enlaces=[f["url"] for f in ots],
            ),
            "produccion": _grafica(
                [m["etiqueta"] for m in meses],
                [(_("Volume"), [m["volumen"] for m in meses])],
                formato="volumen",
            ),
            "clientes": _grafica(
                [f["cliente"] for f in clientes],
                [(_("Amount MXN"), [f["mxn"] for f in clientes])],
                formato="mxn",
                enlaces=[f["url"] for f in clientes],
                horizontal=True,
            ),
        },
    }


def _retraso(
    objeto: Any, texto: str, detalle: str, plazo: datetime.date, hoy: datetime.date
) -> dict[str, Any]:
    """A row of the overdue PTEs or the late OTs: the PTE or OT, its link, the date it was
    due and the days since."""
    return {
        "objeto": objeto,
        "texto": texto,
        "url": reverse(detalle, args=[objeto.pk]),
        "plazo": plazo,
        "dias": (hoy - plazo).days,
    }


@never_cache
@csrf_protect
@login_required_page
def tablero_view(request: HttpRequest) -> HttpResponse:
    """The landing page after login: indicators and charts whose counts lead to the lists,
    narrowed by a date range and a client (`?desde=&hasta=&cliente=`), the overdue PTEs and
    the late OTs."""
    context: dict[str, Any] = {"puede_ver": request.user.has_perm("ptes.view_pte")}
    if context["puede_ver"]:
        filtros = TableroFiltroForm(request.GET)
        filtro = filtros.filtro()
        hoy = timezone.localdate()
        vencidas = ptes_vencidas(hoy, cliente_id=filtro.cliente_id)
        atrasadas = ots_atrasadas(filtro, hoy)
        # Without a filter both figures complete the running totals with the same query.
        ajustes = ajustes_por_anexo() if filtro.vacio else None
        context.update(
            _contexto(
                estadisticas(filtro, ajustes),
                montos_por_cliente(filtro=filtro, ajustes=ajustes),
                filtro,
            ),
            filtros=filtros,
            filtrado=not filtro.vacio,
            vencidas=[
                _retraso(p, p.oficio_pte, "ptes:detalle", p.vence, hoy)  # type: ignore[attr-defined]
                for p in vencidas[:VENCIDAS]
            ],
            # The counts come from the running totals (one row per date) when the list
            # is not narrowed: the overdue PTEs by a client only, the late OTs by any filter.
            total_vencidas=(
                total_ptes_vencidas(hoy) if filtro.cliente_id is None else vencidas.count()
            ),
            atrasadas=[
                # A late OT has a programmed end (the selector asks for one).
                _retraso(ot, str(ot), "ots:detalle", ot.fecha_termino_programado, hoy)  # type: ignore[arg-type]
                for ot in atrasadas[:VENCIDAS]
            ],
            total_atrasadas=total_ots_atrasadas(hoy) if filtro.vacio else atrasadas.count(),
        )
    return render(request, "estadisticas/tablero.html", context)
