from __future__ import annotations

from django.apps import AppConfig


class CatalogosConfig(AppConfig):
    name = "sascop.catalogos"
    label = "catalogos"
    verbose_name = "Catálogos"
