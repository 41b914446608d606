"""Tasks a worker was running when it died.

A task's writes are one transaction, so a killed worker leaves none of them; but the queue
still says RUNNING. When a worker starts again under the same id, whatever it was running
cannot be running any more: it is marked failed, and its owner polling it is told so."""

from __future__ import annotations

from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult


class TrabajadorInterrumpido(Exception):
    """The worker stopped (killed, machine restarted) while it ran the task."""


def fallar_interrumpidas(trabajador: str) -> list[str]:
    interrumpidas = []
    corriendo = DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING)
    for resultado in corriendo:
        # The last worker to take it is the one running it (a list: a JSON array).
        if resultado.worker_ids and resultado.worker_ids[-1] == trabajador:
            resultado.set_failed(TrabajadorInterrumpido(trabajador))
            interrumpidas.append(str(resultado.id))
    return interrumpidas
