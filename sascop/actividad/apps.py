from __future__ import annotations

from django.apps import AppConfig


class ActividadConfig(AppConfig):
    name = "sascop.actividad"
    label = "actividad"
    verbose_name = "Registro de actividad"

    def ready(self) -> None:
        from sascop.actividad import receivers  # noqa: F401  (connects the receivers)
