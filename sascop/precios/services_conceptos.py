"""The PUE life cycle from the pages, beyond drawing one up and authorising it one at a time
(`services.concepto_crear`, `services.concepto_autorizar`): several authorised at once, a
PUE made into an ordinary concept, and a catalog concept added to an OT's anexo.

Every write goes through the activity log and, for an OT's anexo, through its versions.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext

from sascop.accounts.models import User
from sascop.actividad import services as actividad
from sascop.core.api.etags import exigir_version
from sascop.core.api.validation import validated
from sascop.core.db.queries import bloquear_o_404
from sascop.core.errors import ApplicationError, Conflict, InvalidInput, PreconditionFailed
from sascop.ots.models import OT
from sascop.precios import libro as lectura
from sascop.precios import services
from sascop.precios.models import ANEXO_SIN_CLAVE, Anexo, AnexoOT, Concepto, huella_concepto


@dataclass
class AutorizacionLote:
    """What a bulk authorisation did: the concepts authorised, and each one left alone
    with why (changed since it was shown, already authorised, not keyed yet)."""

    autorizados: list[Concepto] = field(default_factory=list)
    rechazados: list[tuple[Concepto, str]] = field(default_factory=list)


def conceptos_autorizar(
    *, usuario: User, versiones: dict[int, str], conceptos: list[Concepto]
) -> AutorizacionLote:
    """Authorise several PUEs, each with the version the page showed (`versiones` by id),
    each through `services.concepto_autorizar` in its own transaction: one refused (stale
    version, already authorised, no key) leaves the others authorised."""
    resultado = AutorizacionLote()
    for concepto in conceptos:
        try:
            with transaction.atomic():
                hecho = services.concepto_autorizar(
                    usuario=usuario,
                    concepto_id=concepto.pk,
                    if_match=versiones.get(concepto.pk, ""),
                )
        except PreconditionFailed:
            resultado.rechazados.append((concepto, gettext("changed since you selected it")))
        except ApplicationError as exc:
            resultado.rechazados.append((concepto, str(exc.detail)))
        else:
            resultado.autorizados.append(hecho)
    return resultado


def _clave_de_anexo(valor: str) -> str:
    return " ".join(valor.split()).upper()


@transaction.atomic
def concepto_convertir(
    *, usuario: User, concepto_id: int, anexo: str, partida: str, if_match: str | None
) -> Concepto:
    """Make an authorised PUE an ordinary concept of the contract, as the client's system
    does once a PUE enters the book: it moves to `anexo` (created in the concept's contract
    if it has none of that key) under the key `partida`; its prices, text and unit are
    kept, so are the oficio and orden it came from (`referencia_pte`, `referencia_ot`),
    while the links to the PTE and OT go (an ordinary concept comes from no order). Every
    changed field is logged.

    A stale `if_match` is a 412; an ordinary concept or a PUE not authorised yet is a 409,
    as is a key the anexo already has; an empty or unreadable key or anexo is a 400."""
    concepto = bloquear_o_404(Concepto.objects.select_related("anexo"), concepto_id, "Concepto")
    exigir_version(if_match, concepto)
    if concepto.tipo != Concepto.Tipo.EXTRAORDINARIA:
        raise Conflict(gettext("Concepto %(id)s is already ordinary.") % {"id": concepto_id})
    if concepto.estatus != Concepto.Estatus.AUTORIZADO:
        raise Conflict(
            gettext("Concepto %(id)s is not authorised yet; authorise it before converting it.")
            % {"id": concepto_id}
        )
    clave = _clave_de_anexo(anexo)
    if not clave or clave == ANEXO_SIN_CLAVE:
        raise InvalidInput(fields={"anexo": [gettext("Name the ordinary anexo it goes into.")]})
    try:
        nueva = lectura.normalizar_partida(partida)
    except ValueError as exc:
        raise InvalidInput(fields={"partida": [str(exc)]}) from exc
    if not nueva:
        raise InvalidInput(fields={"partida": [gettext("Give the concept its key.")]})
    destino, creado = Anexo.objects.get_or_create(
        contrato_id=concepto.anexo.contrato_id, clave=clave
    )
    if creado:
        actividad.registrar_creaciones(usuario=usuario, instancias=[destino])
    ocupada = Concepto.objects.filter(anexo=destino, partida=nueva).exclude(pk=concepto.pk)
    if ocupada.exists():
        raise Conflict(
            gettext("Anexo %(anexo)s already has partida %(item)s.")
            % {"anexo": clave, "item": nueva}
        )
    antes = actividad.snapshot(concepto)
    concepto.anexo = destino
    concepto.partida = nueva
    concepto.orden = lectura.orden_de_partida(nueva)
    concepto.tipo = Concepto.Tipo.ORDINARIA
    concepto.pte = None
    concepto.ot = None
    concepto.version += 1
    try:
        with transaction.atomic():
            validated(concepto, check_unique=False).save()
    except IntegrityError as exc:  # the same key, taken meanwhile
        raise Conflict(
            gettext("Anexo %(anexo)s already has partida %(item)s.")
            % {"anexo": clave, "item": nueva}
        ) from exc
    actividad.registrar_cambios(usuario=usuario, antes=antes, instancia=concepto)
    return concepto


@transaction.atomic
def anexo_agregar_concepto(*, usuario: User, ot_id: int, concepto_id: int) -> Any:
    """Add a price-book concept to the OT's anexo without importing a workbook: a new
    version of it (as `modo=actualizar` makes) with the active version's lines and this one
    with programmed volume 0, at the catalog's prices. The concept must be authorised; one
    the active version already has is a 409."""
    # Locked first: two people adding at once make two versions one after the other.
    bloquear_o_404(OT.objects.all(), ot_id, "OT")
    concepto = Concepto.objects.select_related("anexo").filter(pk=concepto_id).first()
    if concepto is None:
        raise InvalidInput(fields={"concepto": [gettext("That concept does not exist.")]})
    if concepto.estatus != Concepto.Estatus.AUTORIZADO or not concepto.partida:
        raise InvalidInput(
            fields={
                "concepto": [
                    gettext("Item %(item)s is not authorised yet.")
                    % {"item": concepto.partida or concepto.concepto[:40]}
                ]
            }
        )
    if not concepto.activo:
        raise InvalidInput(
            fields={"concepto": [gettext("Item %(item)s is inactive.") % {"item": concepto}]}
        )
    activo = AnexoOT.objects.filter(ot_id=ot_id, activo=True).first()
    if activo is not None and activo.partidas.filter(concepto=concepto).exists():
        raise Conflict(
            gettext("The OT's anexo already has item %(item)s of anexo %(anexo)s.")
            % {"item": concepto.partida, "anexo": concepto.anexo.clave}
        )
    fila = lectura.FilaAnexo(
        fila=1,
        anexo=concepto.anexo.clave,
        partida=concepto.partida,
        concepto=concepto.concepto,
        unidad=concepto.unidad,
        volumen=Decimal("0"),
        pu_mn=concepto.pu_mn,
        pu_usd=concepto.pu_usd,
        programa={},
    )
    # The import's own writer (its versions, log and excedentes), not a copy of it.
    return services._anexo_guardar(
        usuario=usuario,
        ot_id=ot_id,
        filas=[fila],
        conceptos={1: concepto},
        nombre_archivo="",
        modo=services.Modo.ACTUALIZAR,
    )


def _solo_pue(concepto: Concepto) -> None:
    if concepto.tipo != Concepto.Tipo.EXTRAORDINARIA:
        raise Conflict(
            gettext("Concepto %(id)s is an ordinary concept; the price book changes it.")
            % {"id": concepto.pk}
        )


@transaction.atomic
def concepto_actualizar(
    *, usuario: User, concepto_id: int, datos: dict[str, Any], if_match: str | None
) -> Concepto:
    """Change a PUE still being drawn up (its anexo, key, text, unit, prices, reference
    quantity, section), each changed field logged. A stale `if_match` is a 412; an ordinary
    concept, an authorised PUE (its prices are the contract's now) or a key its anexo
    already has is a 409."""
    concepto = bloquear_o_404(Concepto.objects.select_related("anexo"), concepto_id, "Concepto")
    exigir_version(if_match, concepto)
    _solo_pue(concepto)
    if concepto.estatus != Concepto.Estatus.EN_ELABORACION:
        raise Conflict(
            gettext("Concepto %(id)s is authorised; its prices are no longer changed here.")
            % {"id": concepto_id}
        )
    antes = actividad.snapshot(concepto)
    datos = dict(datos)
    if "partida" in datos:
        try:
            concepto.partida = lectura.normalizar_partida(datos.pop("partida") or "")
        except ValueError as exc:
            raise InvalidInput(fields={"partida": [str(exc)]}) from exc
        concepto.orden = lectura.orden_de_partida(concepto.partida)
    if "unidad" in datos:
        concepto.unidad = lectura.normalizar_unidad(datos.pop("unidad"))
    for nombre, valor in datos.items():
        setattr(concepto, nombre, valor)
    concepto.huella = huella_concepto(concepto.concepto)
    if (
        concepto.partida
        and Concepto.objects.filter(anexo=concepto.anexo, partida=concepto.partida)
        .exclude(pk=concepto.pk)
        .exists()
    ):
        raise Conflict(
            gettext("Anexo %(anexo)s already has partida %(item)s.")
            % {"anexo": concepto.anexo.clave, "item": concepto.partida}
        )
    concepto.version += 1
    try:
        with transaction.atomic():
            validated(concepto, check_unique=False).save()
    except IntegrityError as exc:
        raise Conflict(
            gettext("Anexo %(anexo)s already has partida %(item)s.")
            % {"anexo": concepto.anexo.clave, "item": concepto.partida}
        ) from exc
    actividad.registrar_cambios(usuario=usuario, antes=antes, instancia=concepto)
    return concepto


@transaction.atomic
def concepto_cambiar_activo(
    *, usuario: User, concepto_id: int, activo: bool, if_match: str | None
) -> Concepto:
    """Deactivate a PUE (`activo=False`) or reactivate it. An inactive one stays on the OT
    anexos that have it and in the log, is offered to no new anexo and is not authorised.
    A stale `if_match` is a 412; an ordinary concept is a 409."""
    concepto = bloquear_o_404(Concepto.objects.select_related("anexo"), concepto_id, "Concepto")
    exigir_version(if_match, concepto)
    _solo_pue(concepto)
    if concepto.activo == activo:
        return concepto
    antes = actividad.snapshot(concepto)
    concepto.activo = activo
    concepto.version += 1
    validated(concepto, check_unique=False).save()
    actividad.registrar_cambios(usuario=usuario, antes=antes, instancia=concepto)
    return concepto
