from __future__ import annotations

import datetime

import factory

from sascop.catalogos import models as m


class TipoClienteFactory(factory.django.DjangoModelFactory[m.Tipo]):
    class Meta:
        model = m.Tipo

    descripcion = factory.Sequence(lambda n: f"Tipo de cliente {n}")
    aplica_a = m.Tipo.AplicaA.CLIENTE


class TipoPTEFactory(TipoClienteFactory):
    descripcion = factory.Sequence(lambda n: f"Tipo de PTE {n}")
    aplica_a = m.Tipo.AplicaA.PTE


class ClienteFactory(factory.django.DjangoModelFactory[m.Cliente]):
    class Meta:
        model = m.Cliente

    descripcion = factory.Sequence(lambda n: f"Activo {n}")
    tipo = factory.SubFactory(TipoClienteFactory)


class ResponsableFactory(factory.django.DjangoModelFactory[m.ResponsableProyecto]):
    class Meta:
        model = m.ResponsableProyecto

    nombre = factory.Sequence(lambda n: f"Ing. Responsable {n}")


class PasoFactory(factory.django.DjangoModelFactory[m.Paso]):
    class Meta:
        model = m.Paso

    descripcion = factory.Sequence(lambda n: f"Paso {n}")
    orden = factory.Sequence(lambda n: n + 1)
    tipo_cliente = factory.SubFactory(TipoClienteFactory)


class PasoOtFactory(factory.django.DjangoModelFactory[m.PasoOt]):
    class Meta:
        model = m.PasoOt

    descripcion = factory.Sequence(lambda n: f"Paso OT {n}")
    orden = factory.Sequence(lambda n: n + 1)


class FrenteFactory(factory.django.DjangoModelFactory[m.Frente]):
    class Meta:
        model = m.Frente

    descripcion = factory.Sequence(lambda n: f"Frente {n}")


class SitioFactory(factory.django.DjangoModelFactory[m.Sitio]):
    class Meta:
        model = m.Sitio

    descripcion = factory.Sequence(lambda n: f"Plataforma {n}")
    frente = factory.SubFactory(FrenteFactory)


class UnidadFactory(factory.django.DjangoModelFactory[m.UnidadMedida]):
    class Meta:
        model = m.UnidadMedida

    clave = factory.Sequence(lambda n: f"U{n}")
    descripcion = factory.Sequence(lambda n: f"Unidad {n}")


class PartidaFactory(factory.django.DjangoModelFactory[m.Partida]):
    class Meta:
        model = m.Partida

    clave = factory.Sequence(lambda n: f"P-{n:03d}")
    descripcion = factory.Sequence(lambda n: f"Concepto {n}")
    unidad = factory.SubFactory(UnidadFactory)


class SuperintendenteFactory(factory.django.DjangoModelFactory[m.Superintendente]):
    class Meta:
        model = m.Superintendente

    nombre = factory.Sequence(lambda n: f"Ing. Superintendente {n}")


class CicloGuardiaFactory(factory.django.DjangoModelFactory[m.CicloGuardia]):
    class Meta:
        model = m.CicloGuardia

    sitio = factory.SubFactory(SitioFactory)
    superintendente_a = factory.SubFactory(SuperintendenteFactory)
    superintendente_b = factory.SubFactory(
        SuperintendenteFactory, color=m.Superintendente.Color.VERDE
    )
    fecha_inicio = datetime.date(2026, 1, 1)
