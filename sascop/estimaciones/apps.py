from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EstimacionesConfig(AppConfig):
    name = "sascop.estimaciones"
    label = "estimaciones"
    verbose_name = _("Estimates")

    def ready(self) -> None:
        from sascop.estimaciones.services import exigir_sin_estimacion
        from sascop.produccion.services import antes_de_cambiar_filas

        # Production a presented estimación covers is frozen: its edits and deletes are
        # refused in the production write's own transaction.
        antes_de_cambiar_filas(exigir_sin_estimacion)
