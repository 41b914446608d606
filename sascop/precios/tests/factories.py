from __future__ import annotations

from decimal import Decimal
from typing import Any

import factory

from sascop.ots.tests.factories import OTFactory
from sascop.precios.libro import orden_de_partida
from sascop.precios.models import (
    Anexo,
    AnexoOT,
    Concepto,
    Contrato,
    PartidaAnexoOT,
    huella_concepto,
    totales_de_lineas,
)


class ContratoFactory(factory.django.DjangoModelFactory[Contrato]):
    class Meta:
        model = Contrato
        django_get_or_create = ("numero",)

    numero = "640857800"
    descripcion = "Servicios de buceo"


class AnexoFactory(factory.django.DjangoModelFactory[Anexo]):
    class Meta:
        model = Anexo

    contrato = factory.SubFactory(ContratoFactory)
    # Not a key real anexos use, so a test may name its own ("C-5") without a clash.
    clave = factory.Sequence(lambda n: f"T-{n + 1}")


class ConceptoFactory(factory.django.DjangoModelFactory[Concepto]):
    class Meta:
        model = Concepto

    anexo = factory.SubFactory(AnexoFactory)
    partida = factory.Sequence(lambda n: f"1.{n + 1}")
    orden = factory.LazyAttribute(lambda o: orden_de_partida(o.partida))
    concepto = factory.Sequence(lambda n: f"Concepto {n + 1}")
    huella = factory.LazyAttribute(lambda o: huella_concepto(o.concepto))
    unidad = "DIA"
    pu_mn = Decimal("1000.00")
    pu_usd = Decimal("0.00")


class PUEFactory(ConceptoFactory):
    tipo = Concepto.Tipo.EXTRAORDINARIA
    estatus = Concepto.Estatus.EN_ELABORACION


class AnexoOTFactory(factory.django.DjangoModelFactory[AnexoOT]):
    class Meta:
        model = AnexoOT

    ot = factory.SubFactory(OTFactory)
    version = 1
    activo = True


class PartidaAnexoOTFactory(factory.django.DjangoModelFactory[PartidaAnexoOT]):
    class Meta:
        model = PartidaAnexoOT

    anexo_ot = factory.SubFactory(AnexoOTFactory)
    concepto = factory.SubFactory(ConceptoFactory)
    volumen = Decimal("100.0000")
    pu_mn = factory.SelfAttribute("concepto.pu_mn")
    pu_usd = factory.SelfAttribute("concepto.pu_usd")
    orden = factory.Sequence(lambda n: n + 1)

    @classmethod
    def _after_postgeneration(cls, instance: Any, create: bool, results: Any = None) -> None:
        # The version's totals, as the anexo import keeps them with its lines.
        if create:
            anexo = instance.anexo_ot
            lineas = anexo.partidas.values_list("volumen", "pu_mn", "pu_usd")
            anexo.importe_mn, anexo.importe_usd = totales_de_lineas(lineas)
            AnexoOT.objects.filter(pk=anexo.pk).update(
                importe_mn=anexo.importe_mn, importe_usd=anexo.importe_usd
            )


def linea_de(ot: Any, **datos: Any) -> PartidaAnexoOT:
    """A new line in the OT's active anexo (made, version 1, if it has none)."""
    anexo = AnexoOT.objects.filter(ot=ot, activo=True).first() or AnexoOTFactory(ot=ot)
    return PartidaAnexoOTFactory.create(anexo_ot=anexo, **datos)
