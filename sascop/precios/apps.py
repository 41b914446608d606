from __future__ import annotations

import datetime
from decimal import Decimal

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _tipo_de_cambio(fecha: datetime.date) -> tuple[datetime.date, Decimal] | None:
    from sascop.precios.selectors import tipo_cambio_vigente

    tipo = tipo_cambio_vigente(fecha)
    return (tipo.fecha, tipo.valor) if tipo is not None else None


class PreciosConfig(AppConfig):
    name = "sascop.precios"
    label = "precios"
    verbose_name = _("Price book")

    def ready(self) -> None:
        from sascop.core.cache.datacache import track
        from sascop.ots.selectors import con_tipo_de_cambio
        from sascop.precios.models import AnexoOT

        # An OT's contracted amount is its active anexo's total: figures cached from OTs
        # (the dashboard's) are stale once an anexo version is written.
        track(AnexoOT)
        # The OT's page homologates its anexo's total at the rate the price book keeps.
        con_tipo_de_cambio(_tipo_de_cambio)
