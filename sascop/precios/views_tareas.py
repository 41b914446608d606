"""The import pages of a large workbook, whose import runs on the task queue.

The upload (or the confirmation) queues the import and sends the browser here: the page's
address names the task, so the user may leave and come back. While the task waits or runs,
a progress bar follows it (sascop.js polls `GET /operaciones/api/tareas/<id>/` and reloads the
page when it ends); once it has ended, the page is the one the import shows without the queue:
the preview with its "Confirmar", the result, or the refusal.
"""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django_tasks import default_task_backend
from django_tasks.exceptions import TaskResultDoesNotExist

from sascop.accounts.decorators import permission_required_page
from sascop.accounts.models import User
from sascop.core.pages.comunes import errores_de_pagina
from sascop.precios import tareas, views_anexo
from sascop.precios.forms import ImportarForm, RegistroForm
from sascop.precios.models import ArchivoImportacion
from sascop.precios.views_importar import (
    FILAS_MOSTRADAS,
    IMPORTAR,
    IMPORTAR_OTS,
    PERMISOS_OTS,
    PERMISOS_PRECIOS,
    _contexto_precios,
    _rechazo,
    _usuario,
)
from sascop.tareas.selectors import tarea_de, tarea_estado


def _seguimiento(usuario: User, tarea_id: uuid.UUID, tipo: str) -> dict[str, Any]:
    """The task's state and what it was asked (simular, the kept workbook); 404 for a task
    that is not this user's import of `tipo`."""
    tarea = tarea_de(str(tarea_id), usuario)
    if tarea is None or tarea.tipo != tipo:
        raise Http404
    estado = tarea_estado(tarea)
    try:
        pedido = default_task_backend.get_result(str(tarea.pk)).kwargs
    except TaskResultDoesNotExist:  # pruned from the queue long after it ended
        pedido = {}
    archivo_id = pedido.get("archivo_id")
    archivo = (
        ArchivoImportacion.objects.filter(pk=archivo_id, creado_por=usuario).first()
        if isinstance(archivo_id, int)
        else None
    )
    return {
        **estado,
        "pedido": pedido,
        "tarea": tarea,
        "simular": pedido.get("simular", False),
        "archivo": archivo,
        "url": reverse("operaciones:tarea-detalle", kwargs={"tarea_id": tarea.pk}),
    }


def _progreso(seguimiento: dict[str, Any]) -> dict[str, Any] | None:
    """What the progress bar shows, while the task waits or runs (None once it has ended)."""
    if seguimiento["estado"] not in ("en_cola", "ejecutando"):
        return None
    return seguimiento


def _sin_terminar(seguimiento: dict[str, Any]) -> str:
    """Why a task that did not finish left nothing: its refusal, or the worker stopping."""
    error = seguimiento.get("error")
    if error:
        mensajes = [m for campo in (error.get("fields") or {}).values() for m in campo]
        return " ".join([error["detail"], *mensajes])
    if seguimiento["estado"] == "desconocido":
        return gettext("This import is no longer kept; upload the workbook again.")
    return gettext(
        "The import stopped before it finished and nothing was saved; upload the workbook again."
    )


@never_cache
@permission_required_page(*PERMISOS_PRECIOS)
@require_GET
@errores_de_pagina
def precios_importar_tarea(request: HttpRequest, tarea_id: uuid.UUID) -> HttpResponse:
    """A large price book's preview or import, on the task queue: its progress, then what
    it did."""
    seguimiento = _seguimiento(_usuario(request), tarea_id, tareas.TIPO_PRECIOS)
    contexto = _contexto_precios(ImportarForm(), progreso=_progreso(seguimiento))
    if seguimiento["estado"] == "terminada":
        importacion = tareas.importacion_de(seguimiento["resultado"])
        clave = "vista" if seguimiento["simular"] else "resultado"
        contexto[clave] = importacion
        contexto["pendiente"] = seguimiento["archivo"]
        contexto["mensaje"] = seguimiento["resultado"]["mensaje"]
        contexto["totales"] = {
            n: importacion.total(n) for n in ("creados", "actualizados", "sin_cambios")
        }
    elif contexto["progreso"] is None:
        filas = (seguimiento.get("error") or {}).get("filas") or []
        contexto.update(error=True, legible=bool(filas))
        if filas and seguimiento["archivo"] is not None:
            contexto.update(rechazo=_rechazo(filas), fallido=seguimiento["archivo"])
        else:
            contexto.update(legible=False, interrumpida=True, detalle=_sin_terminar(seguimiento))
    return render(request, IMPORTAR, contexto)


@never_cache
@permission_required_page(*PERMISOS_OTS)
@require_GET
@errores_de_pagina
def ots_importar_tarea(request: HttpRequest, tarea_id: uuid.UUID) -> HttpResponse:
    """A large register of OTs' preview or import, on the task queue: its progress, then
    what it did."""
    seguimiento = _seguimiento(_usuario(request), tarea_id, tareas.TIPO_OTS)
    form = RegistroForm()
    contexto: dict[str, Any] = {"form": form, "progreso": _progreso(seguimiento)}
    if seguimiento["estado"] == "terminada":
        r = seguimiento["resultado"]
        contexto.update(
            r=r,
            mensaje=r["mensaje"],
            rechazo=_rechazo(r["rechazadas"]),
            advertencias=r["advertencias"][:FILAS_MOSTRADAS],
        )
        if seguimiento["simular"]:
            contexto.update(vista=r, pendiente=seguimiento["archivo"])
        elif r["rechazadas"]:
            contexto["fallido"] = seguimiento["archivo"]
    elif contexto["progreso"] is None:
        form.add_error(
            None,
            gettext("The register could not be imported: %(reason)s")
            % {"reason": _sin_terminar(seguimiento)},
        )
    return render(request, IMPORTAR_OTS, contexto)


@never_cache
@permission_required_page(views_anexo.PERMISO_IMPORTAR)
@require_GET
@errores_de_pagina
def anexo_importar_tarea(request: HttpRequest, ot_id: int, tarea_id: uuid.UUID) -> HttpResponse:
    """A large OT anexo's import, on the task queue: its progress on the anexo page; once
    imported, the anexo page saying so; refused, its wrong lines and their observations."""
    seguimiento = _seguimiento(_usuario(request), tarea_id, tareas.TIPO_ANEXO)
    if seguimiento["pedido"].get("ot_id", ot_id) != ot_id:
        raise Http404
    if seguimiento["estado"] == "terminada":
        r = seguimiento["resultado"]
        texto = views_anexo.importado(
            r["version"], r["partidas"], Decimal(r["importe_mn"]), Decimal(r["importe_usd"])
        )
        messages.success(request, texto)
        return redirect("ots:anexo", ot_id=ot_id)
    progreso = _progreso(seguimiento)
    if progreso is not None:
        return views_anexo._pagina(request, ot_id, progreso=progreso)
    error = seguimiento.get("error") or {}
    if error.get("filas") and error.get("observaciones"):
        return views_anexo._pagina(
            request,
            ot_id,
            error=gettext("The workbook has lines with errors; nothing was imported."),
            filas=error["filas"],
            observaciones=error["observaciones"],
        )
    form = views_anexo.AnexoForm()
    form.add_error(
        "archivo",
        gettext("The workbook could not be read: %(reason)s")
        % {"reason": _sin_terminar(seguimiento)},
    )
    return views_anexo._pagina(request, ot_id, form)
