from __future__ import annotations

from decimal import Decimal

import factory

from sascop.precios.libro import orden_de_partida
from sascop.precios.models import Anexo, Concepto, Contrato


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
    clave = factory.Sequence(lambda n: f"C-{n + 1}")


class ConceptoFactory(factory.django.DjangoModelFactory[Concepto]):
    class Meta:
        model = Concepto

    anexo = factory.SubFactory(AnexoFactory)
    partida = factory.Sequence(lambda n: f"1.{n + 1}")
    orden = factory.LazyAttribute(lambda o: orden_de_partida(o.partida))
    concepto = factory.Sequence(lambda n: f"Concepto {n + 1}")
    unidad = "DIA"
    pu_mn = Decimal("1000.00")
    pu_usd = Decimal("0.00")


class PUEFactory(ConceptoFactory):
    tipo = Concepto.Tipo.EXTRAORDINARIA
    estatus = Concepto.Estatus.EN_ELABORACION
