"""`manage.py renovar_instalacion`: a new identity for this database (after a restore)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from sascop.core.cache import instalacion


class Command(BaseCommand):
    help = (
        "Gives this database a new identity, so that no copy kept in Redis for it before "
        "(sessions, users, cached results) is read again. Run it after restoring a backup."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        instalacion.renovar()
        self.stdout.write("La base de datos tiene una identidad nueva.")
