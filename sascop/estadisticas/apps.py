from __future__ import annotations

from django.apps import AppConfig


class EstadisticasConfig(AppConfig):
    name = "sascop.estadisticas"
    label = "estadisticas"
    verbose_name = "Estadísticas"
