from __future__ import annotations

import datetime
from decimal import Decimal

import factory

from sascop.catalogos.tests.factories import PartidaFactory
from sascop.ots.tests.factories import OTFactory
from sascop.produccion.models import Produccion


class ProduccionFactory(factory.django.DjangoModelFactory[Produccion]):
    class Meta:
        model = Produccion

    ot = factory.SubFactory(OTFactory)
    partida = factory.SubFactory(PartidaFactory)
    unidad = factory.SelfAttribute("partida.unidad")
    sitio = factory.SelfAttribute("ot.sitio")
    fecha_produccion = factory.Sequence(
        lambda n: datetime.date(2026, 1, 1) + datetime.timedelta(days=n)
    )
    volumen_produccion = Decimal("10.5000")
