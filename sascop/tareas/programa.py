"""Recurring tasks, scheduled on the queue itself: each run of a recurring task is a queued
task whose `run_after` is its next time, and the worker (`manage.py trabajar`) makes sure,
when it starts, that every recurring task has its next run queued.

`TAREAS_PROGRAMADAS` (settings) maps a task's dotted path to its weekly time as
`(iso_weekday, hour, minute)` in the installation's time zone (TIME_ZONE).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks import TaskResultStatus
from django_tasks.base import Task
from django_tasks_db.models import DBTaskResult

from sascop.tareas.services import tarea_encolar


def siguiente(
    cuando: tuple[int, int, int], despues_de: datetime.datetime | None = None
) -> datetime.datetime:
    """The first instant after `despues_de` (now by default) that falls on the weekly time
    `cuando`, in the installation's time zone."""
    dia_semana, hora, minuto = cuando
    local = timezone.localtime(despues_de or timezone.now())
    candidata = local.replace(hour=hora, minute=minuto, second=0, microsecond=0)
    candidata += datetime.timedelta(days=(dia_semana - local.isoweekday()) % 7)
    if candidata <= local:
        candidata += datetime.timedelta(days=7)
    # Re-attach the zone so a daylight-saving change between now and then is respected.
    return timezone.make_aware(candidata.replace(tzinfo=None))


def asegurar_programadas() -> list[str]:
    """Queue the next run of every recurring task that has none waiting; returns which."""
    encoladas = []
    for ruta, cuando in settings.TAREAS_PROGRAMADAS.items():
        with transaction.atomic():
            pendiente = DBTaskResult.objects.select_for_update().filter(
                task_path=ruta, status=TaskResultStatus.READY
            )
            if pendiente.exists():
                continue
            tarea: Task[Any, Any] = import_string(ruta)
            tarea_encolar(tarea, run_after=siguiente(cuando), tipo=ruta.rsplit(".", 1)[-1])
            encoladas.append(ruta)
    return encoladas


def programar_siguiente(ruta: str) -> None:
    """For a recurring task's last step: queue its next run."""
    cuando = settings.TAREAS_PROGRAMADAS[ruta]
    tarea: Task[Any, Any] = import_string(ruta)
    tarea_encolar(tarea, run_after=siguiente(cuando), tipo=ruta.rsplit(".", 1)[-1])
