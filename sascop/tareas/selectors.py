"""A task's state as its owner may read it."""

from __future__ import annotations

from typing import Any

from django_tasks import TaskResultStatus, default_task_backend
from django_tasks.exceptions import TaskResultDoesNotExist

from sascop.tareas.models import Tarea

ESTADOS = {
    TaskResultStatus.READY: "en_cola",
    TaskResultStatus.RUNNING: "ejecutando",
    TaskResultStatus.SUCCESSFUL: "terminada",
    TaskResultStatus.FAILED: "fallida",
}


def tarea_de(tarea_id: str, usuario: Any) -> Tarea | None:
    """The task if `usuario` queued it (or administers the system)."""
    tareas = Tarea.objects.filter(pk=tarea_id)
    if not usuario.is_superuser:
        tareas = tareas.filter(usuario=usuario)
    return tareas.first()


def tarea_estado(tarea: Tarea) -> dict[str, Any]:
    """`{"estado", "avance", "resultado"}`: avance is the percentage done (null while the task
    has not said how much there is), resultado what a finished task returned. A task that
    failed because its input was refused (an import's unreadable rows) adds `error`: the
    error body the request would have answered."""
    try:
        resultado = default_task_backend.get_result(str(tarea.pk))
    except TaskResultDoesNotExist:  # pruned from the queue after it finished
        return {"estado": "desconocido", "avance": None, "resultado": None}
    estado = ESTADOS[resultado.status]
    avance: int | None = None
    if estado == "terminada":
        avance = 100
    elif tarea.total:
        avance = min(99, tarea.hechas * 100 // tarea.total)
    elif tarea.total == 0:
        avance = 0
    cuerpo: dict[str, Any] = {"estado": estado, "avance": avance, "resultado": None}
    if estado == "terminada":
        cuerpo["resultado"] = resultado.return_value
    elif estado == "fallida" and tarea.error is not None:
        cuerpo["error"] = tarea.error
    return cuerpo
