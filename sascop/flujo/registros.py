"""The edit and the delete every versioned record goes through (PTEs, OTs, their steps,
production): If-Match, active catalog choices, delivery dates, version, activity log."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from django.utils import timezone

from sascop.accounts.models import User
from sascop.actividad import services as actividad
from sascop.catalogos.services import exigir_activos
from sascop.core.api.etags import exigir_version
from sascop.core.api.validation import validated
from sascop.core.models import SoftDeleteModel, VersionedModel

Registro = TypeVar("Registro", bound=VersionedModel)


def aplicar_fecha_entrega(
    instancia: Any,
    *,
    estatus_anterior: int | None,
    entregado: int,
    datos: Mapping[str, Any],
    campo: str = "fecha_entrega",
) -> None:
    """Reaching the delivered status stamps the date field `campo` (today unless given);
    leaving it clears the date. `estatus_anterior` is None for a new record.

    PTEs and steps stamp `fecha_entrega`; a finished OT stamps `fecha_termino_real`."""
    if instancia.estatus == entregado and estatus_anterior != entregado:
        if datos.get(campo) is None:
            setattr(instancia, campo, timezone.localdate())
    elif instancia.estatus != entregado and estatus_anterior == entregado:
        setattr(instancia, campo, None)


def editar_registro(
    *,
    usuario: User,
    instancia: Registro,
    datos: Mapping[str, Any],
    if_match: str | None,
    entregado: int | None = None,
    campo_entrega: str = "fecha_entrega",
    validar: Callable[[Registro], None] | None = None,
) -> Registro:
    """Apply `datos` to a row the caller locked. A stale `if_match` is refused with 412
    before anything changes; reaching the `entregado` status stamps `campo_entrega` (see
    `aplicar_fecha_entrega`); newly chosen catalog entries must be active; the version grows
    by one; each changed field is logged."""
    exigir_version(if_match, instancia)
    antes = actividad.snapshot(instancia)
    estatus_anterior = getattr(instancia, "estatus", None)
    for name, value in datos.items():
        setattr(instancia, name, value)
    if entregado is not None:
        aplicar_fecha_entrega(
            instancia,
            estatus_anterior=estatus_anterior,
            entregado=entregado,
            datos=datos,
            campo=campo_entrega,
        )
    exigir_activos(instancia, antes)
    if validar is not None:
        validar(instancia)
    instancia.version += 1
    validated(instancia).save()
    actividad.registrar_cambios(usuario=usuario, antes=antes, instancia=instancia)
    return instancia


def eliminar_registro(*, usuario: User, instancia: SoftDeleteModel, if_match: str | None) -> None:
    """Soft delete a row the caller locked: hidden from every list and count, kept in the
    table and the log."""
    exigir_version(if_match, instancia)
    instancia.eliminado_en = timezone.now()
    instancia.version += 1
    instancia.save(update_fields=["eliminado_en", "version", "actualizado_en"])
    actividad.registrar_eliminacion(usuario=usuario, instancia=instancia)
