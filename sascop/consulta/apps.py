from __future__ import annotations

from django.apps import AppConfig
from django.db.models.signals import post_migrate, pre_migrate
from django.utils.translation import pgettext_lazy


class ConsultaConfig(AppConfig):
    name = "sascop.consulta"
    label = "consulta"
    verbose_name = pgettext_lazy("consulta", "Search")

    def ready(self) -> None:
        from sascop.consulta import indice

        # The triggers that keep the search index current live outside migrations (indice.py).
        pre_migrate.connect(indice.antes_de_migrar, sender=self)
        post_migrate.connect(indice.despues_de_migrar, sender=self)
