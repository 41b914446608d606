"""The production pages: the list (filters, export) and the capture (one day of an OT, or
rows pasted from Excel with a preview). They call the same selectors and services as the
API; `captura` holds what turns typed text into rows."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, gettext_lazy, ngettext, pgettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from sascop.accounts.current import current_user
from sascop.accounts.decorators import permission_required_page
from sascop.core.errors import ApplicationError, PreconditionFailed
from sascop.core.pages.comunes import errores_de_pagina, exportar_url, fragmento
from sascop.core.pages.vistas import ListaView
from sascop.core.templatetags import formato
from sascop.ots.models import OT
from sascop.produccion import captura, exports, selectors, services
from sascop.produccion import views_reporte_mes as reporte_mes
from sascop.produccion.forms import (
    CapturaDiaForm,
    CapturaOTForm,
    PegadoForm,
    ProduccionFiltroForm,
    SabanaForm,
)
from sascop.produccion.models import ReporteDiario
from sascop.produccion.tables import ProduccionTable
from sascop.produccion.textos import textos_de_guardado

CAPTURA = "produccion/captura.html"
SABANA = "produccion/sabana.html"
CELDA = re.compile(r"^e-(\d+)-(\d+)$")
ERROR_DE_CELDA = re.compile(r"^partidas\[(\d+)\]\.ejecutado\.(\d+)$")


class ProduccionLista(ListaView):
    """Production rows with filters beside them, in the query string. `?exportar=xlsx`
    answers the whole filtered list as a workbook."""

    permisos_requeridos = ("produccion.view_produccion",)
    titulo = gettext_lazy("Production")
    tabla = ProduccionTable

    def filtros(self) -> ProduccionFiltroForm:
        self.filtros_ = ProduccionFiltroForm(self.request.GET)
        return self.filtros_

    def registros(self, filtros: ProduccionFiltroForm) -> QuerySet[Any]:
        return selectors.produccion_pagina(filtros.parametros())

    def preparar(self, table: Any, registros: list[Any]) -> None:
        selectors.relacionados_de(registros)

    def exportar(self, registros: QuerySet[Any]) -> HttpResponseBase:
        return exports.produccion_xlsx(registros)

    def acciones(self) -> list[dict[str, str]]:
        # The sheet and the capture open on the OT the list is filtered to.
        ot = self.filtros_.cleaned_data.get("ot") if self.filtros_.is_valid() else None
        de_la_ot = f"?ot={quote(ot.orden_trabajo, safe='/')}" if ot is not None else ""
        acciones = [
            {
                "texto": gettext("Month's sheet"),
                "url": f"{reverse('produccion:sabana')}{de_la_ot}",
                "clase": "boton-secundario",
            }
        ]
        if self.request.user.has_perm("produccion.add_produccion"):
            url = f"{reverse('produccion:captura')}{de_la_ot}"
            acciones.append({"texto": gettext("Capture production"), "url": url})
        return acciones


# --- Capture -----------------------------------------------------------------------------


def _guardadas(n: int) -> str:
    return ngettext("%(n)s production row was saved.", "%(n)s production rows were saved.", n) % {
        "n": n
    }


def _lista_de(ot: OT, revision: captura.Revision) -> str:
    """The list, filtered to what was just saved (this OT, those dates)."""
    fechas = [f.datos["fecha_produccion"] for f in revision.filas if f.datos]
    params = QueryDict(mutable=True)
    params["ot"] = ot.orden_trabajo
    if fechas:
        params["fecha_desde"] = min(fechas).isoformat()
        params["fecha_hasta"] = max(fechas).isoformat()
    return f"{reverse('produccion:lista')}?{params.urlencode()}"


def _volumenes(request: HttpRequest, prefijo: str = "vol") -> dict[str, str]:
    """The day's volumes the form sent, by line (`linea-<i>` names `vol-<i>`; with
    `prefijo="antes"`, the values the page had shown, `antes-<i>`)."""
    volumenes: dict[str, str] = {}
    for nombre in request.POST:
        if nombre.startswith("linea-"):
            linea = request.POST.get(nombre, "")
            volumenes[linea] = request.POST.get(f"{prefijo}-{nombre.removeprefix('linea-')}", "")
    return volumenes


def _dia_guardado(request: HttpRequest, ot: OT) -> tuple[CapturaDiaForm | None, dict[str, str]]:
    """With `?fecha=` (and `tipo_tiempo`, `sitio`): the day form set to that day and what is
    stored for it by line, as people write it, to correct it."""
    if "fecha" not in request.GET:
        return None, {}
    dia = CapturaDiaForm(request.GET)
    if not dia.is_valid():
        return dia, {}
    guardados = captura.guardados_del_dia(
        ot, dia.cleaned_data["fecha"], dia.cleaned_data["tipo_tiempo"], dia.cleaned_data["sitio"]
    )
    return dia, {linea: _sin_ceros(str(v)) for linea, v in guardados.items()}


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
    cargado, mostrados = _dia_guardado(request, ot) if ot is not None else (None, {})
    dia = dia or cargado
    escritos = _volumenes(request) if request.method == "POST" else mostrados
    if request.method == "POST":
        mostrados = _volumenes(request, "antes")
    errores_dia = {}
    if revision_dia is not None:
        errores_dia = {f.linea.id: f.errores for f in revision_dia.filas if f.linea is not None}
    context: dict[str, Any] = {
        "ot_form": ot_form,
        "ot": ot,
        "ot_url": reverse("ots:detalle", kwargs={"ot_id": ot.pk}) if ot is not None else None,
        "dia": dia or CapturaDiaForm(initial={"tipo_tiempo": "TE"}),
        "lineas": [
            (
                i,
                linea,
                escritos.get(linea.id, ""),
                errores_dia.get(linea.id, []),
                mostrados.get(linea.id, ""),
            )
            for i, linea in enumerate(lineas)
        ],
        "dia_cargado": bool(mostrados),
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
            mostrados=_volumenes(request, "antes"),
        )
        if revision.guardadas:
            messages.success(request, _guardadas(revision.guardadas))
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
            messages.success(request, _guardadas(revision.guardadas))
            return redirect(_lista_de(ot, revision))
        return _pagina_captura(request, ot_form, ot, pegado=pegado, revision=revision, status=400)
    revision = captura.revisar_pegado(usuario=usuario, ot=ot, texto=texto)
    return _pagina_captura(request, ot_form, ot, pegado=pegado, revision=revision)


@never_cache
@permission_required_page("produccion.view_produccion")
@require_http_methods(["GET", "HEAD"])
def produccion_ots(request: HttpRequest) -> JsonResponse:
    """The OTs whose number or description contain `?q=`, for the OT fields' suggestions."""
    return JsonResponse({"ots": selectors.ots_sugeridas(request.GET.get("q", "")[:60])})


# --- The monthly sheet -------------------------------------------------------------------


def _celdas_enviadas(request: HttpRequest) -> dict[int, dict[str, str]]:
    """The executed volumes the grid sent, by line and day (`e-<line>-<day>`)."""
    celdas: dict[int, dict[str, str]] = {}
    for nombre in request.POST:
        if match := CELDA.match(nombre):
            valor = request.POST.get(nombre, "")
            celdas.setdefault(int(match.group(1)), {})[match.group(2)] = valor.strip()
    return celdas


def _sin_ceros(valor: str) -> str:
    texto = format(Decimal(valor), "f")
    return texto.rstrip("0").rstrip(".") if "." in texto else texto


def _filas_de_sabana(
    datos: dict[str, Any],
    escritas: dict[int, dict[str, str]] | None,
    errores: dict[tuple[int, str], list[str]],
    puede_editar: bool,
) -> list[dict[str, Any]]:
    """Each line of the sheet with its day cells as the form (without scripts) shows them:
    programmed, executed (as typed, when the page comes back with errors), excess, and the
    cell's errors. The cells come as HTML made here (`celdas_html`), each through
    `format_html`: a 500-line month is 15,500 cells, and the template language takes
    seconds over as many."""
    firmados = {dia for dia, estado in datos["reportes"].items() if estado == "FIRMADO"}
    etiqueta = gettext("%(anexo)s %(partida)s, day %(dia)s")
    programado_txt, exceso_txt = gettext("programmed"), gettext("excess")
    exceso_titulo = gettext("Excess")
    volumenes: dict[str, str] = {}

    def volumen(valor: str) -> str:
        if valor not in volumenes:
            volumenes[valor] = formato.volumen(valor)
        return volumenes[valor]

    filas = []
    for partida in datos["partidas"]:
        linea = partida["partida_anexo"]
        celdas = []
        for dia in map(str, datos["dias"]):
            if escritas is not None and linea in escritas:
                valor = escritas[linea].get(dia, "")
            else:  # as people write it: 12, 12.5 (not the stored 12.0000)
                guardado = partida["ejecutado"].get(dia)
                valor = _sin_ceros(guardado) if guardado else ""
            programado = partida["programado"].get(dia)
            excedente = partida["excedente"].get(dia)
            mensajes = " ".join(errores.get((linea, dia), []))
            texto = etiqueta % {
                "anexo": partida["anexo"],
                "partida": partida["partida"],
                "dia": dia,
            }
            if programado:
                texto += f" ({programado_txt} {volumen(programado)})"
            if excedente:
                texto += f", {exceso_txt} {volumen(excedente)}"
            clase = "celda"
            if excedente:
                clase += " con-excedente"
            if dia in firmados:
                clase += " firmado"
            if mensajes:
                clase += " celda-con-error"
            celdas.append(
                format_html(
                    '<td class="{}"{}><span class="programado" aria-hidden="true">{}</span>'
                    '<input type="text" inputmode="decimal" name="e-{}-{}" value="{}" '
                    'aria-label="{}"{}{}>{}</td>',
                    clase,
                    format_html(' title="{}: {}"', exceso_titulo, volumen(excedente))
                    if excedente
                    else "",
                    volumen(programado) if programado else "",
                    linea,
                    dia,
                    valor,
                    texto,
                    " readonly" if dia in firmados or not puede_editar else "",
                    format_html(' aria-invalid="true" title="{}"', mensajes) if mensajes else "",
                    format_html('<span class="error-celda">{}</span>', mensajes)
                    if mensajes
                    else "",
                )
            )
        filas.append({**partida, "celdas_html": mark_safe("".join(celdas))})  # noqa: S308
    return filas


def _api_de_sabana(consulta: dict[str, Any]) -> str:
    """The sheet's API address, for the grid to save through (PATCH) and read again."""
    params = QueryDict(mutable=True)
    params.update(
        {
            "ot": str(consulta["ot_id"]),
            "anio": str(consulta["anio"]),
            "mes": str(consulta["mes"]),
            "tipo_tiempo": consulta["tipo_tiempo"],
        }
    )
    if consulta["sitio_id"]:
        params["sitio"] = str(consulta["sitio_id"])
    return f"{reverse('operaciones:produccion-sabana')}?{params.urlencode()}"


def _primer_dia_futuro(anio: int, mes: int) -> int:
    """The first day of the month that is still to come (the grid does not take it yet)."""
    hoy = timezone.localdate()
    if (anio, mes) < (hoy.year, hoy.month):
        return 32
    if (anio, mes) > (hoy.year, hoy.month):
        return 1
    return hoy.day + 1


def _textos_rejilla() -> dict[str, str]:
    """What the grid's script writes for people, in the page's language."""
    return {
        "etiqueta": gettext("Month sheet"),
        "reporte_diario": gettext("Daily report"),
        "reporte_dia": gettext("Daily report day %(dia)s"),
        "reporte_no_guardado": gettext("The daily report was not saved:"),
        "partida": gettext("Partida"),
        "autorizado": gettext("Authorised"),
        "importe_mn": gettext("Amount M.N."),
        "importe_usd": pgettext("priced lines", "Amount USD"),
        "programado": gettext("programmed"),
        "excedente": gettext("Excess"),
        "firmado": gettext("Signed off (FIRMADO): it cannot change."),
        "futuro": gettext("A day still to come: it cannot be captured yet."),
        "no_es_volumen": gettext("Not a volume."),
        "negativo": gettext("A volume cannot be negative."),
        "decimales": gettext("At most 4 decimal places."),
        "ajena": gettext("Someone else changed this cell while you were editing; saved now:"),
        **textos_de_guardado(),
        "conflicto": gettext(
            "Someone else saved this sheet while you were editing. Your changes are kept and "
            "the cells they changed are outlined in blue: review them and save again."
        ),
        "celdas_malas": gettext("Nothing was saved: check the cells marked in red."),
        "pegado_fuera": gettext(
            "Some pasted cells fell outside the sheet or on days that cannot change and were "
            "left out."
        ),
        "invalidas": gettext("Correct the cells that are not valid before saving."),
    }


def _pagina_sabana(
    request: HttpRequest,
    form: SabanaForm,
    *,
    escritas: dict[int, dict[str, str]] | None = None,
    errores: dict[tuple[int, str], list[str]] | None = None,
    aviso: str = "",
    status: int = 200,
) -> HttpResponse:
    context: dict[str, Any] = {"form": form, "aviso": aviso}
    if form.is_bound and form.is_valid():
        try:
            cuerpo, version = selectors.sabana_json(**form.consulta())
        except ApplicationError as exc:  # a site the OT cannot use, say
            form.add_error(None, str(exc.detail))
            return render(request, SABANA, context, status=400)
        datos = json.loads(cuerpo)
        ot = form.cleaned_data["ot"]
        visibles = {(p["partida_anexo"], str(d)) for p in datos["partidas"] for d in datos["dias"]}
        # A cell the grid does not show (a line or day sent that is not on this sheet) is
        # named in the notice instead, or nothing on the page would say what is wrong.
        ocultas = [
            gettext("Line %(linea)s, day %(dia)s: %(mensajes)s")
            % {"linea": linea, "dia": dia, "mensajes": " ".join(mensajes)}
            for (linea, dia), mensajes in (errores or {}).items()
            if (linea, dia) not in visibles
        ]
        if ocultas:
            context["aviso"] = " ".join([aviso, *ocultas])
        puede_editar = (
            request.user.has_perm("produccion.change_produccion")
            and request.user.has_perm("produccion.add_produccion")
            and request.user.has_perm("produccion.delete_produccion")
        )
        consulta = form.consulta()
        context.update(
            {
                "datos": datos,
                "version": version,
                "ot": ot,
                "ot_url": reverse("ots:detalle", kwargs={"ot_id": ot.pk}),
                "filas": _filas_de_sabana(datos, escritas, errores or {}, puede_editar),
                "puede_editar": puede_editar,
                "exportar_url": exportar_url(request),
                "con_errores": bool(errores),
                "rejilla": {
                    "datos": datos,
                    "version": version,
                    "api": _api_de_sabana(consulta),
                    "editable": puede_editar,
                    "primer_dia_futuro": _primer_dia_futuro(consulta["anio"], consulta["mes"]),
                    "reportes": {
                        "api": reverse("operaciones:ots-reportes-diarios", args=[ot.pk])
                        + f"?anio={consulta['anio']}&mes={consulta['mes']}",
                        "sitio": datos["sitio"],
                        "editable": request.user.has_perms(
                            ["produccion.add_reportediario", "produccion.change_reportediario"]
                        ),
                        "estados": list(ReporteDiario.Estatus.values),
                    },
                },
                "textos_rejilla": _textos_rejilla(),
                "reporte_mes": reporte_mes.contexto(
                    request,
                    ot_id=ot.pk,
                    anio=consulta["anio"],
                    mes=consulta["mes"],
                    sitio_id=datos["sitio"],
                ),
            }
        )
    return render(request, SABANA, context, status=status)


def _sabana_form(request: HttpRequest) -> SabanaForm:
    if "ot" not in request.GET:
        hoy = timezone.localdate()
        return SabanaForm(initial={"anio": hoy.year, "mes": hoy.month})
    datos = request.GET.copy()
    hoy = timezone.localdate()
    datos.setdefault("anio", str(hoy.year))
    datos.setdefault("mes", str(hoy.month))
    return SabanaForm(datos)


@never_cache
@permission_required_page("produccion.view_produccion")
@require_http_methods(["GET", "HEAD", "POST"])
@errores_de_pagina
def produccion_sabana(request: HttpRequest) -> HttpResponseBase:
    """The month's sheet of an OT as a grid: per line of its anexo and day, the programmed
    volume and the executed one (editable), the excess marked; signed-off days locked.
    Saving sends the whole month with the version it was drawn from (the API's PUT rule).
    `?exportar=xlsx` answers the sheet as a workbook."""
    form = _sabana_form(request)
    valida = form.is_bound and form.is_valid()
    if valida and request.GET.get("exportar") == "xlsx":
        return exports.sabana_xlsx(selectors.sabana(**form.consulta()))
    if request.method != "POST":
        return _pagina_sabana(request, form, status=200 if valida or not form.is_bound else 400)
    if not valida:
        return _pagina_sabana(request, form, status=400)
    if not (
        request.user.has_perm("produccion.add_produccion")
        and request.user.has_perm("produccion.change_produccion")
        and request.user.has_perm("produccion.delete_produccion")
    ):
        raise PermissionDenied(gettext("Your role cannot capture production."))
    escritas = _celdas_enviadas(request)
    lineas = sorted(escritas)
    try:
        services.sabana_guardar(
            usuario=current_user(request),
            partidas=[{"partida_anexo": linea, "ejecutado": escritas[linea]} for linea in lineas],
            if_match=request.POST.get("version", ""),
            **form.consulta(),
        )
    except PreconditionFailed:
        aviso = gettext(
            "Someone else saved this sheet while you were editing it. Nothing was saved: what "
            "you wrote is still here. Check it and save again to apply it."
        )
        return _pagina_sabana(request, form, escritas=escritas, aviso=aviso, status=412)
    except ApplicationError as exc:
        errores: dict[tuple[int, str], list[str]] = {}
        otros: list[str] = []
        for campo, mensajes in (exc.fields or {}).items():
            match = ERROR_DE_CELDA.match(campo)
            if match and int(match.group(1)) < len(lineas):
                errores[(lineas[int(match.group(1))], match.group(2))] = [str(m) for m in mensajes]
            else:
                otros.append(f"{campo}: {' '.join(str(m) for m in mensajes)}")
        aviso = gettext("Nothing was saved.") + " " + (
            " ".join([gettext("Check the marked cells."), *otros]) if errores or otros
            else str(exc.detail)
        )  # fmt: skip
        return _pagina_sabana(
            request, form, escritas=escritas, errores=errores, aviso=aviso, status=exc.status
        )
    messages.success(request, gettext("Sheet saved."))
    return redirect(request.get_full_path())
