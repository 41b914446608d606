from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActividadConfig(AppConfig):
    name = "sascop.actividad"
    label = "actividad"
    verbose_name = _("Activity log")
