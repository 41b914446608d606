from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models

from sascop.catalogos.estatus import EstatusCobro
from sascop.catalogos.models import Partida, Sitio, UnidadMedida
from sascop.core.models import VersionedModel
from sascop.ots.models import OT


class Produccion(VersionedModel):
    """A quantity of work an OT reports for one concept, day, kind of time and site."""

    class TipoTiempo(models.TextChoices):
        TE = "TE", "Tiempo efectivo"
        CMA = "CMA", "Costo mínimo aplicado"

    ot = models.ForeignKey(OT, on_delete=models.PROTECT, related_name="produccion")
    partida = models.ForeignKey(Partida, on_delete=models.PROTECT, related_name="produccion")
    unidad = models.ForeignKey(UnidadMedida, on_delete=models.PROTECT, related_name="produccion")
    sitio = models.ForeignKey(Sitio, on_delete=models.PROTECT, related_name="produccion")
    fecha_produccion = models.DateField("fecha de producción")
    volumen_produccion = models.DecimalField(
        "volumen",
        max_digits=16,
        decimal_places=4,
        validators=[MinValueValidator(Decimal("0.0001"))],
    )
    tipo_tiempo = models.CharField(max_length=3, choices=TipoTiempo.choices, default=TipoTiempo.TE)
    es_excedente = models.BooleanField(default=False)
    estatus_cobro = models.PositiveSmallIntegerField(
        choices=EstatusCobro.choices, default=EstatusCobro.POR_ESTIMAR
    )
    comentario = models.TextField(blank=True)
    creado_por = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "producción"
        verbose_name_plural = "producción"
        ordering = ["-fecha_produccion", "-id"]
        indexes = [models.Index(fields=["fecha_produccion"], name="produccion_fecha")]
        constraints = [
            models.UniqueConstraint(
                fields=["ot", "partida", "fecha_produccion", "tipo_tiempo", "sitio"],
                name="produccion_unica",
                violation_error_message=(
                    "Ya hay producción de esa partida para esa OT, fecha, tipo de tiempo y sitio."
                ),
            ),
            models.CheckConstraint(
                condition=models.Q(volumen_produccion__gt=0), name="produccion_volumen_positivo"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.ot} {self.partida.clave} {self.fecha_produccion}"
