"""Who is on duty at a site each day: the client's rule of two superintendents taking turns,
14 days on and 14 off, from a cycle's start date (`CicloGuardia`).

Nothing is stored per day: the calendar is computed from the cycles, so changing a cycle's
start date (or adding a later cycle) changes every day it governs at once.
"""

from __future__ import annotations

import calendar
import datetime
from typing import Any

from sascop.catalogos.models import CicloGuardia, Sitio, Superintendente

# Days each superintendent stands in a row before the other takes over.
TURNO = 14


def de_guardia(ciclo: CicloGuardia, dia: datetime.date) -> Superintendente | None:
    """The superintendent `ciclo` puts on duty on `dia` (None before the cycle starts): A on
    days 1-14 of each 28, B on days 15-28."""
    transcurridos = (dia - ciclo.fecha_inicio).days
    if transcurridos < 0:
        return None
    return ciclo.superintendente_a if (transcurridos // TURNO) % 2 == 0 else ciclo.superintendente_b


def calendario(*, sitio_id: int, anio: int, mes: int) -> dict[int, Superintendente | None]:
    """Each day of the month and who is on duty at the site (one query): the active cycle
    that started last on or before that day decides it; a day before every cycle has
    nobody."""
    ultimo = calendar.monthrange(anio, mes)[1]
    fin = datetime.date(anio, mes, ultimo)
    ciclos = list(
        CicloGuardia.objects.filter(sitio_id=sitio_id, activo=True, fecha_inicio__lte=fin)
        .select_related("superintendente_a", "superintendente_b")
        .order_by("fecha_inicio")
    )
    dias: dict[int, Superintendente | None] = {}
    for numero in range(1, ultimo + 1):
        dia = datetime.date(anio, mes, numero)
        vigente = None
        for ciclo in ciclos:  # in start order: the last that has begun wins
            if ciclo.fecha_inicio <= dia:
                vigente = ciclo
        dias[numero] = de_guardia(vigente, dia) if vigente is not None else None
    return dias


def superintendente_json(persona: Superintendente | None) -> dict[str, Any] | None:
    if persona is None:
        return None
    return {"id": persona.pk, "nombre": persona.nombre, "color": persona.color}


def guardias_del_mes(*, sitio: Sitio, anio: int, mes: int) -> dict[str, Any]:
    """The API's answer: the site, the month and, per day, who is on duty (or null)."""
    dias = calendario(sitio_id=sitio.pk, anio=anio, mes=mes)
    return {
        "sitio": sitio.pk,
        "sitio_descripcion": sitio.descripcion,
        "anio": anio,
        "mes": mes,
        "dias": {str(dia): superintendente_json(persona) for dia, persona in dias.items()},
    }
