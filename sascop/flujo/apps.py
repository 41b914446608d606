from __future__ import annotations

from django.apps import AppConfig


class FlujoConfig(AppConfig):
    """Installed for its templates (the steps' partials); it owns no tables."""

    name = "sascop.flujo"
    label = "flujo"
    verbose_name = "Flujo"
