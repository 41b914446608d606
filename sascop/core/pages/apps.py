from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PaginasConfig(AppConfig):
    name = "sascop.core.pages"
    label = "paginas"
    verbose_name = _("Pages")
