"""Estimaciones: periodic claims to the client for an OT's signed-off production at its
anexo's prices. The lines are a copy taken when the estimación is drawn (prices, volumes,
texts), so a presented one stays as it was presented whatever changes later."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from sascop.core.models import VersionedModel
from sascop.ots.models import OT
from sascop.precios.models import PartidaAnexoOT
from sascop.produccion.models import Produccion


class Estimacion(VersionedModel):
    """A claim of an OT for the period `desde` to `hasta`."""

    class Estatus(models.TextChoices):
        BORRADOR = "BORRADOR", "Borrador"
        PRESENTADA = "PRESENTADA", "Presentada"
        AUTORIZADA = "AUTORIZADA", "Autorizada"
        PAGADA = "PAGADA", "Pagada"
        RECHAZADA = "RECHAZADA", "Rechazada"

    ot = models.ForeignKey(OT, on_delete=models.PROTECT, related_name="estimaciones")
    numero = models.PositiveIntegerField(pgettext_lazy("estimaciones", "number"))
    desde = models.DateField()
    hasta = models.DateField()
    estatus = models.CharField(max_length=12, choices=Estatus.choices, default=Estatus.BORRADOR)
    oficio = models.CharField(max_length=60, blank=True)
    contrato = models.CharField(max_length=60, blank=True)  # of its lines' price book
    motivo_rechazo = models.TextField(_("reason for rejection"), blank=True)
    importe_mn = models.DecimalField(max_digits=20, decimal_places=2, default=Decimal("0"))
    importe_usd = models.DecimalField(max_digits=20, decimal_places=2, default=Decimal("0"))
    creado_por = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("estimate")
        verbose_name_plural = _("estimates")
        ordering = ["-desde", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["ot", "numero"], name="estimacion_numero_unico"),
            models.CheckConstraint(
                condition=models.Q(desde__lte=models.F("hasta")), name="estimacion_periodo"
            ),
        ]
        indexes = [models.Index(fields=["estatus", "hasta"], name="estimacion_estatus_hasta")]

    def __str__(self) -> str:
        return f"{self.ot} E-{self.numero}"


class EstimacionPartida(models.Model):
    """One anexo line of an estimación: its claimed volume and amounts, and the excedente of
    its rows (listed, never summed: it is claimable only once a PUE or agreement covers it)."""

    estimacion = models.ForeignKey(Estimacion, on_delete=models.CASCADE, related_name="partidas")
    partida_anexo = models.ForeignKey(
        PartidaAnexoOT, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    orden = models.PositiveIntegerField()
    anexo = models.CharField(max_length=20)
    partida = models.CharField(max_length=40, blank=True)
    concepto = models.TextField()
    unidad = models.CharField(max_length=30)
    volumen = models.DecimalField(max_digits=18, decimal_places=4)
    excedente = models.DecimalField(max_digits=18, decimal_places=4, default=Decimal("0"))
    pu_mn = models.DecimalField(_("unit price MXN"), max_digits=18, decimal_places=2)
    pu_usd = models.DecimalField(_("unit price USD"), max_digits=18, decimal_places=2)
    importe_mn = models.DecimalField(max_digits=20, decimal_places=2)
    importe_usd = models.DecimalField(max_digits=20, decimal_places=2)

    class Meta:
        verbose_name = _("estimate line")
        verbose_name_plural = _("estimate lines")
        ordering = ["estimacion", "orden", "id"]

    def __str__(self) -> str:
        return f"{self.estimacion} {self.anexo} {self.partida}"


class EstimacionProduccion(models.Model):
    """A production row an estimación covers: the volume it claims of it and the excedente
    it lists. `vigente` while the estimación is presented, authorised or paid: such volume
    is claimed, and the row is frozen."""

    estimacion = models.ForeignKey(Estimacion, on_delete=models.CASCADE, related_name="filas")
    partida = models.ForeignKey(EstimacionPartida, on_delete=models.CASCADE, related_name="filas")
    produccion = models.ForeignKey(
        Produccion, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    fecha = models.DateField()
    volumen = models.DecimalField(max_digits=16, decimal_places=4)
    excedente = models.DecimalField(max_digits=16, decimal_places=4, default=Decimal("0"))
    vigente = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("estimated production")
        verbose_name_plural = _("estimated production")
        ordering = ["estimacion", "fecha", "id"]
        indexes = [
            models.Index(fields=["produccion", "vigente"], name="estimacion_fila_produccion")
        ]

    def __str__(self) -> str:
        return f"{self.estimacion} fila {self.produccion_id}"


class EventoEstimacion(models.Model):
    """A step of an estimación's life: who moved it from which state to which, and when."""

    estimacion = models.ForeignKey(Estimacion, on_delete=models.CASCADE, related_name="eventos")
    estatus_anterior = models.CharField(
        max_length=12, blank=True, choices=Estimacion.Estatus.choices
    )
    estatus = models.CharField(max_length=12, choices=Estimacion.Estatus.choices)
    motivo = models.TextField(blank=True)
    usuario = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    fecha = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("estimate event")
        verbose_name_plural = _("estimate events")
        ordering = ["estimacion", "fecha", "id"]

    def __str__(self) -> str:
        return f"{self.estimacion}: {self.estatus_anterior} → {self.estatus}"
