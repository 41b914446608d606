"""Tasks the worker end-to-end tests queue (importable by the worker process from the
project's root, like any task)."""

from __future__ import annotations

import time
from pathlib import Path

from django.db import connection, transaction
from django.utils.module_loading import import_string
from django_tasks import task

from sascop.reportes.models import DestinatarioReporte
from sascop.tareas.services import tarea_avanzar


@task(takes_context=True)
def registrar_y_esperar(context, correos: list[str], espera: str) -> int:
    """Report progress, then write one row per address in one transaction and, inside it,
    say so (the file `espera` + ".dentro") and wait until the file `espera` exists: a test
    kills the worker meanwhile, or has created it."""
    tarea_avanzar(context.task_result.id, hechas=1, total=len(correos) + 1)
    with transaction.atomic():
        for correo in correos:
            DestinatarioReporte.objects.create(correo=correo)
        Path(f"{espera}.dentro").touch()
        while not Path(espera).exists():
            time.sleep(0.05)
    return len(correos)


@task(takes_context=True)
def importar_y_esperar(context, espera: str, ruta: str, tabla: str, **importacion):
    """The import task at `ruta` (`sascop.precios.tareas.importar_archivo`...) as the worker
    runs it, stopped inside its transaction once it has written a row of `tabla`: it says so
    (the file `espera` + ".dentro") and waits until the file `espera` exists."""
    importar = import_string(ruta)

    def detener(execute, sql, params, many, contexto):
        resultado = execute(sql, params, many, contexto)
        if sql.startswith(f'INSERT INTO "{tabla}"'):
            Path(f"{espera}.dentro").touch()
            while not Path(espera).exists():
                time.sleep(0.05)
        return resultado

    with connection.execute_wrapper(detener):
        return importar.call(context, **importacion)
