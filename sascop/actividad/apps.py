from __future__ import annotations

from django.apps import AppConfig


class ActividadConfig(AppConfig):
    name = "sascop.actividad"
    label = "actividad"
    verbose_name = "Registro de actividad"
