"""Recompute every production row's excedente and every anexo line's totals.

    python manage.py recalcular_excedentes

Writes keep them current by themselves; this is for after a data migration or a repair.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from sascop.produccion import excedentes


class Command(BaseCommand):
    help = "Recompute the excedente of every production row and the anexo lines' totals."

    def handle(self, *args: Any, **options: Any) -> None:
        with transaction.atomic():
            cambiadas = excedentes.recalcular_todo()
        self.stdout.write(f"{cambiadas} production rows changed.")
