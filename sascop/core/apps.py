from __future__ import annotations

from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "sascop.core"
    label = "core"
    verbose_name = "SASCOP core"

    def ready(self) -> None:
        from sascop.core import checks, signals  # noqa: F401  (register them)
        from sascop.core.db import postgresql  # noqa: F401  (register them)
