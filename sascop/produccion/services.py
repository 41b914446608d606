"""Production writes. One row or many: many is all-or-nothing, and a row that repeats
(OT, partida, fecha, tipo de tiempo, sitio) is a 409 naming it."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction

from sascop.accounts.models import User
from sascop.actividad import services as actividad
from sascop.catalogos.services import exigir_activos
from sascop.core.errors import Conflict, InvalidInput
from sascop.core.etags import exigir_version
from sascop.core.queries import bloquear_o_404
from sascop.core.signals import announce_change
from sascop.core.validation import validated
from sascop.flujo.registros import editar_registro
from sascop.produccion.models import Produccion
from sascop.produccion.serializers import campos_de_fila

CLAVE = ("ot_id", "partida_id", "fecha_produccion", "tipo_tiempo", "sitio_id")
MAX_FILAS = 5000


def _nueva(usuario: User, datos: dict[str, Any]) -> Produccion:
    datos = dict(datos)
    ot = datos["ot"]
    datos.setdefault("unidad", datos["partida"].unidad)
    if datos.get("sitio") is None:
        if ot.sitio_id is None:
            raise InvalidInput(fields={"sitio": ["The OT has no site; give one."]})
        datos["sitio"] = ot.sitio
    return Produccion(**datos, creado_por=usuario if usuario.is_authenticated else None)


def _clave(fila: Produccion) -> tuple[Any, ...]:
    return tuple(getattr(fila, name) for name in CLAVE)


def _duplicadas(filas: list[Produccion]) -> list[int]:
    """Indexes of rows repeating an earlier row of the batch or a stored row."""
    vistos: set[tuple[Any, ...]] = set()
    repetidas = []
    for index, fila in enumerate(filas):
        if _clave(fila) in vistos:
            repetidas.append(index)
        vistos.add(_clave(fila))
    fechas = [fila.fecha_produccion for fila in filas]
    candidatas = Produccion.objects.filter(
        ot_id__in={fila.ot_id for fila in filas},
        fecha_produccion__range=(min(fechas), max(fechas)),
    )
    existentes = set(candidatas.values_list(*CLAVE)) & vistos
    repetidas += [i for i, fila in enumerate(filas) if _clave(fila) in existentes]
    return sorted(set(repetidas))


def _conflicto(indices: list[int], lote: bool) -> Conflict:
    if not lote:
        return Conflict(
            "Production for that OT, partida, date, kind of time and site is already recorded."
        )
    return Conflict(
        "Rows repeat production already recorded (or repeat each other): "
        + ", ".join(str(i) for i in indices)
        + ". Nothing was saved.",
        filas=indices,
    )


@transaction.atomic
def produccion_crear_lote(*, usuario: User, filas: list[dict[str, Any]]) -> list[Produccion]:
    """Record many rows at once: either every row is saved or none is."""
    if len(filas) > MAX_FILAS:
        raise InvalidInput(fields={"filas": [f"At most {MAX_FILAS} rows per request."]})
    nuevas = []
    for index, datos in enumerate(filas):
        try:
            fila = _nueva(usuario, datos)
            exigir_activos(fila)
            validated(fila, check_unique=False)
        except InvalidInput as exc:
            raise InvalidInput(
                f"Row {index} is not valid; nothing was saved.",
                fields=campos_de_fila(index, exc.fields or {}),
            ) from exc
        nuevas.append(fila)
    if repetidas := _duplicadas(nuevas):
        raise _conflicto(repetidas, lote=True)
    try:
        with transaction.atomic():
            creadas = Produccion.objects.bulk_create(nuevas)
    except IntegrityError as exc:  # a concurrent request recorded the same row meanwhile
        raise _conflicto(_duplicadas(nuevas), lote=True) from exc
    actividad.registrar_creaciones(usuario=usuario, instancias=creadas)
    # bulk_create sends no row signals: tell the caches ourselves.
    announce_change(Produccion)
    return creadas


@transaction.atomic
def produccion_crear(*, usuario: User, datos: dict[str, Any]) -> Produccion:
    fila = _nueva(usuario, datos)
    exigir_activos(fila)
    validated(fila, check_unique=False)
    if _duplicadas([fila]):
        raise _conflicto([0], lote=False)
    try:
        with transaction.atomic():
            fila.save()
    except IntegrityError as exc:
        raise _conflicto([0], lote=False) from exc
    actividad.registrar_creaciones(usuario=usuario, instancias=[fila])
    return fila


def _para_editar(produccion_id: int) -> Produccion:
    return bloquear_o_404(Produccion.objects.all(), produccion_id, "Production row")


@transaction.atomic
def produccion_actualizar(
    *,
    usuario: User,
    produccion_id: int,
    datos: dict[str, Any],
    if_match: str | None = None,
) -> Produccion:
    """Correct a row. A stale `if_match` is 412; becoming a duplicate of another row, 409."""
    fila = _para_editar(produccion_id)

    def sin_duplicar(instancia: Produccion) -> None:
        otras = Produccion.objects.exclude(pk=instancia.pk)
        if otras.filter(**dict(zip(CLAVE, _clave(instancia), strict=True))).exists():
            raise _conflicto([0], lote=False)

    return editar_registro(
        usuario=usuario, instancia=fila, datos=datos, if_match=if_match, validar=sin_duplicar
    )


@transaction.atomic
def produccion_eliminar(*, usuario: User, produccion_id: int, if_match: str | None = None) -> None:
    """Delete a row for good (it stays in the activity log)."""
    fila = _para_editar(produccion_id)
    exigir_version(if_match, fila)
    actividad.registrar_eliminacion(usuario=usuario, instancia=fila)
    fila.delete()
