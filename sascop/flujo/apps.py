from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FlujoConfig(AppConfig):
    """Installed for its templates (the steps' partials); it owns no tables."""

    name = "sascop.flujo"
    label = "flujo"
    verbose_name = _("Workflow")
