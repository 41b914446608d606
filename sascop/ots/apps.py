from __future__ import annotations

from django.apps import AppConfig


class OtsConfig(AppConfig):
    name = "sascop.ots"
    label = "ots"
    verbose_name = "Órdenes de trabajo"

    def ready(self) -> None:
        from sascop.core.cache.datacache import track
        from sascop.ots.models import OT

        track(OT)
