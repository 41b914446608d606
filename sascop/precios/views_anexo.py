"""The page of an OT's Anexo C (`/ots/<id>/anexo/`): the active version's lines and totals,
the upload of a new version, the rows a refused workbook got wrong, earlier versions.

It calls the same selectors and services as `AnexoOTApi`; the workbook downloads (the
anexo exported, a refused workbook with its OBSERVACIONES column) are that API's own
answers, linked from here. Kept apart from the price book's pages (`/precios/`).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from sascop.accounts.current import current_user
from sascop.accounts.decorators import permission_required_page
from sascop.core.errors import NotFound
from sascop.core.pages.comunes import errores_de_pagina
from sascop.core.pages.formularios import Formulario
from sascop.core.templatetags.formato import dinero
from sascop.ots import selectors as ots
from sascop.precios import selectors, services, tareas, textos
from sascop.precios.forms import campo_libro
from sascop.precios.serializers import anexo_ot as datos_del_anexo
from sascop.tareas.models import Tarea

PAGINA = "precios/anexo_ot.html"
PERMISO_IMPORTAR = "precios.add_anexoot"


class AnexoForm(Formulario):
    """A workbook to import as the OT's new anexo version."""

    archivo = campo_libro(
        _("Excel workbook (.xlsx)"),
        _(
            "Headers ANEXO, PARTIDA, CONCEPTO, UNIDAD and VOLUMEN PTE (and, if you like, "
            "P.U. M.N., P.U. USD and a column per programmed day). Up to 10 MB."
        ),
    )
    modo = forms.ChoiceField(
        label=_("Mode"),
        choices=[
            (services.Modo.REEMPLAZAR.value, _("Replace: the workbook is the new anexo")),
            (services.Modo.ACTUALIZAR.value, _("Update: add only the new items")),
        ],
        initial=services.Modo.REEMPLAZAR.value,
        widget=forms.RadioSelect,
    )


def _entero(valor: str | None) -> int | None:
    try:
        return int(valor) if valor else None
    except ValueError:
        return None


# A refused workbook's rows shown on the page; all of them are in the download.
FILAS_MOSTRADAS = 50


def _pagina(
    request: HttpRequest,
    ot_id: int,
    form: AnexoForm | None = None,
    *,
    status: int = 200,
    error: str = "",
    filas: list[dict[str, Any]] | None = None,
    observaciones: str = "",
    progreso: dict[str, Any] | None = None,
) -> HttpResponse:
    ot = ots.ot_cabecera(ot_id)
    version = _entero(request.GET.get("version"))
    try:
        anexo = selectors.anexo_ot(ot_id, version)
    except NotFound:
        if version is not None:
            raise
        anexo = None
    datos = None
    tipo_cambio = selectors.tipo_cambio_vigente(timezone.localdate())
    exportar = ""
    api = reverse("operaciones:ots-anexo", args=[ot_id])
    if anexo is not None:
        datos = datos_del_anexo(anexo, tipo_cambio)
        exportar = f"{api}?formato=xlsx&version={anexo.version}"
    puede_importar = request.user.has_perm(PERMISO_IMPORTAR)
    context = {
        "ot": ot,
        "anexo": anexo,
        "datos": datos,
        "tipo_cambio": tipo_cambio,
        "versiones": selectors.anexo_versiones(ot_id),
        "exportar_url": exportar,
        "puede_importar": puede_importar,
        "form": form if form is not None else (AnexoForm() if puede_importar else None),
        "error": error,
        # Counts by kind first, then the first rows: never a page as long as the workbook.
        "por_tipo": textos.por_tipo(filas or []),
        "filas_error": (filas or [])[:FILAS_MOSTRADAS],
        "filas_ocultas": max(0, len(filas or []) - FILAS_MOSTRADAS),
        "observaciones_url": observaciones,
        # An import on the task queue, while it waits or runs (views_tareas).
        "progreso": progreso,
    }
    return render(request, PAGINA, context, status=status)


@never_cache
@permission_required_page("ots.view_ot")
@require_http_methods(["GET", "HEAD", "POST"])
@errores_de_pagina
def anexo_ot(request: HttpRequest, ot_id: int) -> HttpResponse:
    """The OT's anexo (`?version=` an earlier one) and, for who may import, the upload of a
    new version. A refused workbook imports nothing: the page lists each wrong row with its
    reasons and links to the same workbook with an OBSERVACIONES column."""
    if request.method != "POST":
        return _pagina(request, ot_id)
    if not request.user.has_perm(PERMISO_IMPORTAR):
        raise PermissionDenied
    form = AnexoForm(request.POST, request.FILES)
    if not form.is_valid():
        return _pagina(request, ot_id, form, status=400)
    archivo = form.cleaned_data["archivo"]
    if archivo.size > settings.MAX_UPLOAD_BODY_BYTES:
        limite = settings.MAX_UPLOAD_BODY_BYTES // (1024 * 1024)
        form.add_error("archivo", gettext("The file may not exceed %(n)s MB.") % {"n": limite})
        return _pagina(request, ot_id, form, status=413)
    try:
        resultado = tareas.anexo_importar_o_encolar(
            usuario=current_user(request),
            ot_id=ot_id,
            modo=form.cleaned_data["modo"],
            libro=archivo,
            nombre_archivo=archivo.name or "",
        )
    except services.AnexoInvalido as exc:
        importacion = exc.extra["importacion"]
        return _pagina(
            request,
            ot_id,
            form,
            status=422,
            error=gettext("The workbook has lines with errors; nothing was imported."),
            filas=exc.extra.get("filas", []),
            observaciones=reverse("operaciones:ots-anexo-errores", args=[ot_id, importacion]),
        )
    except services.LibroInvalido as exc:
        form.add_error(
            "archivo",
            gettext("The workbook could not be read: %(reason)s") % {"reason": exc.detail},
        )
        return _pagina(request, ot_id, form, status=exc.status)
    if isinstance(resultado, Tarea):
        # A large anexo is imported by the task worker; the page follows its progress.
        return redirect("ots:anexo-tarea", ot_id=ot_id, tarea_id=resultado.pk)
    messages.success(
        request,
        importado(
            resultado.anexo.version,
            resultado.partidas,
            resultado.importe_mn,
            resultado.importe_usd,
        ),
    )
    return redirect("ots:anexo", ot_id=ot_id)


def importado(version: int, partidas: int, importe_mn: Any, importe_usd: Any) -> str:
    """What the page says of an anexo imported."""
    return ngettext(
        "Anexo version %(version)s imported: %(n)s item, %(mxn)s and %(usd)s.",
        "Anexo version %(version)s imported: %(n)s items, %(mxn)s and %(usd)s.",
        partidas,
    ) % {
        "version": version,
        "n": partidas,
        "mxn": dinero(importe_mn, "MXN"),
        "usd": dinero(importe_usd, "USD"),
    }


# Its body may be a workbook of up to MAX_UPLOAD_BODY_BYTES (see RequestSizeLimitMiddleware).
anexo_ot.accepts_uploads = True  # type: ignore[attr-defined]
