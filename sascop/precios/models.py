"""The contract's price book: contract → anexos → concepts (partidas) with unit prices."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models

from sascop.core.models import TimeStampedModel, VersionedModel
from sascop.ots.models import OT
from sascop.ptes.models import PTE


class Contrato(TimeStampedModel):
    numero = models.CharField("número", max_length=60, unique=True)
    descripcion = models.TextField("descripción", blank=True)

    class Meta:
        ordering = ["numero"]

    def __str__(self) -> str:
        return self.numero


class Anexo(TimeStampedModel):
    """One annex of the contract's price book (C, C-2, C-5-1, a PUE annex such as C-10)."""

    contrato = models.ForeignKey(Contrato, on_delete=models.PROTECT, related_name="anexos")
    clave = models.CharField(max_length=20)
    descripcion = models.TextField("descripción", blank=True)

    class Meta:
        ordering = ["contrato", "clave"]
        constraints = [
            models.UniqueConstraint(fields=["contrato", "clave"], name="anexo_clave_unica")
        ]

    def __str__(self) -> str:
        return f"{self.contrato} {self.clave}"


class Concepto(VersionedModel):
    """A priced concept of an anexo. `partida` is its key, unique within the anexo only."""

    class Tipo(models.TextChoices):
        ORDINARIA = "ordinaria", "Ordinaria"
        EXTRAORDINARIA = "extraordinaria", "Extraordinaria (PUE)"

    class Estatus(models.TextChoices):
        EN_ELABORACION = "EN_ELABORACION", "En elaboración"
        AUTORIZADO = "AUTORIZADO", "Autorizado"

    anexo = models.ForeignKey(Anexo, on_delete=models.PROTECT, related_name="conceptos")
    partida = models.CharField(max_length=40)
    # "2.10" after "2.9": the key with each number zero-padded, for ordering only.
    orden = models.CharField(max_length=200, editable=False)
    concepto = models.TextField()
    unidad = models.CharField(max_length=30)
    pu_mn = models.DecimalField(
        "P.U. M.N.",
        max_digits=18,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    pu_usd = models.DecimalField(
        "P.U. USD",
        max_digits=18,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    cantidad_referencia = models.DecimalField(
        "cantidad de referencia",
        max_digits=18,
        decimal_places=4,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    seccion = models.CharField("sección", max_length=300, blank=True)
    tipo = models.CharField(max_length=15, choices=Tipo.choices, default=Tipo.ORDINARIA)
    estatus = models.CharField(max_length=15, choices=Estatus.choices, default=Estatus.AUTORIZADO)
    # The PTE or OT a PUE was drawn up for.
    pte = models.ForeignKey(
        PTE, on_delete=models.PROTECT, null=True, blank=True, related_name="conceptos_pue"
    )
    ot = models.ForeignKey(
        OT, on_delete=models.PROTECT, null=True, blank=True, related_name="conceptos_pue"
    )
    autorizado_en = models.DateTimeField("autorizado en", null=True, blank=True)
    autorizado_por = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["anexo", "orden", "id"]
        permissions = [("autorizar_concepto", "Puede autorizar conceptos extraordinarios (PUE)")]
        indexes = [
            models.Index(fields=["anexo", "orden"], name="concepto_orden"),
            models.Index(fields=["estatus"], name="concepto_estatus"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["anexo", "partida"],
                name="concepto_partida_unica",
                violation_error_message="Esa partida ya existe en el anexo.",
            ),
            models.CheckConstraint(
                condition=models.Q(tipo="extraordinaria")
                | models.Q(estatus="AUTORIZADO", pte__isnull=True, ot__isnull=True),
                name="concepto_ordinario_autorizado",
                violation_error_message=(
                    "Un concepto ordinario está autorizado y no proviene de una PTE u OT."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.anexo.clave} {self.partida}"
