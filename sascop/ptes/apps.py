from __future__ import annotations

from django.apps import AppConfig


class PtesConfig(AppConfig):
    name = "sascop.ptes"
    label = "ptes"
    verbose_name = "Propuestas técnico-económicas"
