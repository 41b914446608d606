"""The dashboard page: the same figures as /operaciones/api/estadisticas/, for people."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect

from sascop.accounts.decorators import login_required_page
from sascop.core.paginas import url_si_existe
from sascop.estadisticas.selectors import estadisticas, montos_por_cliente

MESES = ["ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sep", "oct", "nov", "dic"]


def _mes(clave: str) -> str:
    """`2026-05` → `may 2026`."""
    anio, mes = clave.split("-")
    return f"{MESES[int(mes) - 1]} {anio}"


def _filtrado(base: str | None, **params: Any) -> str | None:
    return f"{base}?{urlencode(params)}" if base else None


def _por_estatus(filas: list[dict[str, Any]], lista: str | None) -> list[dict[str, Any]]:
    return [{**fila, "url": _filtrado(lista, estatus=fila["estatus"])} for fila in filas]


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


def _contexto(datos: dict[str, Any], montos: list[dict[str, Any]]) -> dict[str, Any]:
    lista_ptes = url_si_existe("ptes:lista")
    lista_ots = url_si_existe("ots:lista")
    ptes = _por_estatus(datos["ptes_por_estatus"], lista_ptes)
    ots = _por_estatus(datos["otes_por_estatus"], lista_ots)
    clientes = [
        {**fila, "url": _filtrado(lista_ots, cliente=fila["cliente_id"])} for fila in montos
    ]
    meses = [{**m, "etiqueta": _mes(m["mes"])} for m in datos["produccion_por_mes"]]
    return {
        "datos": datos,
        "lista_ptes": lista_ptes,
        "lista_ots": lista_ots,
        "ptes": ptes,
        "ots": ots,
        "clientes": clientes,
        "meses": meses,
        "graficas": {
            "ptes": _grafica(
                [f["estatus_texto"] for f in ptes],
                [("PTEs", [f["total"] for f in ptes])],
                formato="entero",
                enlaces=[f["url"] for f in ptes],
            ),
            "ots": _grafica(
                [f["estatus_texto"] for f in ots],
                [("OTs", [f["total"] for f in ots])],
                formato="entero",
                enlaces=[f["url"] for f in ots],
            ),
            "produccion": _grafica(
                [m["etiqueta"] for m in meses],
                [("Volumen", [m["volumen"] for m in meses])],
                formato="volumen",
            ),
            "clientes": _grafica(
                [f["cliente"] for f in clientes],
                [("Monto MXN", [f["mxn"] for f in clientes])],
                formato="mxn",
                enlaces=[f["url"] for f in clientes],
                horizontal=True,
            ),
        },
    }


@never_cache
@csrf_protect
@login_required_page
def tablero_view(request: HttpRequest) -> HttpResponse:
    """The landing page after login: indicators and charts whose counts lead to the lists."""
    context: dict[str, Any] = {"puede_ver": request.user.has_perm("ptes.view_pte")}
    if context["puede_ver"]:
        context.update(_contexto(estadisticas(), montos_por_cliente()))
    return render(request, "estadisticas/tablero.html", context)
