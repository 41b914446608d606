"""Catalogs: the lists users pick from. Deactivated entries stay on old records."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from sascop.core.models import CatalogModel


class ConClaveAnterior(models.Model):
    """The id an entry had in the system the client used before: an imported register
    names catalog entries by those ids. Placeholders made for unknown ids ("Embarcación 9
    (por nombrar)") carry theirs too, so the next import maps to them once renamed."""

    clave_anterior = models.PositiveIntegerField(
        "clave anterior", null=True, blank=True, help_text="Id en el sistema anterior."
    )

    class Meta:
        abstract = True


class Tipo(ConClaveAnterior, CatalogModel):
    """A classification; `aplica_a` says what it classifies."""

    class AplicaA(models.TextChoices):
        CLIENTE = "cliente", "Cliente"
        PTE = "pte", "PTE"
        OT = "ot", "OT"

    descripcion = models.CharField("descripción", max_length=120)
    aplica_a = models.CharField("aplica a", max_length=10, choices=AplicaA.choices)

    class Meta:
        ordering = ["aplica_a", "descripcion"]
        constraints = [
            models.UniqueConstraint(fields=["aplica_a", "descripcion"], name="tipo_unico")
        ]

    def __str__(self) -> str:
        return self.descripcion


class Cliente(ConClaveAnterior, CatalogModel):
    descripcion = models.CharField("descripción", max_length=200, unique=True)
    tipo = models.ForeignKey(
        Tipo,
        on_delete=models.PROTECT,
        related_name="clientes",
        limit_choices_to={"aplica_a": Tipo.AplicaA.CLIENTE},
    )

    class Meta:
        ordering = ["descripcion"]

    def __str__(self) -> str:
        return self.descripcion


class ResponsableProyecto(ConClaveAnterior, CatalogModel):
    nombre = models.CharField(max_length=150, unique=True)
    correo = models.EmailField("correo electrónico", blank=True)

    class Meta:
        ordering = ["nombre"]
        verbose_name = _("project manager")
        verbose_name_plural = _("project managers")

    def __str__(self) -> str:
        return self.nombre


class Paso(ConClaveAnterior, CatalogModel):
    """A step of the PTE workflow, for clients of one type."""

    descripcion = models.CharField("descripción", max_length=200)
    orden = models.PositiveIntegerField()
    importancia = models.DecimalField(max_digits=5, decimal_places=2, default=1)
    tipo_cliente = models.ForeignKey(
        Tipo,
        on_delete=models.PROTECT,
        related_name="pasos",
        limit_choices_to={"aplica_a": Tipo.AplicaA.CLIENTE},
    )

    class Meta:
        ordering = ["tipo_cliente", "orden"]

    def __str__(self) -> str:
        return f"{self.orden}. {self.descripcion}"


class PasoOt(ConClaveAnterior, CatalogModel):
    """A step of the OT workflow."""

    descripcion = models.CharField("descripción", max_length=200)
    orden = models.PositiveIntegerField()
    importancia = models.DecimalField(max_digits=5, decimal_places=2, default=1)

    class Meta:
        ordering = ["orden"]
        verbose_name = pgettext_lazy("catalogos", "OT step")
        verbose_name_plural = pgettext_lazy("catalogos", "OT steps")

    def __str__(self) -> str:
        return f"{self.orden}. {self.descripcion}"


class Frente(ConClaveAnterior, CatalogModel):
    descripcion = models.CharField("descripción", max_length=150, unique=True)

    class Meta:
        ordering = ["descripcion"]

    def __str__(self) -> str:
        return self.descripcion


class Sitio(ConClaveAnterior, CatalogModel):
    """A place an OT stands at: a platform of a frente, a vessel, an intercom, a yard (an
    OT may be at one of each). Vessels and yards belong to no frente."""

    class Tipo(models.TextChoices):
        PLATAFORMA = "plataforma", "Plataforma"
        EMBARCACION = "embarcacion", "Embarcación"
        INTERCOM = "intercom", "Intercom"
        PATIO = "patio", "Patio"

    descripcion = models.CharField("descripción", max_length=150)
    # A database default too: rows written by code that predates the column stay valid.
    tipo = models.CharField(
        max_length=12,
        choices=Tipo.choices,
        default=Tipo.PLATAFORMA,
        db_default=Tipo.PLATAFORMA,
    )
    frente = models.ForeignKey(
        Frente, on_delete=models.PROTECT, null=True, blank=True, related_name="sitios"
    )

    class Meta:
        ordering = ["frente", "descripcion"]
        constraints = [
            models.UniqueConstraint(fields=["frente", "descripcion"], name="sitio_unico"),
            models.UniqueConstraint(
                fields=["tipo", "descripcion"],
                condition=models.Q(frente__isnull=True),
                name="sitio_sin_frente_unico",
            ),
            models.UniqueConstraint(
                fields=["tipo", "clave_anterior"], name="sitio_clave_anterior_unica"
            ),
        ]

    def __str__(self) -> str:
        return self.descripcion


class UnidadMedida(ConClaveAnterior, CatalogModel):
    clave = models.CharField(max_length=20, unique=True)
    descripcion = models.CharField("descripción", max_length=100)

    class Meta:
        ordering = ["clave"]
        verbose_name = _("unit of measure")
        verbose_name_plural = _("units of measure")

    def __str__(self) -> str:
        return self.clave


class Partida(ConClaveAnterior, CatalogModel):
    """A priced concept production is reported against."""

    clave = models.CharField(max_length=40, unique=True)
    descripcion = models.CharField("descripción", max_length=300)
    unidad = models.ForeignKey(UnidadMedida, on_delete=models.PROTECT, related_name="partidas")

    class Meta:
        ordering = ["clave"]

    def __str__(self) -> str:
        return f"{self.clave} {self.descripcion}"


class Superintendente(CatalogModel):
    """A site superintendent: he stands guard at a site by turns (see `CicloGuardia`). His
    colour marks his days on the calendars."""

    class Color(models.IntegerChoices):
        AZUL = 1, "Azul"
        VERDE = 2, "Verde"
        NARANJA = 3, "Naranja"
        MORADO = 4, "Morado"
        ROJO = 5, "Rojo"
        TURQUESA = 6, "Turquesa"
        ROSA = 7, "Rosa"
        GRIS = 8, "Gris"

    nombre = models.CharField(max_length=150, unique=True)
    correo = models.EmailField("correo electrónico", blank=True)
    color = models.PositiveSmallIntegerField(choices=Color.choices, default=Color.AZUL)

    class Meta:
        ordering = ["nombre"]

    def __str__(self) -> str:
        return self.nombre


class CicloGuardia(CatalogModel):
    """Two superintendents who take turns at a site, 14 days on and 14 off, from
    `fecha_inicio` (the client's rule): A stands the first 14 days, B the next 14 (from day
    15), and so on. A later cycle of the same site replaces it from its own start date."""

    sitio = models.ForeignKey(Sitio, on_delete=models.PROTECT, related_name="ciclos_guardia")
    superintendente_a = models.ForeignKey(
        Superintendente,
        verbose_name="superintendente A",
        on_delete=models.PROTECT,
        related_name="+",
    )
    superintendente_b = models.ForeignKey(
        Superintendente,
        verbose_name="superintendente B",
        on_delete=models.PROTECT,
        related_name="+",
    )
    fecha_inicio = models.DateField(
        "fecha de inicio", help_text="Primer día de guardia del A; el B entra el día 15."
    )

    class Meta:
        ordering = ["sitio", "-fecha_inicio"]
        verbose_name = _("guard cycle")
        verbose_name_plural = _("guard cycles")
        constraints = [
            models.UniqueConstraint(
                fields=["sitio", "fecha_inicio"],
                name="ciclo_guardia_unico",
                violation_error_message=_("The site already has a cycle starting that day."),
            ),
            models.CheckConstraint(
                condition=~models.Q(superintendente_a=models.F("superintendente_b")),
                name="ciclo_guardia_dos_personas",
                violation_error_message=_("Superintendents A and B must be different people."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.sitio} · {self.fecha_inicio:%d/%m/%Y}"
