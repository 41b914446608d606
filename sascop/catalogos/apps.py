from __future__ import annotations

from django.apps import AppConfig


class CatalogosConfig(AppConfig):
    name = "sascop.catalogos"
    label = "catalogos"
    verbose_name = "Catálogos"

    def ready(self) -> None:
        from sascop.catalogos import schema  # noqa: F401  (registers the OpenAPI extensions)
