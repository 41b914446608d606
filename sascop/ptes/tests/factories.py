from __future__ import annotations

import datetime
from decimal import Decimal

import factory

from sascop.catalogos.tests.factories import ClienteFactory, ResponsableFactory, TipoPTEFactory
from sascop.ptes.models import PTE


class PTEFactory(factory.django.DjangoModelFactory[PTE]):
    class Meta:
        model = PTE

    oficio_pte = factory.Sequence(lambda n: f"PTE-2026-{n:05d}")
    descripcion_trabajo = factory.Sequence(lambda n: f"Inspección de ducto {n}")
    fecha_solicitud = factory.Sequence(lambda n: datetime.date(2026, 1, 1) + datetime.timedelta(n))
    plazo_dias = 15
    responsable_proyecto = factory.SubFactory(ResponsableFactory)
    cliente = factory.SubFactory(ClienteFactory)
    tipo = factory.SubFactory(TipoPTEFactory)
    total_homologado = Decimal("125000.50")
