"""OT writes: direct or from a PTE, re-programmings, edits (If-Match), soft delete."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Max

from sascop.accounts.models import User
from sascop.actividad import services as actividad
from sascop.catalogos.estatus import EstatusOT
from sascop.catalogos.models import PasoOt
from sascop.catalogos.services import exigir_activos
from sascop.core.errors import Conflict, InvalidInput, NotFound
from sascop.core.queries import bloquear_o_404
from sascop.core.validation import validated
from sascop.flujo.registros import editar_registro, eliminar_registro
from sascop.flujo.services import paso_actualizar
from sascop.ots.models import OT, OTDetalle
from sascop.ptes.models import PTE

# What a re-programming copies from the OT it re-programs, unless the request says otherwise.
_COPIADO = [
    "pte",
    "orden_trabajo",
    "oficio_ot",
    "descripcion_trabajo",
    "responsable_proyecto",
    "responsable_cliente",
    "cliente",
    "frente",
    "sitio",
    "monto_mxn",
    "monto_usd",
    "plazo_dias",
    "fecha_inicio_programado",
    "fecha_termino_programado",
]


def _validar_sitio(ot: OT) -> None:
    if ot.sitio is None:
        return
    if ot.frente_id is None:
        ot.frente_id = ot.sitio.frente_id
    elif ot.sitio.frente_id != ot.frente_id:
        raise InvalidInput(fields={"sitio": ["The site does not belong to the chosen frente."]})


def _crear(usuario: User, ot: OT) -> OT:
    ot.creado_por = usuario if usuario.is_authenticated else None
    exigir_activos(ot)
    _validar_sitio(ot)
    validated(ot).save()
    pasos = PasoOt.objects.filter(activo=True).order_by("orden")
    OTDetalle.objects.bulk_create([OTDetalle(ot=ot, paso=paso) for paso in pasos])
    actividad.registrar_creaciones(usuario=usuario, instancias=[ot])
    return ot


def _ot_para_editar(ot_id: int) -> OT:
    return bloquear_o_404(OT.objects.all(), ot_id, "OT")


@transaction.atomic
def ot_crear(*, usuario: User, datos: dict[str, Any]) -> OT:
    """Create an OT with one pending step per active `PasoOt`."""
    return _crear(usuario, OT(**datos))


@transaction.atomic
def ot_crear_desde_pte(*, usuario: User, pte_id: int, datos: dict[str, Any]) -> OT:
    """Create the OT that follows a PTE: client, responsible and description default to it."""
    pte = PTE.objects.filter(pk=pte_id).first()
    if pte is None:
        raise NotFound(f"PTE {pte_id} does not exist.")
    defaults = {
        "cliente": pte.cliente,
        "responsable_proyecto": pte.responsable_proyecto,
        "descripcion_trabajo": pte.descripcion_trabajo,
        "plazo_dias": pte.plazo_dias,
    }
    return _crear(usuario, OT(**{**defaults, **datos, "pte": pte}))


@transaction.atomic
def ot_reprogramar(*, usuario: User, ot_id: int, datos: dict[str, Any]) -> OT:
    """A new OT that re-programs `ot_id` (or its principal), numbered after the last one."""
    ot = _ot_para_editar(ot_id)
    principal = ot.ot_principal or ot
    ultimo = principal.reprogramaciones.aggregate(n=Max("num_reprogramacion"))["n"] or 0
    copia = {name: getattr(ot, name) for name in _COPIADO}
    # A re-programming starts over unless the request gives its estatus.
    nueva = OT(
        **{**copia, "estatus": EstatusOT.POR_INICIAR, **datos},
        ot_principal=principal,
        num_reprogramacion=ultimo + 1,
    )
    return _crear(usuario, nueva)


@transaction.atomic
def ot_actualizar(
    *, usuario: User, ot_id: int, datos: dict[str, Any], if_match: str | None = None
) -> OT:
    """Change an OT. A stale `if_match` is refused with 412 and nothing changes."""
    return editar_registro(
        usuario=usuario,
        instancia=_ot_para_editar(ot_id),
        datos=datos,
        if_match=if_match,
        validar=_validar_sitio,
    )


@transaction.atomic
def ot_eliminar(*, usuario: User, ot_id: int, if_match: str | None = None) -> None:
    """Hide the OT (soft delete). One with re-programmings is a 409: delete those first."""
    ot = _ot_para_editar(ot_id)
    if ot.reprogramaciones.exists():
        raise Conflict("This OT has re-programmings; delete them first.")
    eliminar_registro(usuario=usuario, instancia=ot, if_match=if_match)


@transaction.atomic
def ot_paso_actualizar(
    *,
    usuario: User,
    ot_id: int,
    detalle_id: int,
    datos: dict[str, Any],
    if_match: str | None = None,
) -> OTDetalle:
    """Edit one of the OT's workflow steps (see `flujo.services.paso_actualizar`)."""
    _ot_para_editar(ot_id)  # locks the OT: steps change one at a time per OT
    return paso_actualizar(
        usuario=usuario,
        pasos=OTDetalle.objects.filter(ot_id=ot_id),
        detalle_id=detalle_id,
        datos=datos,
        if_match=if_match,
        de=f"OT {ot_id}",
    )
