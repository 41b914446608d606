"""The estimaciones pages: every OT's (filtered by state, client and month), an OT's (where
they are drawn up), one estimación (its lines, its steps, its downloads). They call the same
selectors and services as the API."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.http import require_http_methods

from sascop.accounts.current import current_user
from sascop.accounts.decorators import permission_required_page
from sascop.core.api.etags import etag_for
from sascop.core.errors import ApplicationError, PreconditionFailed
from sascop.core.excel import respuesta_xlsx
from sascop.core.pages.columnas import encabezados, filas
from sascop.core.pages.comunes import errores_de_pagina
from sascop.core.pages.vistas import ListaView
from sascop.estimaciones import exports, selectors, services
from sascop.estimaciones.forms import EstatusForm, EstimacionFiltroForm, EstimacionNuevaForm
from sascop.estimaciones.models import Estimacion
from sascop.estimaciones.tables import COLUMNAS, EstimacionTable
from sascop.ots.models import OT

VER = "estimaciones.view_estimacion"


class EstimacionLista(ListaView):
    """Every OT's estimaciones, filtered by state, client and month; `?exportar=xlsx`."""

    permisos_requeridos = (VER,)
    titulo = gettext_lazy("Estimaciones")
    tabla = EstimacionTable
    filtra_con_htmx = True

    def filtros(self) -> EstimacionFiltroForm:
        return EstimacionFiltroForm(self.request.GET)

    def registros(self, filtros: EstimacionFiltroForm) -> QuerySet[Any]:
        return selectors.estimaciones_lista(filtros.parametros())

    def exportar(self, registros: QuerySet[Any]) -> HttpResponseBase:
        return respuesta_xlsx(
            encabezados(COLUMNAS),
            filas(COLUMNAS, registros),
            nombre="estimaciones",
            hoja=gettext_lazy("Estimaciones"),
        )


def _errores_en(form: Any, exc: ApplicationError) -> None:
    """A service's refusal shown on the form: next to its fields, or above them."""
    if isinstance(exc, PreconditionFailed):
        form.add_error(
            None, gettext("Someone else changed this estimación meanwhile; review it and retry.")
        )
        return
    if not exc.fields:
        form.add_error(None, str(exc.detail))
        return
    for campo, errores in exc.fields.items():
        for error in errores:
            form.add_error(campo if campo in form.fields else None, str(error))


def _pasos(estimacion: Estimacion) -> list[tuple[str, str]]:
    etiquetas = dict(Estimacion.Estatus.choices)
    return [(paso, etiquetas[paso]) for paso in services.PASOS[estimacion.estatus]]


@errores_de_pagina
@permission_required_page(VER)
@require_http_methods(["GET", "HEAD", "POST"])
def estimacion_view(request: HttpRequest, estimacion_id: int) -> HttpResponse:
    """One estimación: header, lines by anexo with subtotals, total, excedentes apart, its
    history; for those allowed, the form that moves it to its next state."""
    estimacion = selectors.estimacion_detalle(estimacion_id)
    puede = request.user.has_perm("estimaciones.change_estimacion")
    form = None
    if puede and services.PASOS[estimacion.estatus]:
        form = EstatusForm(
            request.POST if request.method == "POST" else None,
            opciones=_pasos(estimacion),
            initial={"version": etag_for(estimacion)},
        )
    if request.method == "POST":
        if form is None:
            if not puede:
                raise PermissionDenied
            raise Http404  # nothing follows its state
        if form.is_valid():
            try:
                services.estimacion_actualizar(
                    usuario=current_user(request),
                    estimacion_id=estimacion.pk,
                    datos={
                        "estatus": form.cleaned_data["estatus"],
                        "motivo_rechazo": form.cleaned_data["motivo_rechazo"],
                    },
                    if_match=form.cleaned_data["version"],
                )
            except ApplicationError as exc:
                _errores_en(form, exc)
            else:
                messages.success(request, gettext("The estimación was updated."))
                return redirect("estimaciones:detalle", estimacion_id=estimacion.pk)
    return render(
        request,
        "estimaciones/detalle.html",
        {
            "e": estimacion,
            "encabezado": exports.encabezado(estimacion),
            "grupos": exports.grupos(estimacion),
            "excedentes": [p for p in estimacion.partidas.all() if p.excedente > 0],
            "eventos": list(estimacion.eventos.all()),
            "form": form,
        },
        status=400 if form is not None and form.errors else 200,
    )


@errores_de_pagina
@permission_required_page(VER)
@require_http_methods(["GET", "HEAD"])
def estimacion_xlsx_view(request: HttpRequest, estimacion_id: int) -> HttpResponseBase:
    """The estimación as a claim workbook."""
    return exports.xlsx_respuesta(selectors.estimacion_detalle(estimacion_id))


@errores_de_pagina
@permission_required_page(VER)
@require_http_methods(["GET", "HEAD"])
def estimacion_pdf_view(request: HttpRequest, estimacion_id: int) -> HttpResponseBase:
    """The estimación as a PDF."""
    return exports.pdf_respuesta(selectors.estimacion_detalle(estimacion_id))


@errores_de_pagina
@permission_required_page(VER, "ots.view_ot")
@require_http_methods(["GET", "HEAD", "POST"])
def ot_estimaciones_view(request: HttpRequest, ot_id: int) -> HttpResponse:
    """An OT's estimaciones and, for those allowed, the form that draws up a new one."""
    ot = OT.objects.select_related("cliente").filter(pk=ot_id).first()
    if ot is None:
        raise Http404
    puede = request.user.has_perm("estimaciones.add_estimacion")
    form = EstimacionNuevaForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if not puede:
            raise PermissionDenied
        if form.is_valid():
            try:
                estimacion = services.estimacion_crear(
                    usuario=current_user(request), ot_id=ot.pk, **form.cleaned_data
                )
            except ApplicationError as exc:
                _errores_en(form, exc)
            else:
                messages.success(
                    request,
                    gettext("Estimación E-%(n)s drawn up as a draft.") % {"n": estimacion.numero},
                )
                return redirect("estimaciones:detalle", estimacion_id=estimacion.pk)
    return render(
        request,
        "estimaciones/ot.html",
        {
            "ot": ot,
            "estimaciones": list(selectors.estimaciones_lista({"ot": ot.pk})),
            "form": form if puede else None,
            "lista_url": reverse("estimaciones:lista"),
        },
        status=400 if form.errors else 200,
    )
