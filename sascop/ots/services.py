"""OT writes: direct or from a PTE, re-programmings, edits (If-Match), soft delete.

The rules the client's system had: an OT follows a PTE only once the PTE's steps are all
done (completed or not applicable), one OT per PTE, an `oficio_ot` names one OT family (the
OT and its re-programmings), and reaching TERMINADA stamps `fecha_termino_real`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from sascop.accounts.models import User
from sascop.actividad import services as actividad
from sascop.catalogos.estatus import EstatusOT
from sascop.catalogos.models import PasoOt
from sascop.catalogos.services import exigir_activos
from sascop.core.api.validation import validated
from sascop.core.db.queries import bloquear_o_404
from sascop.core.errors import Conflict, InvalidInput
from sascop.flujo.registros import aplicar_fecha_entrega, editar_registro, eliminar_registro
from sascop.flujo.services import paso_actualizar
from sascop.ots import selectors
from sascop.ots.models import LUGARES, OT, OTDetalle
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
    *LUGARES,
    "monto_mxn",
    "monto_usd",
    "plazo_dias",
    "fecha_inicio_programado",
    "fecha_termino_programado",
]


def _validar_sitio(ot: OT) -> None:
    for lugar in LUGARES:
        sitio = getattr(ot, lugar)
        if sitio is not None and sitio.tipo != lugar:
            mensaje = _("That place is not of kind %(tipo)s.") % {"tipo": lugar}
            raise InvalidInput(fields={lugar: [mensaje]})
    if ot.sitio is None or ot.sitio.frente_id is None:
        return
    if ot.frente_id is None:
        ot.frente_id = ot.sitio.frente_id
    elif ot.sitio.frente_id != ot.frente_id:
        mensaje = _("The site does not belong to the chosen frente.")
        raise InvalidInput(fields={"sitio": [mensaje]})


def _validar_oficio(ot: OT) -> None:
    """409 when another OT family already has this oficio. A re-programming shares its
    principal's oficio (it is the same order, re-planned), so only other families count;
    deleted OTs and a blank oficio never do."""
    if not ot.oficio_ot:
        return
    otras = OT.objects.filter(oficio_ot=ot.oficio_ot)
    familia = ot.ot_principal_id or ot.pk
    if familia is not None:
        otras = otras.exclude(pk=familia).exclude(ot_principal_id=familia)
    ajena = otras.order_by("id").first()
    if ajena is not None:
        raise Conflict(
            _("The oficio %(oficio)s already belongs to OT %(ot)s.")
            % {"oficio": repr(ot.oficio_ot), "ot": ajena.pk}
        )


def _validar(ot: OT) -> None:
    _validar_sitio(ot)
    _validar_oficio(ot)


def _guardar_sin_carrera(guardar: Any) -> Any:
    """Run a save whose uniqueness the caller checked: a concurrent request that took the
    same PTE or oficio meanwhile makes the database refuse it, and that is a 409 too."""
    try:
        with transaction.atomic():
            return guardar()
    except IntegrityError as exc:
        raise Conflict(_("Another OT took the same PTE or oficio meanwhile; try again.")) from exc


def _crear(usuario: User, ot: OT) -> OT:
    ot.creado_por = usuario if usuario.is_authenticated else None
    exigir_activos(ot)
    _validar(ot)
    aplicar_fecha_entrega(
        ot,
        estatus_anterior=None,
        entregado=EstatusOT.TERMINADA,
        datos={"fecha_termino_real": ot.fecha_termino_real},
        campo="fecha_termino_real",
    )
    _guardar_sin_carrera(validated(ot).save)
    pasos = PasoOt.objects.filter(activo=True).order_by("orden")
    OTDetalle.objects.bulk_create([OTDetalle(ot=ot, paso=paso) for paso in pasos])
    actividad.registrar_creaciones(usuario=usuario, instancias=[ot])
    return ot


def _ot_para_editar(ot_id: int) -> OT:
    return bloquear_o_404(OT.objects.all(), ot_id, "OT")


@transaction.atomic
def ot_crear(*, usuario: User, datos: dict[str, Any]) -> OT:
    """Create an OT with one pending step per active `PasoOt`. A used oficio is a 409;
    created TERMINADA, it gets `fecha_termino_real` (today unless given)."""
    return _crear(usuario, OT(**datos))


@transaction.atomic
def ot_crear_desde_pte(*, usuario: User, pte_id: int, datos: dict[str, Any]) -> OT:
    """Create the OT that follows a PTE: client, responsible and description default to it.

    409 while any of the PTE's steps is neither completed nor not applicable, and when the
    PTE already has an OT (re-program that one instead).
    """
    # The lock makes concurrent requests for the same PTE wait for each other's answer.
    pte = bloquear_o_404(PTE.objects.all(), pte_id, "PTE")
    impedimento = selectors.impedimento_desde_pte(pte.pk)
    if impedimento is not None and impedimento.pasos_pendientes:
        n = impedimento.pasos_pendientes
        # The API's English says "step(s)" whatever the count; the catalog has both forms.
        raise Conflict(
            ngettext(
                "PTE %(pte)s has %(n)s step(s) neither completed nor marked not applicable; "
                "an OT follows a PTE only when all its steps are done.",
                "PTE %(pte)s has %(n)s step(s) neither completed nor marked not applicable; "
                "an OT follows a PTE only when all its steps are done.",
                n,
            )
            % {"pte": pte_id, "n": n}
        )
    if impedimento is not None and impedimento.ot_existente is not None:
        raise Conflict(
            _("PTE %(pte)s already has OT %(ot)s; re-program that OT instead.")
            % {"pte": pte_id, "ot": impedimento.ot_existente.pk}
        )
    return _crear(usuario, OT(**{**selectors.valores_desde_pte(pte), **datos, "pte": pte}))


@transaction.atomic
def ot_reprogramar(*, usuario: User, ot_id: int, datos: dict[str, Any]) -> OT:
    """A new OT that re-programs `ot_id` (or its principal), numbered after the last one."""
    ot = _ot_para_editar(ot_id)
    principal = ot.ot_principal or ot
    ultimo = principal.reprogramaciones.aggregate(n=Max("num_reprogramacion"))["n"] or 0
    copia = {name: getattr(ot, name) for name in _COPIADO}
    # A re-programming starts over unless the request gives its estatus.
    nueva = OT(
        **{**copia, "estatus": EstatusOT.ASIGNADA, **datos},
        ot_principal=principal,
        num_reprogramacion=ultimo + 1,
    )
    return _crear(usuario, nueva)


@transaction.atomic
def ot_actualizar(
    *, usuario: User, ot_id: int, datos: dict[str, Any], if_match: str | None = None
) -> OT:
    """Change an OT. A stale `if_match` is refused with 412 and nothing changes; an oficio
    of another OT family is a 409. Reaching TERMINADA stamps `fecha_termino_real` (today
    unless given); leaving it clears the date."""
    ot = _ot_para_editar(ot_id)
    return _guardar_sin_carrera(
        lambda: editar_registro(
            usuario=usuario,
            instancia=ot,
            datos=datos,
            if_match=if_match,
            entregado=EstatusOT.TERMINADA,
            campo_entrega="fecha_termino_real",
            validar=_validar,
        )
    )


# Run inside an OT's soft delete's transaction, with the OT's id, once it is hidden: what
# is kept over the OT's family must leave it out. The production app registers here (it
# sits above ots and keeps the excedentes).
_tras_eliminar: list[Callable[[int], object]] = []


def al_eliminar_ot(funcion: Callable[[int], object]) -> None:
    """Have `funcion(ot_id)` run in every OT delete's transaction, after the OT is hidden
    (once, however often it is registered). A restore, if one is added, must run them too."""
    if funcion not in _tras_eliminar:
        _tras_eliminar.append(funcion)


@transaction.atomic
def ot_eliminar(*, usuario: User, ot_id: int, if_match: str | None = None) -> None:
    """Hide the OT (soft delete). One with re-programmings is a 409: delete those first.
    Its production leaves its family's excedentes, recomputed in the same transaction."""
    ot = _ot_para_editar(ot_id)
    if ot.reprogramaciones.exists():
        raise Conflict(_("This OT has re-programmings; delete them first."))
    eliminar_registro(usuario=usuario, instancia=ot, if_match=if_match)
    for funcion in _tras_eliminar:
        funcion(ot.pk)


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


def ot_importada_guardar(
    *, usuario: User | None, existente: OT | None, datos: dict[str, Any]
) -> str:
    """Store one OT of an imported register (see `precios.importar_ots`): create it (with
    its pending steps) when `existente` is None, else change the fields `datos` changes,
    each change logged. Returns "creada", "actualizada" or "sin_cambios".

    The register is the client's history: its statuses and dates are taken as they are
    (no `fecha_termino_real` stamped, inactive catalog entries kept). An oficio of another
    OT family is a 409, a (orden, reprogramación) taken meanwhile a 400; the caller runs
    each OT in its own savepoint so that one refused row leaves the others in.
    """
    quien = usuario if usuario is not None and usuario.is_authenticated else None
    if existente is None:
        ot = OT(**datos, creado_por=quien)
        _validar(ot)
        validated(ot).save()
        pasos = PasoOt.objects.filter(activo=True).order_by("orden")
        OTDetalle.objects.bulk_create([OTDetalle(ot=ot, paso=paso) for paso in pasos])
        actividad.registrar_creaciones(usuario=quien, instancias=[ot])
        return "creada"
    distintos = {k: v for k, v in datos.items() if getattr(existente, k) != v}
    if not distintos:
        return "sin_cambios"
    antes = actividad.snapshot(existente)
    for nombre, valor in distintos.items():
        setattr(existente, nombre, valor)
    existente.version += 1
    _validar(existente)
    validated(existente).save()
    actividad.registrar_cambios(usuario=quien, antes=antes, instancia=existente)
    return "actualizada"
