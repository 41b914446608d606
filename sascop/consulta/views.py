"""The Centro de Consulta page: the same search as /operaciones/api/consulta/, for people.

Everything it shows comes from the query string (search, filters, kind, page), so a link
shares the search; `?formato=xlsx` downloads everything found."""

from __future__ import annotations

import calendar
import math
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import pgettext

from sascop.consulta import exportar, services
from sascop.consulta.filtros import ConsultaFilter, filtro, formulario
from sascop.consulta.formularios import CorreoForm, GuardarForm
from sascop.consulta.selectors import (
    TIPOS,
    Busqueda,
    Filtro,
    buscar,
    busqueda_de,
    busquedas_de,
    grupos,
    indicadores,
    tipos_visibles,
)
from sascop.core import errors
from sascop.core.pages.formularios import mostrar_errores
from sascop.core.pages.vistas import Pagina, entero_o_nada

# Results per kind when every kind is shown, and per page when one is.
RESUMEN = 5
POR_PAGINA = 25
# Bars of a chart by client or by site at most (the last one sums the rest).
BARRAS = 12


class Direccion:
    """The page's address with some of its parameters changed: `url(tipo="ot")` is this
    search of OTs (a value None leaves the parameter out; the page and the export are always
    left out). The request's query string is read and encoded once: a page draws a hundred
    links from it. Each link is what `QueryDict.urlencode()` writes once the changed
    parameters are popped and set again (at the end, in the order given)."""

    def __init__(self, request: HttpRequest) -> None:
        self.ruta = request.path
        self.partes = [
            (nombre, urlencode({nombre: valor}))
            for nombre, valores in request.GET.lists()
            for valor in valores
        ]

    def __call__(self, **cambios: Any) -> str:
        fuera = {"pagina", "formato", *cambios}
        partes = [parte for nombre, parte in self.partes if nombre not in fuera]
        partes += [urlencode({n: str(v)}) for n, v in cambios.items() if v is not None]
        return f"{self.ruta}?{'&'.join(partes)}"


def _grafica(
    etiquetas: list[str],
    series: list[tuple[str, list[int]]],
    enlaces: list[str | None],
    *,
    horizontal: bool = False,
) -> dict[str, Any]:
    """What sascop.js needs to draw a chart of counts (read from a json_script element)."""
    return {
        "etiquetas": etiquetas,
        "series": [{"nombre": nombre, "valores": valores} for nombre, valores in series],
        "formato": "entero",
        "enlaces": enlaces,
        "horizontal": horizontal,
    }


def _limites_mes(mes: str) -> tuple[str, str]:
    anio, numero = (int(x) for x in mes.split("-"))
    ultimo = calendar.monthrange(anio, numero)[1]
    return f"{mes}-01", f"{mes}-{ultimo:02d}"


def _primeras(
    filas: list[dict[str, Any]], etiqueta: str, valores: tuple[str, ...]
) -> list[dict[str, Any]]:
    """The first BARRAS rows (the most first) and, for the rest, one bar «Others» summing
    them: a chart stays readable however many clients or sites were found (the list under it
    names them all)."""
    if len(filas) <= BARRAS:
        return filas
    resto = filas[BARRAS - 1 :]
    otras: dict[str, Any] = {v: sum(f[v] for f in resto) for v in valores}
    otras[etiqueta] = pgettext("consulta", "Others (%(n)d)") % {"n": len(resto)}
    otras["url"] = None
    return [*filas[: BARRAS - 1], otras]


def _graficas(url: Direccion, kpis: dict[str, Any]) -> dict[str, Any]:
    """The charts of what was found: by status (OTs, PTEs), by client, site and month; each
    bar opens the search narrowed to it."""
    graficas = {}
    ptes, ots = pgettext("consulta", "PTEs"), pgettext("consulta", "OTs")
    for clave, nombre, tipo in (
        ("ots_por_estatus", ots, "ot"),
        ("ptes_por_estatus", ptes, "pte"),
    ):
        if filas := kpis[clave]:
            graficas[clave] = _grafica(
                [f["estatus_texto"] for f in filas],
                [(nombre, [f["total"] for f in filas])],
                [url(tipo=tipo, estatus=f["estatus"]) for f in filas],
            )
    if filas := _primeras(kpis["por_cliente"], "cliente_texto", ("ptes", "ots")):
        graficas["por_cliente"] = _grafica(
            [f["cliente_texto"] for f in filas],
            [(ptes, [f["ptes"] for f in filas]), (ots, [f["ots"] for f in filas])],
            [f["url"] for f in filas],
            horizontal=True,
        )
    if filas := _primeras(kpis["ots_por_sitio"], "etiqueta", ("total",)):
        graficas["ots_por_sitio"] = _grafica(
            [f["etiqueta"] for f in filas],
            [(ots, [f["total"] for f in filas])],
            [f["url"] for f in filas],
            horizontal=True,
        )
    if filas := kpis["por_mes"]:
        graficas["por_mes"] = _grafica(
            [f["etiqueta"] for f in filas],
            [(ptes, [f["ptes"] for f in filas]), (ots, [f["ots"] for f in filas])],
            [f["url"] for f in filas],
        )
    return graficas


def _con_enlaces(url: Direccion, kpis: dict[str, Any]) -> None:
    """Each client's, site's and month's row gets its label and the search narrowed to it."""
    for fila in kpis["por_cliente"]:
        fila["url"] = url(cliente=fila["cliente"])
    for fila in kpis["ots_por_sitio"]:
        fila["etiqueta"] = fila["sitio_texto"] or pgettext("consulta", "No site")
        fila["url"] = url(tipo="ot", sitio=fila["sitio"]) if fila["sitio"] else None
    for fila in kpis["por_mes"]:
        desde, hasta = _limites_mes(fila["mes"])
        fila["etiqueta"] = services.etiqueta_mes(fila["mes"])
        fila["url"] = url(desde=desde, hasta=hasta)


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/")[:-1]


class ConsultaView(Pagina):
    """GET searches; POST (to the same address, so the query string is the search acted
    on) saves the search shown under a name (`accion=guardar`) or queues its e-mail
    (`accion=enviar`), then comes back to it saying so."""

    template_name = "consulta/consulta.html"
    http_method_names = ["get", "head", "post"]

    def pedida(self, request: HttpRequest) -> tuple[ConsultaFilter, Filtro | None]:
        """The search form of the query string and its search (None where the form refuses a
        value), for a user who may see some kind of result (a 403 otherwise)."""
        if not tipos_visibles(request.user):
            raise PermissionDenied
        filtros = formulario(request.GET)
        try:
            return filtros, filtro(filtros)
        except errors.InvalidInput:
            return filtros, None

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        filtros, consulta = self.pedida(request)
        if consulta is None:
            return render(request, self.template_name, {"filtros": filtros}, status=400)
        busqueda = buscar(consulta, request.user)
        if request.GET.get("formato") == "xlsx":
            return exportar.consulta_xlsx(busqueda, _base_url(request))
        return self.pagina(filtros, busqueda)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        filtros, consulta = self.pedida(request)
        if consulta is None:
            return render(request, self.template_name, {"filtros": filtros}, status=400)
        parametros = request.GET.urlencode()
        accion = request.POST.get("accion")
        formularios: dict[str, Any] = {}
        if accion == "guardar":
            guardar = GuardarForm(request.POST)
            formularios["guardar_form"] = guardar
            if guardar.is_valid():
                try:
                    guardada, nueva = services.busqueda_guardar(
                        usuario=request.user,
                        nombre=guardar.cleaned_data["nombre"],
                        parametros=parametros,
                    )
                except errors.InvalidInput as exc:
                    mostrar_errores(guardar, exc)
                else:
                    aviso = (
                        pgettext("consulta", "Search saved as «%(nombre)s».")
                        if nueva
                        else pgettext("consulta", "Search «%(nombre)s» replaced.")
                    )
                    messages.success(request, aviso % {"nombre": guardada.nombre})
                    return redirect(guardada.url)
        elif accion == "enviar":
            correo = CorreoForm(request.POST)
            formularios["correo_form"] = correo
            if correo.is_valid():
                try:
                    _tarea, para = services.consulta_correo_encolar(
                        usuario=request.user,
                        parametros=parametros,
                        destinatarios=correo.cleaned_data["destinatarios"],
                        base_url=_base_url(request),
                    )
                except errors.InvalidInput as exc:
                    mostrar_errores(correo, exc)
                else:
                    messages.success(
                        request,
                        pgettext(
                            "consulta",
                            "Sending queued: the search and its workbook go to %(para)s "
                            "in a few moments.",
                        )
                        % {"para": ", ".join(para)},
                    )
                    return redirect(f"{request.path}?{parametros}")
        respuesta = self.pagina(filtros, buscar(consulta, request.user), **formularios)
        respuesta.status_code = 400
        return respuesta

    def pagina(
        self,
        filtros: Any,
        busqueda: Busqueda,
        guardar_form: GuardarForm | None = None,
        correo_form: CorreoForm | None = None,
    ) -> HttpResponse:
        request = self.request
        url = Direccion(request)
        uno = busqueda.filtro.tipo
        por_pagina = POR_PAGINA if uno else RESUMEN
        pagina = entero_o_nada(request.GET.get("pagina")) or 1
        lista = grupos(busqueda, pagina if uno else 1, por_pagina)
        for grupo in lista:
            grupo["nombre"] = TIPOS[grupo["tipo"]]
            grupo["todos"] = url(tipo=grupo["tipo"])
            grupo["hay_mas"] = not uno and grupo["total"] > len(grupo["resultados"])
            if uno:
                actual, paginas = grupo["pagina"], grupo["paginas"]
                grupo["anterior"] = url(pagina=actual - 1) if actual > 1 else None
                grupo["siguiente"] = url(pagina=actual + 1) if actual < paginas else None
        kpis = indicadores(busqueda) if busqueda.encontrados else None
        graficas = {}
        if kpis:
            _con_enlaces(url, kpis)
            graficas = _graficas(url, kpis)
        context = {
            "filtros": filtros,
            "consulta": busqueda.filtro,
            "grupos": lista,
            "kpis": kpis,
            "conteos": [
                (TIPOS[tipo], len(ids), url(tipo=tipo))
                for tipo, ids in busqueda.encontrados.items()
                if ids
            ],
            "graficas": graficas,
            "exportar_url": url(formato="xlsx"),
            "todo_url": url(tipo=None) if uno else None,
            "paginas": math.ceil(max((g["total"] for g in lista), default=0) / por_pagina),
            "guardadas": busquedas_de(request.user),
            "guardar_form": guardar_form or GuardarForm(),
            "correo_form": correo_form
            or CorreoForm(initial={"destinatarios": getattr(request.user, "email", "")}),
            "accion_url": request.get_full_path(),
        }
        return render(request, self.template_name, context)


class EliminarBusquedaView(Pagina):
    """Delete one of the user's saved searches (anyone else's: 404), then back to the
    Consulta as it was (its query string comes along)."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponseBase:
        if not tipos_visibles(request.user):
            raise PermissionDenied
        guardada = busqueda_de(request.user, pk)
        services.busqueda_eliminar(usuario=request.user, pk=pk)
        messages.success(
            request,
            pgettext("consulta", "Saved search «%(nombre)s» deleted.")
            % {"nombre": guardada.nombre},
        )
        return redirect(f"{reverse('consulta:inicio')}?{request.GET.urlencode()}")
