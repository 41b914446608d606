from __future__ import annotations

from django.apps import AppConfig


class PtesConfig(AppConfig):
    name = "sascop.ptes"
    label = "ptes"
    verbose_name = "Propuestas técnico-económicas"

    def ready(self) -> None:
        from sascop.core.cache.datacache import track
        from sascop.ptes.models import PTE

        track(PTE)
