"""Rebuild the dashboard's running totals from the rows, or just fold their ledgers."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from sascop.estadisticas import resumenes
from sascop.produccion import hojas


class Command(BaseCommand):
    help = (
        "Reinstall any missing summary trigger and rebuild the dashboard totals from the PTE, "
        "OT and production rows (needed only after a TRUNCATE or a restore that bypassed "
        "the triggers). With --compactar, only fold the ledgers into one row per key (the "
        "dashboard's and the monthly sheets')."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--compactar", action="store_true")

    def handle(self, *args: Any, compactar: bool = False, **options: Any) -> None:
        if compactar:
            resumenes.compactar()
            hojas.compactar_todas()
            self.stdout.write("Totales compactados.")
            return
        if not resumenes.instalar():
            resumenes.recalcular()
        self.stdout.write("Totales recalculados.")
