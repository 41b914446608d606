"""The production pages: the list (filters, export) and the capture (one day of an OT, or
rows pasted from Excel with a preview). They call the same selectors and services as the
API; `captura` holds what turns typed text into rows."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, QueryDict
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from sascop.accounts.current import current_user
from sascop.accounts.decorators import permission_required_page
from sascop.core.paginas import exportar_url, fragmento, ordenar_tabla, paginar_tabla, url_si_existe
from sascop.ots.models import OT
from sascop.produccion import captura, exports, selectors
from sascop.produccion.forms import (
    CapturaDiaForm,
    CapturaOTForm,
    PegadoForm,
    ProduccionFiltroForm,
)
from sascop.produccion.tables import ProduccionTable

LISTA = "produccion/produccion_lista.html"
CAPTURA = "produccion/captura.html"


@never_cache
@permission_required_page("produccion.view_produccion")
def produccion_lista(request: HttpRequest) -> HttpResponseBase:
    """Production rows with filters beside them, in the query string; htmx swaps just the
    table. `?exportar=xlsx` answers the whole filtered list as a workbook."""
    filtros = ProduccionFiltroForm(request.GET)
    table = ProduccionTable(selectors.produccion_lista(filtros.parametros()))
    if request.GET.get("exportar") == "xlsx":
        return exports.produccion_xlsx(ordenar_tabla(table, request))
    paginar_tabla(table, request)
    context = {
        "filtros": filtros,
        "table": table,
        "puede_capturar": request.user.has_perm("produccion.add_produccion"),
        "exportar_url": exportar_url(request),
    }
    template = f"{LISTA}#tabla" if fragmento(request, "tabla-produccion") else LISTA
    return render(request, template, context)


# --- Capture -----------------------------------------------------------------------------


def _lista_de(ot: OT, revision: captura.Revision) -> str:
    """The list, filtered to what was just saved (this OT, those dates)."""
    fechas = [f.datos["fecha_produccion"] for f in revision.filas if f.datos]
    params = QueryDict(mutable=True)
    params["ot"] = ot.orden_trabajo
    if fechas:
        params["fecha_desde"] = min(fechas).isoformat()
        params["fecha_hasta"] = max(fechas).isoformat()
    return f"{reverse('produccion:lista')}?{params.urlencode()}"


def _volumenes(request: HttpRequest) -> dict[str, str]:
    """The day's volumes the form sent, by line key (`clave-<i>` names `vol-<i>`)."""
    volumenes: dict[str, str] = {}
    for nombre in request.POST:
        if nombre.startswith("clave-"):
            clave = request.POST.get(nombre, "")
            volumenes[clave] = request.POST.get(f"vol-{nombre.removeprefix('clave-')}", "")
    return volumenes


def _pagina_captura(
    request: HttpRequest,
    ot_form: CapturaOTForm,
    ot: OT | None,
    *,
    dia: CapturaDiaForm | None = None,
    pegado: PegadoForm | None = None,
    revision: captura.Revision | None = None,
    revision_dia: captura.Revision | None = None,
    status: int = 200,
) -> HttpResponse:
    lineas = captura.lineas_de(ot) if ot is not None else []
    escritos = _volumenes(request) if request.method == "POST" else {}
    errores_dia = {}
    if revision_dia is not None:
        errores_dia = {f.linea.clave: f.errores for f in revision_dia.filas if f.linea is not None}
    context: dict[str, Any] = {
        "ot_form": ot_form,
        "ot": ot,
        "ot_url": url_si_existe("ots:detalle", ot_id=ot.pk) if ot is not None else None,
        "dia": dia or CapturaDiaForm(initial={"tipo_tiempo": "TE"}),
        "lineas": [
            (i, linea, escritos.get(linea.clave, ""), errores_dia.get(linea.clave, []))
            for i, linea in enumerate(lineas)
        ],
        "revision_dia": revision_dia,
        "pegado": pegado or PegadoForm(),
        "revision": revision,
        "titulos": [captura.TITULOS[c] for c in captura.COLUMNAS],
        "columnas": captura.COLUMNAS,
    }
    if revision is not None and fragmento(request, "vista-previa"):
        return render(request, f"{CAPTURA}#vista-previa", context, status=status)
    return render(request, CAPTURA, context, status=status)


@never_cache
@permission_required_page("produccion.add_produccion")
@require_http_methods(["GET", "HEAD", "POST"])
def produccion_captura(request: HttpRequest) -> HttpResponse:
    """Pick an OT (`?ot=`), then capture one day of it line by line, or paste rows from a
    sheet: "Revisar" shows each row and what is wrong with it, "Guardar" saves all or none."""
    ot_form = CapturaOTForm(request.GET if "ot" in request.GET else None)
    ot = ot_form.cleaned_data["ot"] if ot_form.is_bound and ot_form.is_valid() else None
    if request.method != "POST" or ot is None:
        return _pagina_captura(
            request, ot_form, ot, status=200 if ot or not ot_form.is_bound else 400
        )
    usuario = current_user(request)
    accion = request.POST.get("accion", "")
    if accion == "dia":
        dia = CapturaDiaForm(request.POST)
        if not dia.is_valid():
            return _pagina_captura(request, ot_form, ot, dia=dia, status=400)
        revision = captura.guardar_dia(
            usuario=usuario,
            ot=ot,
            fecha=dia.cleaned_data["fecha"],
            tipo_tiempo=dia.cleaned_data["tipo_tiempo"],
            sitio=dia.cleaned_data["sitio"],
            volumenes=_volumenes(request),
            comentario=dia.cleaned_data["comentario"],
        )
        if revision.guardadas:
            messages.success(request, f"Se guardaron {revision.guardadas} filas de producción.")
            return redirect(_lista_de(ot, revision))
        for error in revision.errores:
            dia.add_error(None, error)
        return _pagina_captura(request, ot_form, ot, dia=dia, revision_dia=revision, status=400)
    pegado = PegadoForm(request.POST)
    if not pegado.is_valid():
        return _pagina_captura(request, ot_form, ot, pegado=pegado, status=400)
    texto = pegado.cleaned_data["texto"]
    if accion == "guardar":
        revision = captura.guardar_pegado(usuario=usuario, ot=ot, texto=texto)
        if revision.guardadas:
            messages.success(request, f"Se guardaron {revision.guardadas} filas de producción.")
            return redirect(_lista_de(ot, revision))
        return _pagina_captura(request, ot_form, ot, pegado=pegado, revision=revision, status=400)
    revision = captura.revisar_pegado(usuario=usuario, ot=ot, texto=texto)
    return _pagina_captura(request, ot_form, ot, pegado=pegado, revision=revision)
