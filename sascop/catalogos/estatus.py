"""The workflow statuses. They drive behaviour (delivery dates, progress), so they live in
code rather than in an editable table; `/operaciones/api/catalogos/estatus/` lists them."""

from __future__ import annotations

from django.db import models


class EstatusPTE(models.IntegerChoices):
    PENDIENTE = 1, "Pendiente"
    EN_PROCESO = 2, "En proceso"
    ENTREGADA = 3, "Entregada"
    CANCELADA = 4, "Cancelada"
    SUSPENDIDA = 9, "Suspendida"


class EstatusPaso(models.IntegerChoices):
    PENDIENTE = 1, "Pendiente"
    EN_PROCESO = 2, "En proceso"
    COMPLETADO = 3, "Completado"
    CANCELADO = 4, "Cancelado"
    NO_APLICA = 14, "No aplica"
    SUSPENDIDO = 15, "Suspendido"


class EstatusOT(models.IntegerChoices):
    """The client's own codes for an order's state, so its reports and ours line up."""

    ASIGNADA = 5, "Asignada"
    CANCELADA = 6, "Cancelada"
    DIFERIDA = 7, "Diferida"
    EN_EJECUCION = 8, "En ejecución"
    SUSPENDIDA = 9, "Suspendida"
    TERMINADA = 10, "Terminada"
    POR_CANCELAR = 11, "Por cancelar"
    DIFERIDA_SIN_INICIAR = 16, "Diferida (sin iniciar)"


class EstatusCobro(models.IntegerChoices):
    POR_ESTIMAR = 1, "Por estimar"
    ESTIMADA = 2, "Estimada"
    COBRADA = 3, "Cobrada"


# A step counts as done for progress when it is completed or does not apply.
PASOS_HECHOS = (EstatusPaso.COMPLETADO, EstatusPaso.NO_APLICA)

ALL: dict[str, type[models.IntegerChoices]] = {
    "pte": EstatusPTE,
    "paso": EstatusPaso,
    "ot": EstatusOT,
    "cobro": EstatusCobro,
}
