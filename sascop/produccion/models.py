from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from sascop.catalogos.estatus import EstatusCobro
from sascop.catalogos.models import Sitio
from sascop.core.models import TimeStampedModel, VersionedModel
from sascop.ots.models import OT
from sascop.precios.models import PartidaAnexoOT


class Produccion(VersionedModel):
    """A quantity of work an OT reports on a line of its anexo, for one day, kind of time
    and site. `excedente` is the server's: the part of the row beyond the authorised volume
    (see `produccion.excedentes`)."""

    class TipoTiempo(models.TextChoices):
        TE = "TE", "Tiempo efectivo"
        CMA = "CMA", "Costo mínimo aplicado"

    ot = models.ForeignKey(OT, on_delete=models.PROTECT, related_name="produccion")
    partida_anexo = models.ForeignKey(
        PartidaAnexoOT,
        on_delete=models.PROTECT,
        related_name="produccion",
        verbose_name=_("anexo line"),
    )
    sitio = models.ForeignKey(Sitio, on_delete=models.PROTECT, related_name="produccion")
    fecha_produccion = models.DateField(_("production date"))
    volumen_produccion = models.DecimalField(
        _("volume"),
        max_digits=16,
        decimal_places=4,
        validators=[MinValueValidator(Decimal("0.0001"))],
    )
    tipo_tiempo = models.CharField(max_length=3, choices=TipoTiempo.choices, default=TipoTiempo.TE)
    excedente = models.DecimalField(
        max_digits=16, decimal_places=4, default=Decimal("0"), editable=False
    )
    estatus_cobro = models.PositiveSmallIntegerField(
        choices=EstatusCobro.choices, default=EstatusCobro.POR_ESTIMAR
    )
    comentario = models.TextField(blank=True)
    creado_por = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("production")
        verbose_name_plural = _("production")
        ordering = ["-fecha_produccion", "-id"]
        indexes = [
            # The list's order: its first page reads 25 entries, not the newest day's rows.
            models.Index(fields=["-fecha_produccion", "-id"], name="produccion_recientes"),
            models.Index(fields=["ot", "fecha_produccion"], name="produccion_ot_fecha"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["ot", "partida_anexo", "fecha_produccion", "tipo_tiempo", "sitio"],
                name="produccion_unica",
                violation_error_message=_(
                    "That line already has production for that OT, date, kind of time and site."
                ),
            ),
            models.CheckConstraint(
                condition=models.Q(volumen_produccion__gt=0), name="produccion_volumen_positivo"
            ),
        ]

    def __str__(self) -> str:
        return self.texto(self.ot, self.partida_anexo_id, self.fecha_produccion)

    @staticmethod
    def texto(ot: OT, partida_anexo_id: int, fecha_produccion: object) -> str:
        """What `str()` says of a row (the activity log's text for rows written without an
        instance)."""
        return f"{ot} línea {partida_anexo_id} {fecha_produccion}"


class ReporteDiario(TimeStampedModel):
    """The state of one day's production report of an OT at a site. A day without a row is
    `PENDIENTE`; a `FIRMADO` day takes no more production writes."""

    class Estatus(models.TextChoices):
        PENDIENTE = "PENDIENTE", "Pendiente"
        PROCESO = "PROCESO", "En proceso"
        FALTA_FIRMA_PEMEX = "FALTA FIRMA PEMEX", "Falta firma PEMEX"
        FIRMADO = "FIRMADO", "Firmado"

    ot = models.ForeignKey(OT, on_delete=models.PROTECT, related_name="reportes_diarios")
    sitio = models.ForeignKey(Sitio, on_delete=models.PROTECT, related_name="reportes_diarios")
    fecha = models.DateField()
    estatus = models.CharField(max_length=20, choices=Estatus.choices, default=Estatus.PENDIENTE)
    # The note the client's report of the day carries.
    comentario = models.TextField(blank=True)
    actualizado_por = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("daily report")
        verbose_name_plural = _("daily reports")
        ordering = ["ot", "fecha", "sitio"]
        constraints = [
            models.UniqueConstraint(fields=["ot", "sitio", "fecha"], name="reporte_diario_unico")
        ]

    def __str__(self) -> str:
        return f"{self.ot} {self.sitio_id} {self.fecha.isoformat()}: {self.estatus}"


class CambioHoja(models.Model):
    """A ledger the database's triggers append to whenever something an OT's monthly sheet
    reads changes (see `produccion.hojas`): the sum of `cambios` over the OT's rows and those
    of `ot_id` 0 (what every sheet reads: concepts, sites) is the generation of its sheets."""

    ot_id = models.BigIntegerField()
    cambios = models.BigIntegerField()
    # The writing transaction (PostgreSQL's `txid_current()`; null on SQLite and once
    # compacted): a write tells its own changes from everyone else's.
    transaccion = models.BigIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("sheet change")
        verbose_name_plural = _("sheet changes")
        indexes = [models.Index(fields=["ot_id"], name="cambio_hoja_ot")]

    def __str__(self) -> str:
        return f"OT {self.ot_id}: +{self.cambios}"


class HojaGuardada(models.Model):
    """An OT's monthly sheet as last answered (its JSON text and ETag), valid while the
    generation it was computed at is still the OT's (see `produccion.hojas`)."""

    ot_id = models.BigIntegerField()
    clave = models.CharField(max_length=80)
    generacion = models.BigIntegerField()
    cuerpo = models.TextField()
    etiqueta = models.CharField(max_length=40)

    class Meta:
        verbose_name = _("saved sheet")
        verbose_name_plural = _("saved sheets")
        constraints = [
            models.UniqueConstraint(fields=["ot_id", "clave"], name="hoja_guardada_unica")
        ]

    def __str__(self) -> str:
        return f"OT {self.ot_id} {self.clave} @{self.generacion}"


class RegistroGPU(TimeStampedModel):
    """The GPU evidence of one production row of an anexo C-2 or C-3 line: its state (the
    daily report's four), a link to the evidence and a note. Such a row is claimable in an
    estimación only once its record is `FIRMADO`; deleting the row deletes its record."""

    produccion = models.OneToOneField(Produccion, on_delete=models.CASCADE, related_name="gpu")
    estatus = models.CharField(
        max_length=20,
        choices=ReporteDiario.Estatus.choices,
        default=ReporteDiario.Estatus.PENDIENTE,
    )
    evidencia = models.URLField(max_length=500, blank=True)
    nota = models.TextField(blank=True)
    actualizado_por = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("GPU record")
        verbose_name_plural = _("GPU records")
        ordering = ["produccion"]

    def __str__(self) -> str:
        return f"GPU {self.produccion_id}: {self.estatus}"


class CierreMes(TimeStampedModel):
    """The close of an OT's month of daily reports: its state and a link to the month's
    evidence. A month without a row is `ABIERTO`; only those who sign daily reports may set
    or clear `FIRMADO`."""

    class Estatus(models.TextChoices):
        ABIERTO = "ABIERTO", "Abierto"
        CERRADO = "CERRADO", "Cerrado"
        FIRMADO = "FIRMADO", "Firmado"

    ot = models.ForeignKey(OT, on_delete=models.PROTECT, related_name="cierres_mes")
    anio = models.PositiveSmallIntegerField(_("year"))
    mes = models.PositiveSmallIntegerField()
    estatus = models.CharField(max_length=10, choices=Estatus.choices, default=Estatus.ABIERTO)
    evidencia = models.URLField(max_length=500, blank=True)
    actualizado_por = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("month close")
        verbose_name_plural = _("month closes")
        ordering = ["ot", "anio", "mes"]
        constraints = [
            models.UniqueConstraint(fields=["ot", "anio", "mes"], name="cierre_mes_unico")
        ]

    def __str__(self) -> str:
        return f"{self.ot} {self.anio}-{self.mes:02d}: {self.estatus}"
