from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogosConfig(AppConfig):
    name = "sascop.catalogos"
    label = "catalogos"
    verbose_name = _("Catalogs")

    def ready(self) -> None:
        from sascop.catalogos import schema  # noqa: F401  (registers the OpenAPI extensions)
