from __future__ import annotations

from django.apps import AppConfig


class EstadisticasConfig(AppConfig):
    name = "sascop.estadisticas"
    label = "estadisticas"
    verbose_name = "Estadísticas"

    def ready(self) -> None:
        from sascop.estadisticas import receivers  # noqa: F401  (connects the receivers)
