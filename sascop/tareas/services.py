"""Queueing work, and telling how far it has got.

Tasks go to Django's task framework (the `django-tasks` backport) on its database backend:
a task queued inside a transaction exists only if that transaction commits, and the worker
(`manage.py trabajar`) takes it with the same database the data lives in.
"""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from django.db import transaction
from django_tasks import TaskResult
from django_tasks.base import Task

from sascop.tareas.models import Tarea


def tarea_encolar(
    tarea: Task[Any, Any],
    *args: Any,
    usuario: Any = None,
    tipo: str = "",
    run_after: datetime.datetime | None = None,
    **kwargs: Any,
) -> Tarea:
    """Queue `tarea(*args, **kwargs)` for the worker and record whose it is."""
    with transaction.atomic():
        if run_after is not None:
            tarea = tarea.using(run_after=run_after)
        resultado: TaskResult[Any] = tarea.enqueue(*args, **kwargs)
        return Tarea.objects.create(
            id=uuid.UUID(str(resultado.id)),
            usuario=usuario if getattr(usuario, "is_authenticated", False) else None,
            tipo=tipo or tarea.name,
        )


def tarea_avanzar(tarea_id: str, *, hechas: int, total: int | None = None) -> None:
    """Record progress (rows read of `total`, say): one UPDATE. Call it outside the task's
    own transaction (while reading a workbook, before writing it), or a poller sees it only
    when that transaction commits."""
    campos: dict[str, Any] = {"hechas": hechas}
    if total is not None:
        campos["total"] = total
    Tarea.objects.filter(pk=tarea_id).update(**campos)
