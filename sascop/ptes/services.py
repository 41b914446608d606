"""PTE writes: creation with its workflow steps, edits guarded by If-Match, soft delete."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from sascop.accounts.models import User
from sascop.actividad import services as actividad
from sascop.catalogos.estatus import EstatusPTE
from sascop.catalogos.models import Paso
from sascop.catalogos.services import exigir_activos
from sascop.core.api.validation import validated
from sascop.core.db.queries import bloquear_o_404
from sascop.flujo.registros import aplicar_fecha_entrega, editar_registro, eliminar_registro
from sascop.flujo.services import paso_actualizar
from sascop.ptes.models import PTE, PTEDetalle


def _pte_para_editar(pte_id: int) -> PTE:
    return bloquear_o_404(PTE.objects.all(), pte_id, "PTE")


def _autor(usuario: User) -> User | None:
    return usuario if usuario.is_authenticated else None


@transaction.atomic
def pte_crear(*, usuario: User, datos: dict[str, Any]) -> PTE:
    """Create a PTE and one pending step per active `Paso` of its client's type."""
    pte = PTE(**datos, creado_por=_autor(usuario))
    exigir_activos(pte)
    aplicar_fecha_entrega(pte, estatus_anterior=None, entregado=EstatusPTE.ENTREGADA, datos=datos)
    validated(pte).save()
    pasos = Paso.objects.filter(activo=True, tipo_cliente_id=pte.cliente.tipo_id).order_by("orden")
    PTEDetalle.objects.bulk_create([PTEDetalle(pte=pte, paso=paso) for paso in pasos])
    actividad.registrar_creaciones(usuario=usuario, instancias=[pte])
    return pte


@transaction.atomic
def pte_actualizar(
    *, usuario: User, pte_id: int, datos: dict[str, Any], if_match: str | None = None
) -> PTE:
    """Change a PTE. A stale `if_match` is refused with 412 and nothing changes."""
    return editar_registro(
        usuario=usuario,
        instancia=_pte_para_editar(pte_id),
        datos=datos,
        if_match=if_match,
        entregado=EstatusPTE.ENTREGADA,
    )


@transaction.atomic
def pte_eliminar(*, usuario: User, pte_id: int, if_match: str | None = None) -> None:
    """Hide the PTE (soft delete); it stays in the database and in the activity log."""
    eliminar_registro(usuario=usuario, instancia=_pte_para_editar(pte_id), if_match=if_match)


@transaction.atomic
def pte_paso_actualizar(
    *,
    usuario: User,
    pte_id: int,
    detalle_id: int,
    datos: dict[str, Any],
    if_match: str | None = None,
) -> PTEDetalle:
    """Edit one of the PTE's workflow steps (see `flujo.services.paso_actualizar`)."""
    _pte_para_editar(pte_id)  # locks the PTE: steps change one at a time per PTE
    return paso_actualizar(
        usuario=usuario,
        pasos=PTEDetalle.objects.filter(pte_id=pte_id),
        detalle_id=detalle_id,
        datos=datos,
        if_match=if_match,
        de=f"PTE {pte_id}",
    )
