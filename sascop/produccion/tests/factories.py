from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import factory

from sascop.ots.tests.factories import OTFactory
from sascop.precios.models import ProgramaDiario
from sascop.precios.tests.factories import ConceptoFactory, linea_de
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


def tuberia_programada(ot: Any) -> Any:
    """The sheets' usual line on `ot`: C-5 2.1 "Tubería", 100 M at $1,000.00, with 40 M
    programmed on 2026-05-04."""
    tubo = linea_de(
        ot,
        concepto=ConceptoFactory(anexo__clave="C-5", partida="2.1", concepto="Tubería",
                                 unidad="M", pu_mn=Decimal("1000.00")),
        volumen=Decimal("100"),
    )  # fmt: skip
    ProgramaDiario.objects.create(partida=tubo, fecha=datetime.date(2026, 5, 4), volumen=40)
    return tubo
