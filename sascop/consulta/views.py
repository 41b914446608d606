"""The Centro de Consulta page: the same search as /operaciones/api/consulta/, for people.

Everything it shows comes from the query string (search, filters, kind, page), so a link
shares the search; `?formato=xlsx` downloads everything found."""

from __future__ import annotations

import math
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, QueryDict
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils.translation import pgettext

from sascop.consulta import exportar
from sascop.consulta.filtros import filtro, formulario
from sascop.consulta.selectors import (
    TIPOS,
    Busqueda,
    buscar,
    grupos,
    indicadores,
    tipos_visibles,
)
from sascop.core import errors
from sascop.core.pages.vistas import Pagina, entero_o_nada

# Results per kind when every kind is shown, and per page when one is.
RESUMEN = 5
POR_PAGINA = 25


def _url(request: HttpRequest, **cambios: Any) -> str:
    params: QueryDict = request.GET.copy()
    for nombre in ("pagina", "formato", *cambios):
        params.pop(nombre, None)
    for nombre, valor in cambios.items():
        if valor is not None:
            params[nombre] = str(valor)
    return f"{request.path}?{params.urlencode()}"


def _grafica(filas: list[dict[str, Any]], nombre: str, enlaces: list[str]) -> dict[str, Any]:
    """What sascop.js needs to draw a chart (read from a json_script element)."""
    return {
        "etiquetas": [f["estatus_texto"] for f in filas],
        "series": [{"nombre": nombre, "valores": [f["total"] for f in filas]}],
        "formato": "entero",
        "enlaces": enlaces,
        "horizontal": False,
    }


class ConsultaView(Pagina):
    template_name = "consulta/consulta.html"
    http_method_names = ["get", "head"]

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not tipos_visibles(request.user):
            raise PermissionDenied
        filtros = formulario(request.GET)
        try:
            consulta = filtro(filtros)
        except errors.InvalidInput:
            return render(request, self.template_name, {"filtros": filtros}, status=400)
        busqueda = buscar(consulta, request.user)
        if request.GET.get("formato") == "xlsx":
            return exportar.consulta_xlsx(busqueda, request.build_absolute_uri("/")[:-1])
        return self.pagina(filtros, busqueda)

    def pagina(self, filtros: Any, busqueda: Busqueda) -> HttpResponse:
        request = self.request
        uno = busqueda.filtro.tipo
        por_pagina = POR_PAGINA if uno else RESUMEN
        pagina = entero_o_nada(request.GET.get("pagina")) or 1
        lista = grupos(busqueda, pagina if uno else 1, por_pagina)
        for grupo in lista:
            grupo["nombre"] = TIPOS[grupo["tipo"]]
            grupo["todos"] = _url(request, tipo=grupo["tipo"])
            grupo["hay_mas"] = not uno and grupo["total"] > len(grupo["resultados"])
            if uno:
                actual, paginas = grupo["pagina"], grupo["paginas"]
                grupo["anterior"] = _url(request, pagina=actual - 1) if actual > 1 else None
                grupo["siguiente"] = _url(request, pagina=actual + 1) if actual < paginas else None
        kpis = indicadores(busqueda) if busqueda.encontrados else None
        graficas = {}
        if kpis:
            for clave, nombre, tipo in (
                ("ots_por_estatus", pgettext("consulta", "OTs"), "ot"),
                ("ptes_por_estatus", pgettext("consulta", "PTEs"), "pte"),
            ):
                if kpis[clave]:
                    enlaces = [_url(request, tipo=tipo, estatus=f["estatus"]) for f in kpis[clave]]
                    graficas[clave] = _grafica(kpis[clave], nombre, enlaces)
        context = {
            "filtros": filtros,
            "consulta": busqueda.filtro,
            "grupos": lista,
            "kpis": kpis,
            "conteos": [
                (TIPOS[tipo], len(ids), _url(request, tipo=tipo))
                for tipo, ids in busqueda.encontrados.items()
                if ids
            ],
            "graficas": graficas,
            "exportar_url": _url(request, formato="xlsx"),
            "todo_url": _url(request, tipo=None) if uno else None,
            "paginas": math.ceil(max((g["total"] for g in lista), default=0) / por_pagina),
        }
        return render(request, self.template_name, context)
