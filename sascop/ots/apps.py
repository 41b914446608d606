from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OtsConfig(AppConfig):
    name = "sascop.ots"
    label = "ots"
    verbose_name = _("Work orders")

    def ready(self) -> None:
        from sascop.core.cache.datacache import track
        from sascop.ots.models import OT

        track(OT)
