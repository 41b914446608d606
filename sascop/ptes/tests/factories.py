from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import factory

from sascop.catalogos.tests.factories import (
    ClienteFactory,
    PasoFactory,
    ResponsableFactory,
    TipoClienteFactory,
    TipoPTEFactory,
)
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


def catalogos_de_pte(
    pasos: list[dict[str, Any]],
    cliente: dict[str, Any] | None = None,
    responsable: dict[str, Any] | None = None,
    tipo: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """What a PTE is written with: a client of a new client type whose workflow has `pasos`
    (each step's fields), a project lead and a PTE type (each with the fields given)."""
    tipo_cliente = TipoClienteFactory()
    return {
        "pasos": [PasoFactory(tipo_cliente=tipo_cliente, **paso) for paso in pasos],
        "cliente": ClienteFactory(tipo=tipo_cliente, **(cliente or {})),
        "responsable": ResponsableFactory(**(responsable or {})),
        "tipo": TipoPTEFactory(**(tipo or {})),
    }


def cuerpo_pte_nueva(**campos: Any) -> dict[str, Any]:
    """A body `POST /operaciones/api/ptes/` accepts: a client whose type has one step, a new
    project lead and PTE type; `campos` add to it or replace."""
    cliente = ClienteFactory()
    PasoFactory(tipo_cliente=cliente.tipo)
    return {
        "descripcion_trabajo": "Inspección",
        "fecha_solicitud": "2026-03-15",
        "plazo_dias": 20,
        "responsable_proyecto": ResponsableFactory().pk,
        "cliente": cliente.pk,
        "tipo": TipoPTEFactory().pk,
        **campos,
    }
