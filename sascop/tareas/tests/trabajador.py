"""The queue's worker, run in the test's process as its command would run it."""

from __future__ import annotations

from io import StringIO

from django.core.management import call_command


def trabajar_una() -> None:
    """Let the worker take and run one queued task, quietly."""
    call_command(
        "trabajar", "--max-tareas", "1", "--intervalo", "0", "--id", "w-prueba", stdout=StringIO()
    )
