"""Workflow progress: the one place it is computed."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Count, Q, QuerySet

from sascop.catalogos.estatus import PASOS_HECHOS


def progreso_por(detalles: QuerySet[Any], campo: str, ids: Iterable[int]) -> dict[int, float]:
    """Percent of steps done (Completado or No aplica) per parent, in one query.

    `detalles` is a step model's queryset, `campo` the parent's foreign key (`pte_id`,
    `ot_id`). A parent without steps is absent from the answer (its progress is 0).
    """
    rows = (
        detalles.filter(**{f"{campo}__in": list(ids)})
        .order_by()  # the steps' default ordering would join Paso into the GROUP BY
        .values(campo)
        .annotate(total=Count("id"), hechos=Count("id", filter=Q(estatus__in=PASOS_HECHOS)))
    )
    return {row[campo]: round(100 * row["hechos"] / row["total"], 2) for row in rows}
