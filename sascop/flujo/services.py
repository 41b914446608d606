"""Workflow-step writes, the same for a PTE's steps and an OT's."""

from __future__ import annotations

from typing import Any, TypeVar

from django.db.models import QuerySet
from django.utils.translation import gettext

from sascop.accounts.models import User
from sascop.catalogos.estatus import EstatusPaso
from sascop.core.errors import NotFound
from sascop.flujo.models import PasoDeFlujo
from sascop.flujo.registros import editar_registro

Paso = TypeVar("Paso", bound=PasoDeFlujo)


def paso_actualizar(
    *,
    usuario: User,
    pasos: QuerySet[Paso],
    detalle_id: int,
    datos: dict[str, Any],
    if_match: str | None,
    de: str,
) -> Paso:
    """Edit one step among `pasos` (a PTE's or an OT's, whose parent the caller locked).

    Completado stamps `fecha_entrega` (today unless given); leaving it clears the date.
    """
    detalle = pasos.filter(pk=detalle_id).first()
    if detalle is None:
        raise NotFound(
            gettext("%(parent)s has no step %(step)s.") % {"parent": de, "step": detalle_id}
        )
    return editar_registro(
        usuario=usuario,
        instancia=detalle,
        datos=datos,
        if_match=if_match,
        entregado=EstatusPaso.COMPLETADO,
    )
