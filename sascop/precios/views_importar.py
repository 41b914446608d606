"""The import pages: upload → preview → confirm, for the price book (or the PUE list) and for
the register of OTs.

The upload runs the import as a dry run (`simular`) and keeps the workbook; the preview says
what the import will create, update and leave alone; "Confirmar" imports the kept workbook.
A refused workbook shows its problems counted by kind, then its first rows, and offers the
same workbook back with an OBSERVACIONES column. Same services and permissions as the API.
"""

from __future__ import annotations

import io
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from sascop.accounts.current import current_user
from sascop.accounts.decorators import permission_required_page
from sascop.accounts.models import User
from sascop.core.errors import InvalidInput
from sascop.core.pages.comunes import errores_de_pagina
from sascop.core.pages.formularios import mostrar_errores
from sascop.precios import importar_ots, libros_salida, selectors, services, tareas, textos
from sascop.precios.forms import ImportarForm, RegistroForm
from sascop.precios.models import ArchivoImportacion
from sascop.tareas.models import Tarea

IMPORTAR = "precios/importar.html"
IMPORTAR_OTS = "precios/importar_ots.html"
PERMISOS_PRECIOS = ("precios.add_concepto", "precios.change_concepto")
PERMISOS_OTS = ("ots.add_ot", "ots.change_ot")
# A refused workbook's rows shown on the page; the rest are in the download.
FILAS_MOSTRADAS = 50


def _usuario(request: HttpRequest) -> User:
    usuario = current_user(request)
    if usuario is None or not usuario.is_authenticated:
        raise PermissionDenied
    return usuario


def _xlsx(contenido: bytes, nombre: str) -> HttpResponse:
    respuesta = HttpResponse(contenido, content_type=libros_salida.TIPO_XLSX)
    respuesta["Content-Disposition"] = f'attachment; filename="{nombre}"'
    return respuesta


def _rechazo(filas: list[dict[str, Any]]) -> dict[str, Any]:
    """What a page shows of refused rows: counts by kind, then the first rows."""
    return {
        "por_tipo": textos.por_tipo(filas),
        "filas": filas[:FILAS_MOSTRADAS],
        "total_filas": len(filas),
        "ocultas": max(0, len(filas) - FILAS_MOSTRADAS),
    }


# --- the price book ---------------------------------------------------------------------------


def _contexto_precios(form: ImportarForm, **extra: Any) -> dict[str, Any]:
    return {"form": form, "contratos": selectors.contratos_numeros(), **extra}


@never_cache
@permission_required_page(*PERMISOS_PRECIOS)
@errores_de_pagina
@require_http_methods(["GET", "HEAD", "POST"])
def precios_importar(request: HttpRequest) -> HttpResponse:
    """Upload the price book or the PUE list; see what the import would do; confirm. All or
    nothing: a workbook with rows it cannot read stores nothing."""
    if request.method != "POST":
        return render(request, IMPORTAR, _contexto_precios(ImportarForm()))
    usuario = _usuario(request)
    if "confirmar" in request.POST:
        return _confirmar_precios(request, usuario)
    form = ImportarForm(request.POST, request.FILES)
    if not form.is_valid():
        return render(request, IMPORTAR, _contexto_precios(form), status=400)
    subido = form.cleaned_data["archivo"]
    contrato = form.cleaned_data["contrato"] or ""
    contenido, tarea = _subido(usuario, ArchivoImportacion.Tipo.PRECIOS, subido, contrato)
    if tarea is not None:
        return redirect("precios:importar-tarea", tarea_id=tarea.pk)
    try:
        vista = services.conceptos_importar(
            usuario=usuario,
            archivo=io.BytesIO(contenido),
            contrato=contrato or None,
            simular=True,
        )
    except services.LibroInvalido as exc:
        return _refusado_precios(request, usuario, form, exc, contenido, subido.name or "")
    except InvalidInput as exc:
        mostrar_errores(form, exc)
        return render(request, IMPORTAR, _contexto_precios(form), status=400)
    pendiente = services.archivo_guardar(
        usuario=usuario,
        tipo=ArchivoImportacion.Tipo.PRECIOS,
        contenido=contenido,
        nombre_archivo=subido.name or "",
        contrato=contrato,
    )
    contexto = _contexto_precios(ImportarForm(), vista=vista, pendiente=pendiente)
    contexto["totales"] = {n: vista.total(n) for n in ("creados", "actualizados", "sin_cambios")}
    contexto["mensaje"] = services.resumen_importacion(vista)
    return render(request, IMPORTAR, contexto)


def _refusado_precios(
    request: HttpRequest,
    usuario: User,
    form: ImportarForm,
    exc: services.LibroInvalido,
    contenido: bytes,
    nombre: str,
) -> HttpResponse:
    filas = exc.extra.get("filas", [])
    contexto = _contexto_precios(form, error=True, legible=bool(filas))
    if filas:
        fallido = services.archivo_guardar(
            usuario=usuario,
            tipo=ArchivoImportacion.Tipo.PRECIOS,
            contenido=contenido,
            nombre_archivo=nombre,
            errores=filas,
        )
        contexto.update(rechazo=_rechazo(filas), fallido=fallido)
    else:
        contexto["detalle"] = exc.detail
    return render(request, IMPORTAR, contexto, status=exc.status)


def _subido(
    usuario: User, tipo: str, subido: UploadedFile, contrato: str = ""
) -> tuple[bytes, Tarea | None]:
    """The uploaded workbook, and the task that reads its preview when it is large (the page
    then follows its progress)."""
    contenido = subido.read()
    tarea = tareas.importacion_si_grande(
        usuario=usuario,
        tipo=tipo,
        simular=True,
        conservar=True,
        libro=io.BytesIO(contenido),
        nombre_archivo=subido.name or "",
        contrato=contrato,
    )
    return contenido, tarea


def _confirmado(
    request: HttpRequest, usuario: User, tipo: str
) -> tuple[ArchivoImportacion, Tarea | None]:
    """The upload kept since its preview that the confirmation names, and the task that
    imports it when it is large."""
    pendiente = services.archivo_de(
        usuario=usuario, archivo_id=_entero(request.POST.get("archivo_id")), tipo=tipo
    )
    tarea = tareas.importacion_si_grande(
        usuario=usuario, tipo=tipo, simular=False, archivo=pendiente
    )
    return pendiente, tarea


def _confirmar_precios(request: HttpRequest, usuario: User) -> HttpResponse:
    pendiente, tarea = _confirmado(request, usuario, ArchivoImportacion.Tipo.PRECIOS)
    if tarea is not None:
        return redirect("precios:importar-tarea", tarea_id=tarea.pk)
    contenido = bytes(pendiente.contenido)
    try:
        resultado = services.conceptos_importar(
            usuario=usuario, archivo=io.BytesIO(contenido), contrato=pendiente.contrato or None
        )
    except services.LibroInvalido as exc:
        # The price book changed since the preview: say so as for an upload.
        services.archivo_descartar(archivo=pendiente)
        return _refusado_precios(
            request, usuario, ImportarForm(), exc, contenido, pendiente.nombre_archivo
        )
    services.archivo_descartar(archivo=pendiente)
    messages.success(request, services.resumen_importacion(resultado))
    contexto = _contexto_precios(ImportarForm(), resultado=resultado)
    contexto["totales"] = {
        n: resultado.total(n) for n in ("creados", "actualizados", "sin_cambios")
    }
    return render(request, IMPORTAR, contexto)


def _entero(valor: str | None) -> int:
    try:
        return int(valor or "")
    except ValueError:
        return 0


@never_cache
@permission_required_page(*PERMISOS_PRECIOS)
@require_GET
@errores_de_pagina
def precios_observaciones(request: HttpRequest, archivo_id: int) -> HttpResponse:
    """The refused workbook as it was sent, with an OBSERVACIONES column on each sheet."""
    fallido = services.archivo_de(
        usuario=_usuario(request), archivo_id=archivo_id, tipo=ArchivoImportacion.Tipo.PRECIOS
    )
    contenido = libros_salida.con_observaciones_por_hoja(bytes(fallido.contenido), fallido.errores)
    return _xlsx(contenido, "libro-de-precios-observaciones.xlsx")


# --- the register of OTs ----------------------------------------------------------------------


def _filas_rechazadas(resultado: importar_ots.ResultadoRegistro) -> list[dict[str, Any]]:
    return [
        {"fila": r.fila, "orden_trabajo": r.orden_trabajo, "errores": r.errores}
        for r in resultado.rechazadas
    ]


@never_cache
@permission_required_page(*PERMISOS_OTS)
@errores_de_pagina
@require_http_methods(["GET", "HEAD", "POST"])
def ots_importar(request: HttpRequest) -> HttpResponse:
    """Upload the register of OTs; see what the import would do; confirm. Row by row: a row
    that cannot be taken is named with its reasons and the others go in."""
    if request.method != "POST":
        return render(request, IMPORTAR_OTS, {"form": RegistroForm()})
    usuario = _usuario(request)
    if "confirmar" in request.POST:
        pendiente, tarea = _confirmado(request, usuario, ArchivoImportacion.Tipo.OTS)
        if tarea is not None:
            return redirect("ots:importar-tarea", tarea_id=tarea.pk)
        return _importar_registro(request, usuario, pendiente)
    form = RegistroForm(request.POST, request.FILES)
    if not form.is_valid():
        return render(request, IMPORTAR_OTS, {"form": form}, status=400)
    subido = form.cleaned_data["archivo"]
    contenido, tarea = _subido(usuario, ArchivoImportacion.Tipo.OTS, subido)
    if tarea is not None:
        return redirect("ots:importar-tarea", tarea_id=tarea.pk)
    try:
        vista = importar_ots.ots_importar(
            usuario=usuario, archivo=io.BytesIO(contenido), simular=True
        )
    except (services.LibroInvalido, importar_ots.RegistroInvalido) as exc:
        form.add_error("archivo", f"No se pudo leer el registro: {exc.detail}")
        return render(request, IMPORTAR_OTS, {"form": form}, status=exc.status)
    pendiente = services.archivo_guardar(
        usuario=usuario,
        tipo=ArchivoImportacion.Tipo.OTS,
        contenido=contenido,
        nombre_archivo=subido.name or "",
        errores=_filas_rechazadas(vista),
    )
    contexto = {
        "form": RegistroForm(),
        "vista": vista,
        "r": vista,
        "pendiente": pendiente,
        "mensaje": importar_ots.resumen_registro(vista),
        "rechazo": _rechazo(_filas_rechazadas(vista)),
        "advertencias": vista.advertencias[:FILAS_MOSTRADAS],
    }
    return render(request, IMPORTAR_OTS, contexto)


def _importar_registro(
    request: HttpRequest, usuario: User, pendiente: ArchivoImportacion
) -> HttpResponse:
    try:
        resultado = importar_ots.ots_importar(
            usuario=usuario, archivo=io.BytesIO(bytes(pendiente.contenido))
        )
    except (services.LibroInvalido, importar_ots.RegistroInvalido) as exc:
        form = RegistroForm()
        form.add_error(None, f"No se pudo leer el registro: {exc.detail}")
        return render(request, IMPORTAR_OTS, {"form": form}, status=exc.status)
    filas = _filas_rechazadas(resultado)
    if filas:
        # Kept for the download of the refused rows with their observations.
        pendiente.errores = filas
        pendiente.save(update_fields=["errores"])
    else:
        services.archivo_descartar(archivo=pendiente)
    messages.success(request, importar_ots.resumen_registro(resultado))
    contexto = {
        "form": RegistroForm(),
        "r": resultado,
        "rechazo": _rechazo(filas),
        "fallido": pendiente if filas else None,
        "advertencias": resultado.advertencias[:FILAS_MOSTRADAS],
    }
    return render(request, IMPORTAR_OTS, contexto)


@never_cache
@permission_required_page(*PERMISOS_OTS)
@require_GET
@errores_de_pagina
def ots_observaciones(request: HttpRequest, archivo_id: int) -> HttpResponse:
    """The register as it was sent, with an OBSERVACIONES column beside each refused row."""
    archivo = services.archivo_de(
        usuario=_usuario(request), archivo_id=archivo_id, tipo=ArchivoImportacion.Tipo.OTS
    )
    contenido = libros_salida.con_observaciones(bytes(archivo.contenido), None, archivo.errores)
    return _xlsx(contenido, "registro-de-ots-observaciones.xlsx")


# Views that take a file get the upload body limit, not the general one.
precios_importar.accepts_uploads = True  # type: ignore[attr-defined]
ots_importar.accepts_uploads = True  # type: ignore[attr-defined]
