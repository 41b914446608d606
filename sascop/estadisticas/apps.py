from __future__ import annotations

from django.apps import AppConfig
from django.db.models.signals import post_migrate, pre_migrate
from django.utils.translation import gettext_lazy as _


class EstadisticasConfig(AppConfig):
    name = "sascop.estadisticas"
    label = "estadisticas"
    verbose_name = _("Statistics")

    def ready(self) -> None:
        from sascop.estadisticas import resumenes

        # The database triggers that keep the totals (resumenes.py) live outside migrations.
        pre_migrate.connect(resumenes.antes_de_migrar, sender=self)
        post_migrate.connect(resumenes.despues_de_migrar, sender=self)
