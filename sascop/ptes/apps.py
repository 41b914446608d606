from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PtesConfig(AppConfig):
    name = "sascop.ptes"
    label = "ptes"
    verbose_name = _("Technical-economic proposals")

    def ready(self) -> None:
        from sascop.core.cache.datacache import track
        from sascop.ptes.models import PTE

        track(PTE)
