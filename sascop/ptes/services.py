"""PTE writes: creation with its workflow steps, edits guarded by If-Match, soft delete."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone

from sascop.actividad import services as actividad
from sascop.catalogos.estatus import EstatusPaso, EstatusPTE
from sascop.catalogos.models import Paso
from sascop.catalogos.services import exigir_activos
from sascop.core.errors import NotFound
from sascop.core.etags import check_if_match
from sascop.core.validation import validated
from sascop.ptes.models import PTE, PTEDetalle


def aplicar_fecha_entrega(
    instancia: Any, *, estatus_anterior: int | None, entregado: int, datos: dict[str, Any]
) -> None:
    """Reaching the delivered status stamps `fecha_entrega` (today unless given); leaving it
    clears the date. Shared by PTEs, their steps and OT steps."""
    if instancia.estatus == entregado and estatus_anterior != entregado:
        if datos.get("fecha_entrega") is None:
            instancia.fecha_entrega = timezone.localdate()
    elif instancia.estatus != entregado and estatus_anterior == entregado:
        instancia.fecha_entrega = None


def editar_registro(
    *,
    request: HttpRequest,
    usuario: Any,
    instancia: Any,
    datos: dict[str, Any],
    entregado: int | None = None,
    validar: Callable[[Any], None] | None = None,
) -> None:
    """The edit every versioned record goes through (PTEs, OTs, their steps, production).

    A stale If-Match is refused with 412 before anything changes; newly chosen catalog
    entries must be active; the version grows by one; each changed field is logged.
    """
    check_if_match(request, instancia)
    antes = actividad.snapshot(instancia)
    estatus_anterior = getattr(instancia, "estatus", None)
    for name, value in datos.items():
        setattr(instancia, name, value)
    if entregado is not None:
        aplicar_fecha_entrega(
            instancia, estatus_anterior=estatus_anterior, entregado=entregado, datos=datos
        )
    exigir_activos(instancia, antes)
    if validar is not None:
        validar(instancia)
    instancia.version += 1
    validated(instancia).save()
    actividad.registrar_cambios(usuario=usuario, antes=antes, instancia=instancia)


def eliminar_registro(*, request: HttpRequest, usuario: Any, instancia: Any) -> None:
    """Soft delete: hidden from every list and count, kept in the table and the log."""
    check_if_match(request, instancia)
    instancia.eliminado_en = timezone.now()
    instancia.version += 1
    instancia.save(update_fields=["eliminado_en", "version", "actualizado_en"])
    actividad.registrar_eliminacion(usuario=usuario, instancia=instancia)


def actualizar_paso(
    *,
    request: HttpRequest,
    usuario: Any,
    pasos: QuerySet[Any],
    detalle_id: int,
    datos: dict[str, Any],
    de: str,
) -> Any:
    """Edit one step among `pasos` (a PTE's or an OT's, already locked by the caller)."""
    detalle = pasos.filter(pk=detalle_id).first()
    if detalle is None:
        raise NotFound(f"{de} has no step {detalle_id}.")
    editar_registro(
        request=request,
        usuario=usuario,
        instancia=detalle,
        datos=datos,
        entregado=EstatusPaso.COMPLETADO,
    )
    return detalle


def _pte_para_editar(pte_id: int) -> PTE:
    pte = PTE.objects.select_for_update().filter(pk=pte_id).first()
    if pte is None:
        raise NotFound(f"PTE {pte_id} does not exist.")
    return pte


@transaction.atomic
def pte_crear(*, usuario: Any, datos: dict[str, Any]) -> PTE:
    """Create a PTE and one pending step per active `Paso` of its client's type."""
    pte = PTE(**datos, creado_por=usuario if usuario.is_authenticated else None)
    exigir_activos(pte)
    if pte.estatus == EstatusPTE.ENTREGADA and pte.fecha_entrega is None:
        pte.fecha_entrega = timezone.localdate()
    validated(pte).save()
    pasos = Paso.objects.filter(activo=True, tipo_cliente_id=pte.cliente.tipo_id).order_by("orden")
    PTEDetalle.objects.bulk_create([PTEDetalle(pte=pte, paso=paso) for paso in pasos])
    actividad.registrar_creaciones(usuario=usuario, instancias=[pte])
    return pte


@transaction.atomic
def pte_actualizar(
    *, request: HttpRequest, usuario: Any, pte_id: int, datos: dict[str, Any]
) -> PTE:
    """Change a PTE. A stale If-Match is refused with 412 and nothing changes."""
    pte = _pte_para_editar(pte_id)
    editar_registro(
        request=request,
        usuario=usuario,
        instancia=pte,
        datos=datos,
        entregado=EstatusPTE.ENTREGADA,
    )
    return pte


@transaction.atomic
def pte_eliminar(*, request: HttpRequest, usuario: Any, pte_id: int) -> None:
    """Hide the PTE (soft delete); it stays in the database and in the activity log."""
    eliminar_registro(request=request, usuario=usuario, instancia=_pte_para_editar(pte_id))


@transaction.atomic
def pte_paso_actualizar(
    *, request: HttpRequest, usuario: Any, pte_id: int, detalle_id: int, datos: dict[str, Any]
) -> PTEDetalle:
    _pte_para_editar(pte_id)  # locks the PTE: steps change one at a time per PTE
    detalle: PTEDetalle = actualizar_paso(
        request=request,
        usuario=usuario,
        pasos=PTEDetalle.objects.filter(pte_id=pte_id),
        detalle_id=detalle_id,
        datos=datos,
        de=f"PTE {pte_id}",
    )
    return detalle
