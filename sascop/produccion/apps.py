from __future__ import annotations

from django.apps import AppConfig
from django.db.models.signals import post_migrate, pre_migrate
from django.utils.translation import gettext_lazy as _


class ProduccionConfig(AppConfig):
    name = "sascop.produccion"
    label = "produccion"
    verbose_name = _("Production")

    def ready(self) -> None:
        from sascop.core.cache.datacache import track
        from sascop.ots.services import al_eliminar_ot
        from sascop.precios.services import al_importar_anexo
        from sascop.produccion import hojas
        from sascop.produccion.excedentes import recalcular_familia, tras_importar_anexo
        from sascop.produccion.models import Produccion

        # Read by the dashboard's cached figures.
        track(Produccion)
        # The triggers that tell a stored sheet is still right (hojas.py) live outside
        # migrations.
        pre_migrate.connect(hojas.antes_de_migrar, sender=self)
        post_migrate.connect(hojas.despues_de_migrar, sender=self)
        # An anexo import changes what is authorised: the rows move to the new lines and
        # the excedentes are recomputed in the import's transaction.
        al_importar_anexo(tras_importar_anexo)
        # A deleted OT's production leaves its family's accumulation (as it leaves the
        # dashboard's totals): the rest of the family is recomputed in the delete's
        # transaction.
        al_eliminar_ot(recalcular_familia)
