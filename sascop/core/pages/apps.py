from __future__ import annotations

from django.apps import AppConfig


class PaginasConfig(AppConfig):
    name = "sascop.core.pages"
    label = "paginas"
    verbose_name = "Páginas"
