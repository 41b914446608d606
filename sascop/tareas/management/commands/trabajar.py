"""The task worker: the queue's own `db_worker`, after two chores of its start."""

from __future__ import annotations

import socket
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from sascop.tareas import programa, recuperacion


class Command(BaseCommand):
    help = (
        "Run the queued tasks (workbook imports, the weekly report). On start it marks as "
        "failed the tasks this worker was running when it last stopped (their transaction "
        "was rolled back), and queues the next run of every recurring task. Each worker "
        "needs its own --id (TRABAJADOR_ID; the host name by default)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--id",
            default=settings.TRABAJADOR_ID or socket.gethostname()[:64],
            help="this worker's id, unique among the workers of the installation",
        )
        parser.add_argument(
            "--max-tareas", type=int, default=None, help="exit after running this many tasks"
        )
        parser.add_argument(
            "--intervalo",
            type=float,
            default=1.0,
            help="seconds between looks at an empty queue",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        trabajador = options["id"]
        for tarea_id in recuperacion.fallar_interrumpidas(trabajador):
            self.stdout.write(_("Task %(id)s was interrupted: marked failed.") % {"id": tarea_id})
        for ruta in programa.asegurar_programadas():
            self.stdout.write(_("Next run of %(tarea)s queued.") % {"tarea": ruta})
        worker_options: dict[str, Any] = {
            "queue_name": "*",
            "worker_id": trabajador,
            "interval": options["intervalo"],
            "reload": False,
            "startup_delay": False,
            "verbosity": options["verbosity"],
        }
        if options["max_tareas"]:
            worker_options["max_tasks"] = options["max_tareas"]
        call_command("db_worker", **worker_options)
