from __future__ import annotations

from django.apps import AppConfig


class PreciosConfig(AppConfig):
    name = "sascop.precios"
    label = "precios"
    verbose_name = "Catálogo de precios"
