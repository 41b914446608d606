from __future__ import annotations

from decimal import Decimal
from typing import Any

import factory

from sascop.catalogos.estatus import EstatusPaso
from sascop.catalogos.tests.factories import (
    ClienteFactory,
    PasoOtFactory,
    ResponsableFactory,
    SitioFactory,
)
from sascop.ots.models import OT, OTDetalle


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


def con_pasos(ot: Any, hechos: int, total: int) -> Any:
    """`ot` with `total` steps of new workflow steps, the first `hechos` of them completed
    and the rest pending."""
    for i in range(total):
        OTDetalle.objects.create(
            ot=ot,
            paso=PasoOtFactory(),
            estatus=EstatusPaso.COMPLETADO if i < hechos else EstatusPaso.PENDIENTE,
        )
    return ot
