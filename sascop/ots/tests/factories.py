from __future__ import annotations

from decimal import Decimal

import factory

from sascop.catalogos.tests.factories import ClienteFactory, ResponsableFactory, SitioFactory
from sascop.ots.models import OT


class OTFactory(factory.django.DjangoModelFactory[OT]):
    class Meta:
        model = OT

    orden_trabajo = factory.Sequence(lambda n: f"OT-{n:05d}")
    descripcion_trabajo = factory.Sequence(lambda n: f"Trabajo {n}")
    responsable_proyecto = factory.SubFactory(ResponsableFactory)
    cliente = factory.SubFactory(ClienteFactory)
    sitio = factory.SubFactory(SitioFactory)
    frente = factory.SelfAttribute("sitio.frente")
    monto_mxn = Decimal("1000.00")
    monto_usd = Decimal("50.00")
