from __future__ import annotations

import datetime
from decimal import Decimal

import factory

from sascop.ots.tests.factories import OTFactory
from sascop.precios.tests.factories import linea_de
from sascop.produccion.models import Produccion


class ProduccionFactory(factory.django.DjangoModelFactory[Produccion]):
    """A row stored directly (its excedente is not computed: use the services for that)."""

    class Meta:
        model = Produccion

    ot = factory.SubFactory(OTFactory)
    partida_anexo = factory.LazyAttribute(lambda o: linea_de(o.ot))
    sitio = factory.SelfAttribute("ot.sitio")
    fecha_produccion = factory.Sequence(
        lambda n: datetime.date(2026, 1, 1) + datetime.timedelta(days=n)
    )
    volumen_produccion = Decimal("10.5000")
