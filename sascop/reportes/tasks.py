"""The weekly report as a recurring task of the queue (Monday 07:00, TAREAS_PROGRAMADAS)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django_tasks import task

from sascop.reportes import services
from sascop.reportes.selectors import semana_anterior
from sascop.tareas import programa

RUTA = "sascop.reportes.tasks.reporte_semanal_programado"


@task()
def reporte_semanal_programado() -> dict[str, Any]:
    # The next run is queued first, so a failure this week does not stop the schedule.
    programa.programar_siguiente(RUTA)
    desde, hasta = semana_anterior(timezone.localdate())
    para = []
    if services.destinatarios():  # with nobody to send it to, the run just passes
        para = services.reporte_semanal_enviar(desde=desde, hasta=hasta)
    return {"desde": desde.isoformat(), "hasta": hasta.isoformat(), "enviado_a": para}
