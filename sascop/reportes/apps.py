from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportesConfig(AppConfig):
    name = "sascop.reportes"
    label = "reportes"
    verbose_name = _("Reports")
