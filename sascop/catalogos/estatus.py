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
    POR_INICIAR = 1, "Por iniciar"
    EN_PROCESO = 2, "En proceso"
    TERMINADA = 3, "Terminada"
    CANCELADA = 4, "Cancelada"
    SUSPENDIDA = 9, "Suspendida"


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
