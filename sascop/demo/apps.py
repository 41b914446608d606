from __future__ import annotations

from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "sascop.demo"
    label = "demo"
    verbose_name = "Datos de demostración"
