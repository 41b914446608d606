from __future__ import annotations

from django.apps import AppConfig


class ProduccionConfig(AppConfig):
    name = "sascop.produccion"
    label = "produccion"
    verbose_name = "Producción"
