from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TareasConfig(AppConfig):
    name = "sascop.tareas"
    label = "tareas"
    verbose_name = _("Background tasks")
