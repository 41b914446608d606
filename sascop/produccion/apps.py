from __future__ import annotations

from django.apps import AppConfig


class ProduccionConfig(AppConfig):
    name = "sascop.produccion"
    label = "produccion"
    verbose_name = "Producción"

    def ready(self) -> None:
        from sascop.core.datacache import track
        from sascop.produccion.models import Produccion

        track(Produccion)
