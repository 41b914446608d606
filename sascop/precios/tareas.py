"""Imports too large for one web request, run by the task worker (`manage.py trabajar`).

A workbook with more rows than `IMPORTAR_FILAS_EN_TAREA` (price book, PUE list, register of
OTs, an OT's anexo) is kept in the database (`ArchivoImportacion`) and its import queued in the same
transaction; the worker reads it from there, never from the request. While the rows are read
the task reports how many (an `avance.Avance`, passed to the import service and by it to the
reader), and its result is the very JSON the synchronous import answers. A refused workbook
fails the task, with the error body the request would have had (`Tarea.error`).

The writes keep the import's own transaction: the price book's one transaction, the register's
one transaction with a savepoint per OT, the anexo's one transaction. A worker killed
mid-import leaves none of it, and the worker marks the task failed when it starts again
(`sascop.tareas.recuperacion`).
"""

from __future__ import annotations

import contextlib
import io
from collections.abc import Iterator
from decimal import Decimal
from typing import IO, Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from django_tasks import task
from django_tasks.base import TaskContext

from sascop.accounts.models import User
from sascop.core.errors import ApplicationError, NotFound
from sascop.ots.models import OT
from sascop.precios import importar_ots, paquete, services
from sascop.precios import serializers as s
from sascop.precios.avance import Avance
from sascop.precios.models import ArchivoImportacion
from sascop.tareas.models import Tarea
from sascop.tareas.services import tarea_avanzar, tarea_encolar

TIPO_PRECIOS = "importar_precios"
TIPO_OTS = "importar_ots"
TIPO_ANEXO = "importar_anexo"


def filas_en_tarea(archivo: IO[bytes]) -> int | None:
    """The workbook's rows when its import is to be queued (more than
    IMPORTAR_FILAS_EN_TAREA), else None: a smaller one is imported in the request."""
    filas = paquete.filas(archivo)
    if filas is not None and filas > settings.IMPORTAR_FILAS_EN_TAREA:
        return filas
    return None


def importacion_si_grande(
    *,
    usuario: User,
    tipo: str,
    simular: bool,
    libro: IO[bytes] | None = None,
    nombre_archivo: str = "",
    contrato: str = "",
    archivo: ArchivoImportacion | None = None,
    conservar: bool = False,
) -> Tarea | None:
    """Queue the import of a workbook of more rows than IMPORTAR_FILAS_EN_TAREA
    (`importacion_encolar`): the uploaded `libro`, or the kept `archivo`. None for a smaller
    one: it is imported in the request."""
    if archivo is not None:
        libro = io.BytesIO(bytes(archivo.contenido))
    assert libro is not None, "an upload or a kept workbook"
    if (filas := filas_en_tarea(libro)) is None:
        return None
    return importacion_encolar(
        usuario=usuario,
        tipo=tipo,
        filas=filas,
        simular=simular,
        contenido=b"" if archivo is not None else libro.read(),
        nombre_archivo=nombre_archivo,
        contrato=contrato,
        archivo=archivo,
        conservar=conservar,
    )


def importacion_encolar(
    *,
    usuario: User,
    tipo: str,
    filas: int,
    simular: bool,
    contenido: bytes = b"",
    nombre_archivo: str = "",
    contrato: str = "",
    archivo: ArchivoImportacion | None = None,
    conservar: bool = False,
) -> Tarea:
    """Keep the workbook (unless `archivo` already is kept) and queue its import of `tipo`
    (ArchivoImportacion.Tipo); `filas` is the total its progress is measured against.
    `conservar`: the upload stays kept after a successful run (a page's preview, to confirm)."""
    with transaction.atomic():
        if archivo is None:
            archivo = services.archivo_guardar(
                usuario=usuario,
                tipo=tipo,
                contenido=contenido,
                nombre_archivo=nombre_archivo,
                contrato=contrato,
            )
        es_precios = tipo == ArchivoImportacion.Tipo.PRECIOS
        return _encolar(
            importar_archivo,
            TIPO_PRECIOS if es_precios else TIPO_OTS,
            archivo=archivo,
            usuario=usuario,
            filas=filas,
            simular=simular,
            conservar=conservar,
        )


def _encolar(
    tarea: Any, tipo: str, *, archivo: ArchivoImportacion, usuario: User, filas: int, **kwargs: Any
) -> Tarea:
    """Queue `tarea` over the kept `archivo` in the request's language, its progress measured
    against `filas` from the start."""
    encolada = tarea_encolar(
        tarea,
        archivo_id=archivo.pk,
        usuario_id=usuario.pk,
        idioma=translation.get_language() or settings.LANGUAGE_CODE,
        usuario=usuario,
        tipo=tipo,
        **kwargs,
    )
    tarea_avanzar(str(encolada.pk), hechas=0, total=filas)
    encolada.total, encolada.hechas = filas, 0
    return encolada


@contextlib.contextmanager
def _ejecucion(
    context: TaskContext, archivo_id: int, usuario_id: int, idioma: str
) -> Iterator[tuple[ArchivoImportacion, User, Avance]]:
    """The task's language, its kept workbook and user, and the `Avance` that reports the
    rows the import reads as they go (the import is passed it); an import refused recorded
    as the task's error (the task then fails)."""
    tarea_id = str(context.task_result.id)
    with translation.override(idioma):
        try:
            archivo = ArchivoImportacion.objects.get(pk=archivo_id)
            usuario = User.objects.get(pk=usuario_id)
            yield archivo, usuario, Avance(lambda hechas: tarea_avanzar(tarea_id, hechas=hechas))
        except ApplicationError as exc:
            Tarea.objects.filter(pk=tarea_id).update(error=exc.payload())
            raise


@task(takes_context=True)
def importar_archivo(
    context: TaskContext,
    *,
    archivo_id: int,
    usuario_id: int,
    simular: bool,
    conservar: bool,
    idioma: str,
) -> dict[str, Any]:
    """Import a kept price book or PUE list (`services.conceptos_importar`) or a kept register
    of OTs (`importar_ots.ots_importar`), as the kept workbook's kind says; the import's JSON.
    The workbook is let go afterwards unless `conservar` (a page's preview, to confirm) or
    rows were refused (kept for the download of them with their observations)."""
    with _ejecucion(context, archivo_id, usuario_id, idioma) as (archivo, usuario, avance):
        importar = _precios if archivo.tipo == ArchivoImportacion.Tipo.PRECIOS else _registro
        cuerpo, rechazadas = importar(archivo, usuario, avance, simular)
        if rechazadas:
            archivo.errores = rechazadas
            archivo.save(update_fields=["errores"])
        elif not conservar:
            services.archivo_descartar(archivo=archivo)
        return cuerpo


# Tasks queued under the names the two imports had before they were one task run it too.
importar_precios = importar_registro_ots = importar_archivo


def _precios(
    archivo: ArchivoImportacion, usuario: User, avance: Avance, simular: bool
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    try:
        resultado = services.conceptos_importar(
            usuario=usuario,
            archivo=io.BytesIO(bytes(archivo.contenido)),
            contrato=archivo.contrato or None,
            simular=simular,
            avance=avance,
        )
    except services.LibroInvalido as exc:
        if filas := exc.extra.get("filas"):
            # Kept for the download of the same workbook with its observations.
            archivo.errores = filas
            archivo.save(update_fields=["errores"])
        raise
    return s.importacion(resultado), []


def _registro(
    archivo: ArchivoImportacion, usuario: User, avance: Avance, simular: bool
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    resultado = importar_ots.ots_importar(
        usuario=usuario,
        archivo=io.BytesIO(bytes(archivo.contenido)),
        simular=simular,
        avance=avance,
    )
    cuerpo = s.registro_ots(resultado)
    return cuerpo, cuerpo["rechazadas"]


def anexo_importar_o_encolar(
    *, usuario: User, ot_id: int, modo: str, libro: IO[bytes], nombre_archivo: str
) -> Tarea | services.ResultadoAnexo:
    """Import an OT's anexo workbook (`services.anexo_importar`), or, when it has more rows
    than IMPORTAR_FILAS_EN_TAREA, queue its import (`anexo_encolar`; a 404 when the OT does
    not exist): the task."""
    if (filas := filas_en_tarea(libro)) is None:
        return services.anexo_importar(
            usuario=usuario, ot_id=ot_id, archivo=libro, nombre_archivo=nombre_archivo, modo=modo
        )
    if not OT.objects.filter(pk=ot_id).exists():
        raise NotFound(gettext("OT %(id)s does not exist.") % {"id": ot_id})
    return anexo_encolar(
        usuario=usuario,
        ot_id=ot_id,
        modo=modo,
        filas=filas,
        contenido=libro.read(),
        nombre_archivo=nombre_archivo,
    )


def anexo_encolar(
    *,
    usuario: User,
    ot_id: int,
    modo: str,
    filas: int,
    contenido: bytes,
    nombre_archivo: str,
) -> Tarea:
    """Keep an OT's anexo workbook and queue its import (`services.anexo_importar`)."""
    with transaction.atomic():
        archivo = services.archivo_guardar(
            usuario=usuario,
            tipo=ArchivoImportacion.Tipo.ANEXO,
            contenido=contenido,
            nombre_archivo=nombre_archivo,
        )
        return _encolar(
            importar_anexo,
            TIPO_ANEXO,
            archivo=archivo,
            usuario=usuario,
            filas=filas,
            ot_id=ot_id,
            modo=modo,
        )


@task(takes_context=True)
def importar_anexo(
    context: TaskContext,
    *,
    archivo_id: int,
    usuario_id: int,
    ot_id: int,
    modo: str,
    idioma: str,
) -> dict[str, Any]:
    """Import a kept OT anexo workbook (`services.anexo_importar`): the API's 201 body."""
    with _ejecucion(context, archivo_id, usuario_id, idioma) as (archivo, usuario, avance):
        try:
            resultado = services.anexo_importar(
                usuario=usuario,
                ot_id=ot_id,
                archivo=io.BytesIO(bytes(archivo.contenido)),
                nombre_archivo=archivo.nombre_archivo,
                modo=modo,
                avance=avance,
            )
        except services.AnexoInvalido as exc:
            # As the API answers it: the refused workbook's copy with observations.
            importacion = exc.extra.pop("importacion")
            exc.extra["observaciones"] = reverse(
                "operaciones:ots-anexo-errores", args=[ot_id, importacion]
            )
            services.archivo_descartar(archivo=archivo)
            raise
        services.archivo_descartar(archivo=archivo)
        return s.resultado_anexo(resultado)


def importacion_de(cuerpo: dict[str, Any]) -> services.Importacion:
    """The price-book import a task answered (its JSON), for the page that shows it."""
    return services.Importacion(
        contrato=cuerpo["contrato"],
        anexos={a["anexo"]: services.ResumenAnexo(**a) for a in cuerpo["anexos"]},
        hojas_vacias=cuerpo["hojas_vacias"],
        hojas_resumen=cuerpo["hojas_resumen"],
        lista_pue=cuerpo["lista_pue"],
        propuestas=services.ResumenPropuestas(**cuerpo["propuestas"]),
        cambios_de_precio=[
            services.CambioPrecio(
                anexo=c["anexo"],
                partida=c["partida"],
                concepto=c["concepto"],
                campo=c["campo"],
                antes=Decimal(c["antes"]),
                despues=Decimal(c["despues"]),
            )
            for c in cuerpo["cambios_de_precio"]
        ],
        ptes_sin_registro=cuerpo["ptes_sin_registro"],
        ots_sin_registro=cuerpo["ots_sin_registro"],
        simulada=cuerpo["simulada"],
    )
