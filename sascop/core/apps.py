from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "sascop.core"
    label = "core"
    verbose_name = _("SASCOP core")

    def ready(self) -> None:
        from sascop.core import checks, signals  # noqa: F401  (register them)
        from sascop.core.db import postgresql  # noqa: F401  (register them)
