"""Estimación writes: drawing one up, its life (BORRADOR → PRESENTADA → AUTORIZADA →
PAGADA, or RECHAZADA with a reason) and the freeze of the production it claims.

A BORRADOR claims and freezes nothing: its lines are a preview, drawn again from the
production as it then stands when it is presented (and when its period changes). From
PRESENTADA on, its lines are fixed, the volume it claims cannot be claimed again and its
production rows cannot be changed or deleted; RECHAZADA frees both.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext

from sascop.accounts.models import User
from sascop.actividad import services as actividad
from sascop.catalogos.estatus import EstatusCobro
from sascop.core.api.etags import exigir_version
from sascop.core.db.queries import bloquear_o_404
from sascop.core.errors import Conflict, InvalidInput
from sascop.estimaciones import selectors
from sascop.estimaciones.models import (
    Estimacion,
    EstimacionPartida,
    EstimacionProduccion,
    EventoEstimacion,
)
from sascop.ots.models import OT
from sascop.produccion import services as produccion
from sascop.produccion.models import Produccion

E = Estimacion.Estatus
# The steps an estimación may take from each state.
PASOS: dict[str, tuple[str, ...]] = {
    E.BORRADOR: (E.PRESENTADA,),
    E.PRESENTADA: (E.AUTORIZADA, E.RECHAZADA),
    E.AUTORIZADA: (E.PAGADA,),
    E.PAGADA: (),
    E.RECHAZADA: (),
}
# What only a draft lets change.
DEL_BORRADOR = ("desde", "hasta", "oficio")


def _exigir_periodo(desde: datetime.date, hasta: datetime.date) -> None:
    if desde > hasta:
        raise InvalidInput(fields={"hasta": [gettext("Must not be before desde.")]})


def _dibujar(estimacion: Estimacion) -> None:
    """(Re)draw the estimación's lines and totals from the production as it stands."""
    estimacion.partidas.all().delete()  # and their rows
    lineas = selectors.lineas_reclamables(estimacion.ot_id, estimacion.desde, estimacion.hasta)
    partidas = EstimacionPartida.objects.bulk_create(
        EstimacionPartida(
            estimacion=estimacion,
            partida_anexo=linea.partida_anexo,
            orden=orden,
            anexo=linea.partida_anexo.concepto.anexo.clave,
            partida=linea.partida_anexo.concepto.partida,
            concepto=linea.partida_anexo.concepto.concepto,
            unidad=linea.partida_anexo.concepto.unidad,
            volumen=linea.volumen,
            excedente=linea.excedente,
            pu_mn=linea.partida_anexo.pu_mn,
            pu_usd=linea.partida_anexo.pu_usd,
            importe_mn=linea.importe_mn,
            importe_usd=linea.importe_usd,
        )
        for orden, linea in enumerate(lineas, start=1)
    )
    EstimacionProduccion.objects.bulk_create(
        EstimacionProduccion(
            estimacion=estimacion,
            partida=partida,
            produccion=fila.produccion,
            fecha=fila.produccion.fecha_produccion,
            volumen=fila.volumen,
            excedente=fila.excedente,
        )
        for partida, linea in zip(partidas, lineas, strict=True)
        for fila in linea.filas
    )
    if lineas:
        estimacion.contrato = lineas[0].partida_anexo.concepto.anexo.contrato.numero
    estimacion.importe_mn = sum((p.importe_mn for p in partidas), Decimal("0"))
    estimacion.importe_usd = sum((p.importe_usd for p in partidas), Decimal("0"))
    if not any(p.volumen > 0 for p in partidas):  # excedentes alone claim nothing
        raise Conflict(
            gettext(
                "The OT has no signed-off production left to claim between %(desde)s and %(hasta)s."
            )
            % {"desde": estimacion.desde.isoformat(), "hasta": estimacion.hasta.isoformat()}
        )


def _evento(estimacion: Estimacion, usuario: User | None, anterior: str, motivo: str = "") -> None:
    EventoEstimacion.objects.create(
        estimacion=estimacion,
        estatus_anterior=anterior,
        estatus=estimacion.estatus,
        motivo=motivo,
        usuario=usuario if usuario is not None and usuario.is_authenticated else None,
    )


@transaction.atomic
def estimacion_crear(
    *, usuario: User, ot_id: int, desde: datetime.date, hasta: datetime.date, oficio: str = ""
) -> Estimacion:
    """Draw up a draft estimación of the OT for the period: every row of a signed-off day
    (and, on C-2/C-3 lines, of a signed-off GPU record) at its line's P.U., less what
    earlier estimaciones claimed; excedentes listed apart. 409 when there is nothing."""
    _exigir_periodo(desde, hasta)
    ot = bloquear_o_404(OT.objects.all(), ot_id, "OT")  # one numbering at a time
    numero = (ot.estimaciones.aggregate(n=Max("numero"))["n"] or 0) + 1
    estimacion = Estimacion(
        ot=ot,
        numero=numero,
        desde=desde,
        hasta=hasta,
        oficio=oficio,
        creado_por=usuario if usuario.is_authenticated else None,
    )
    estimacion.full_clean()
    estimacion.save()
    _dibujar(estimacion)
    estimacion.save(update_fields=["importe_mn", "importe_usd", "contrato"])
    _evento(estimacion, usuario, "")
    actividad.registrar_creaciones(usuario=usuario, instancias=[estimacion])
    return estimacion


def _presentar(estimacion: Estimacion) -> None:
    bloquear_o_404(OT.objects.all(), estimacion.ot_id, "OT")  # claims of an OT one at a time
    _dibujar(estimacion)
    estimacion.filas.update(vigente=True)


def _cobro_de_sus_filas(estimacion: Estimacion, usuario: User | None) -> None:
    """The billing status of the rows whose volume it claims, from every presented,
    authorised or paid claim on them: none, POR_ESTIMAR; all paid, COBRADA; else ESTIMADA."""
    filas = list(
        estimacion.filas.filter(volumen__gt=0, produccion__isnull=False).values_list(
            "produccion_id", flat=True
        )
    )
    estados: dict[int, set[str]] = {pk: set() for pk in filas if pk is not None}
    for pk, estatus in EstimacionProduccion.objects.filter(
        produccion_id__in=estados, vigente=True, volumen__gt=0
    ).values_list("produccion_id", "estimacion__estatus"):
        estados[pk].add(estatus)
    produccion.produccion_fijar_cobro(
        usuario=usuario,
        estatus={
            pk: (
                EstatusCobro.POR_ESTIMAR
                if not vistos
                else EstatusCobro.COBRADA
                if vistos == {E.PAGADA}
                else EstatusCobro.ESTIMADA
            )
            for pk, vistos in estados.items()
        },
    )


@transaction.atomic
def estimacion_actualizar(
    *, usuario: User, estimacion_id: int, datos: dict[str, Any], if_match: str | None = None
) -> Estimacion:
    """Change a draft's period or oficio (its lines are drawn again), or move the
    estimación to its next state (`estatus`; RECHAZADA needs `motivo_rechazo`). A stale
    `if_match` is 412; a step the state does not allow, or a change to a presented one, 409."""
    estimacion = bloquear_o_404(Estimacion.objects.all(), estimacion_id, "Estimación")
    exigir_version(if_match, estimacion)
    antes = actividad.snapshot(estimacion)
    anterior = estimacion.estatus
    nuevo = datos.get("estatus", anterior)
    cambia = {
        nombre: valor
        for nombre, valor in datos.items()
        if nombre in DEL_BORRADOR and getattr(estimacion, nombre) != valor
    }
    if cambia and anterior != E.BORRADOR:
        raise Conflict(
            gettext("A %(estatus)s estimación is frozen: only a draft's period or oficio change.")
            % {"estatus": anterior}
        )
    for nombre, valor in cambia.items():
        setattr(estimacion, nombre, valor)
    _exigir_periodo(estimacion.desde, estimacion.hasta)
    if nuevo != anterior and nuevo not in PASOS[anterior]:
        raise Conflict(
            gettext("An estimación %(antes)s cannot become %(despues)s.")
            % {"antes": anterior, "despues": nuevo}
        )
    motivo = (datos.get("motivo_rechazo") or "").strip()
    if nuevo == E.RECHAZADA and nuevo != anterior:
        if not motivo:
            raise InvalidInput(
                fields={"motivo_rechazo": [gettext("Say why the estimación is rejected.")]}
            )
        estimacion.motivo_rechazo = motivo
    if not cambia and nuevo == anterior:
        return estimacion
    estimacion.estatus = nuevo
    if nuevo == E.PRESENTADA and anterior == E.BORRADOR:
        _presentar(estimacion)
    elif cambia.keys() & {"desde", "hasta"}:
        _dibujar(estimacion)
    elif nuevo == E.RECHAZADA:
        estimacion.filas.update(vigente=False)
    estimacion.version += 1
    estimacion.actualizado_en = timezone.now()
    estimacion.full_clean()
    estimacion.save()
    if nuevo != anterior:
        _evento(estimacion, usuario, anterior, motivo if nuevo == E.RECHAZADA else "")
        _cobro_de_sus_filas(estimacion, usuario)
    actividad.registrar_cambios(usuario=usuario, antes=antes, instancia=estimacion)
    return estimacion


@transaction.atomic
def estimacion_eliminar(*, usuario: User, estimacion_id: int, if_match: str | None = None) -> None:
    """Delete a draft (a presented estimación is rejected instead, never deleted)."""
    estimacion = bloquear_o_404(Estimacion.objects.all(), estimacion_id, "Estimación")
    exigir_version(if_match, estimacion)
    if estimacion.estatus != E.BORRADOR:
        raise Conflict(gettext("Only a draft estimación can be deleted."))
    actividad.registrar_eliminacion(usuario=usuario, instancia=estimacion)
    estimacion.delete()


def exigir_sin_estimacion(filas: Sequence[Produccion]) -> None:
    """409 if a presented, authorised or paid estimación covers any of these rows: its
    production cannot change until it is rejected."""
    cubiertas = sorted(
        set(
            EstimacionProduccion.objects.filter(
                vigente=True, produccion_id__in=[f.pk for f in filas if f.pk]
            ).values_list("produccion_id", "estimacion__ot__orden_trabajo", "estimacion__numero")
        )
    )
    if cubiertas:
        nombres = sorted({f"{ot} E-{numero}" for _, ot, numero in cubiertas})
        raise Conflict(
            gettext(
                "The estimación %(estimaciones)s claims this production; it cannot change "
                "unless the estimación is rejected."
            )
            % {"estimaciones": ", ".join(nombres)},
            estimadas=[pk for pk, _, _ in cubiertas],
        )
