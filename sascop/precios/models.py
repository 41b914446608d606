"""The contract's price book: contract → anexos → concepts (partidas) with unit prices."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from sascop.core.models import TimeStampedModel, VersionedModel
from sascop.ots.models import OT
from sascop.ptes.models import PTE


class Contrato(TimeStampedModel):
    numero = models.CharField(pgettext_lazy("precios", "number"), max_length=60, unique=True)
    descripcion = models.TextField(pgettext_lazy("precios", "description"), blank=True)

    class Meta:
        ordering = ["numero"]

    def __str__(self) -> str:
        return self.numero


class Anexo(TimeStampedModel):
    """One annex of the contract's price book (C, C-2, C-5-1, a PUE annex such as C-10)."""

    contrato = models.ForeignKey(Contrato, on_delete=models.PROTECT, related_name="anexos")
    clave = models.CharField(max_length=20)
    descripcion = models.TextField(pgettext_lazy("precios", "description"), blank=True)

    class Meta:
        ordering = ["contrato", "clave"]
        constraints = [
            models.UniqueConstraint(fields=["contrato", "clave"], name="anexo_clave_unica")
        ]

    def __str__(self) -> str:
        return f"{self.contrato} {self.clave}"


def huella_concepto(texto: str) -> str:
    """What tells apart the concepts sharing one partida (C-4 4.7. TUBERO, SOLDADOR…): a
    digest of the text with spaces and case folded, short enough for a unique index."""
    return hashlib.sha256(" ".join(texto.split()).upper().encode()).hexdigest()


# The anexo that holds the PUE list's proposals not keyed yet (no anexo, no partida).
ANEXO_SIN_CLAVE = "PUE"


class Concepto(VersionedModel):
    """A priced concept of an anexo, identified by its `partida` (unique within the anexo)
    and, where one partida covers several trades, by its text too (`huella`). A PUE
    proposal not keyed yet has no partida and sits in the contract's `PUE` anexo."""

    class Tipo(models.TextChoices):
        ORDINARIA = "ordinaria", "Ordinaria"
        EXTRAORDINARIA = "extraordinaria", "Extraordinaria (PUE)"

    class Estatus(models.TextChoices):
        EN_ELABORACION = "EN_ELABORACION", "En elaboración"
        AUTORIZADO = "AUTORIZADO", "Autorizado"

    anexo = models.ForeignKey(Anexo, on_delete=models.PROTECT, related_name="conceptos")
    # Blank only on a PUE proposal not keyed yet.
    partida = models.CharField(max_length=40, blank=True)
    # "2.10" after "2.9": the key with each number zero-padded, for ordering only.
    orden = models.CharField(max_length=200, editable=False, blank=True)
    concepto = models.TextField()
    huella = models.CharField(max_length=64, editable=False, default="", db_default="")
    unidad = models.CharField(max_length=30)
    pu_mn = models.DecimalField(
        _("unit price MXN"),
        max_digits=18,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    pu_usd = models.DecimalField(
        _("unit price USD"),
        max_digits=18,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    cantidad_referencia = models.DecimalField(
        _("reference quantity"),
        max_digits=18,
        decimal_places=4,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    seccion = models.CharField(_("section"), max_length=300, blank=True)
    tipo = models.CharField(max_length=15, choices=Tipo.choices, default=Tipo.ORDINARIA)
    estatus = models.CharField(max_length=15, choices=Estatus.choices, default=Estatus.AUTORIZADO)
    # The PTE or OT a PUE was drawn up for.
    pte = models.ForeignKey(
        PTE, on_delete=models.PROTECT, null=True, blank=True, related_name="conceptos_pue"
    )
    ot = models.ForeignKey(
        OT, on_delete=models.PROTECT, null=True, blank=True, related_name="conceptos_pue"
    )
    # The oficio / orden de trabajo a PUE list names, as written: kept when no such PTE or
    # OT is registered (yet).
    referencia_pte = models.CharField(
        "PTE (según la lista)", max_length=60, blank=True, default="", db_default=""
    )
    referencia_ot = models.CharField(
        "OT (según la lista)", max_length=60, blank=True, default="", db_default=""
    )
    autorizado_en = models.DateTimeField(_("authorised at"), null=True, blank=True)
    autorizado_por = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # A PUE deactivated: kept with its history and on the anexos that have it, offered to no
    # new one and never authorised.
    activo = models.BooleanField(default=True, db_default=True)

    class Meta:
        ordering = ["anexo", "orden", "id"]
        permissions = [("autorizar_concepto", "Puede autorizar conceptos extraordinarios (PUE)")]
        indexes = [
            models.Index(fields=["anexo", "orden"], name="concepto_orden"),
            models.Index(fields=["estatus"], name="concepto_estatus"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["anexo", "partida", "huella"],
                condition=~models.Q(partida=""),
                name="concepto_partida_unica",
                violation_error_message=_("That concept already exists in the anexo."),
            ),
            models.UniqueConstraint(
                fields=["anexo", "huella", "unidad", "referencia_pte"],
                condition=models.Q(partida=""),
                name="concepto_propuesta_unica",
                violation_error_message=_("That proposal already exists for that PTE."),
            ),
            models.CheckConstraint(
                condition=models.Q(tipo="extraordinaria")
                | models.Q(estatus="AUTORIZADO", pte__isnull=True, ot__isnull=True),
                name="concepto_ordinario_autorizado",
                violation_error_message=(
                    _("An ordinary concept is authorised and comes from no PTE or OT.")
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.anexo.clave} {self.partida or '(sin clave)'}"


class TipoCambio(TimeStampedModel):
    """The MXN per USD rate in force from `fecha` until the next row's date."""

    fecha = models.DateField(_("in force from"), unique=True)
    valor = models.DecimalField(
        _("pesos per dollar"),
        max_digits=12,
        decimal_places=4,
        validators=[MinValueValidator(Decimal("0.0001"))],
    )

    class Meta:
        ordering = ["-fecha"]
        verbose_name = _("exchange rate")
        verbose_name_plural = _("exchange rates")

    def __str__(self) -> str:
        return f"{self.fecha.isoformat()}: {self.valor}"


class AnexoOT(TimeStampedModel):
    """One version of an OT's anexo (its priced partidas and programmed volumes). Each
    import adds a version and makes it the active one; earlier ones stay readable."""

    ot = models.ForeignKey(OT, on_delete=models.PROTECT, related_name="anexos")
    version = models.PositiveIntegerField()
    activo = models.BooleanField(default=True)
    nombre_archivo = models.CharField(_("file name"), max_length=255, blank=True)
    creado_por = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The version's totals (its lines' importes, each rounded to the cent, added up), written
    # with its lines by the one service that writes them (`services._anexo_guardar`): the OT
    # list reads an OT's contracted amount from here with one join, never summing its lines.
    importe_mn = models.DecimalField(
        max_digits=18, decimal_places=2, default=Decimal("0"), editable=False
    )
    importe_usd = models.DecimalField(
        max_digits=18, decimal_places=2, default=Decimal("0"), editable=False
    )

    class Meta:
        ordering = ["ot", "-version"]
        verbose_name = _("OT anexo")
        verbose_name_plural = _("OT anexos")
        constraints = [
            models.UniqueConstraint(fields=["ot", "version"], name="anexo_ot_version_unica"),
            models.UniqueConstraint(
                fields=["ot"], condition=models.Q(activo=True), name="anexo_ot_un_activo"
            ),
        ]

    def __str__(self) -> str:
        return f"Anexo de OT {self.ot_id} v{self.version}"


class PartidaAnexoOT(models.Model):
    """A line of an OT's anexo: a price-book concept, its volume and the prices in force
    when the anexo was imported (the catalog's, whatever the sheet said)."""

    anexo_ot = models.ForeignKey(AnexoOT, on_delete=models.CASCADE, related_name="partidas")
    concepto = models.ForeignKey(Concepto, on_delete=models.PROTECT, related_name="+")
    volumen = models.DecimalField(
        max_digits=18, decimal_places=4, validators=[MinValueValidator(Decimal("0"))]
    )
    pu_mn = models.DecimalField(_("unit price MXN"), max_digits=18, decimal_places=2)
    pu_usd = models.DecimalField(_("unit price USD"), max_digits=18, decimal_places=2)
    orden = models.PositiveIntegerField(help_text="Position in the workbook.")
    # Production of the OT on this line's concept (anexo + partida), kept by the production
    # app in the same transaction as every production write and every anexo import.
    ejecutado = models.DecimalField(
        max_digits=18, decimal_places=4, default=Decimal("0"), editable=False
    )
    excedente = models.DecimalField(
        max_digits=18, decimal_places=4, default=Decimal("0"), editable=False
    )

    class Meta:
        ordering = ["anexo_ot", "orden"]
        constraints = [
            models.UniqueConstraint(fields=["anexo_ot", "concepto"], name="partida_anexo_ot_unica")
        ]

    def __str__(self) -> str:
        return f"{self.anexo_ot} {self.concepto_id}"


class ProgramaDiario(models.Model):
    """The volume of a line programmed for one day."""

    partida = models.ForeignKey(PartidaAnexoOT, on_delete=models.CASCADE, related_name="programa")
    fecha = models.DateField()
    volumen = models.DecimalField(max_digits=18, decimal_places=4)

    class Meta:
        ordering = ["partida", "fecha"]
        constraints = [
            models.UniqueConstraint(fields=["partida", "fecha"], name="programa_dia_unico")
        ]

    def __str__(self) -> str:
        return f"{self.partida_id} {self.fecha.isoformat()}"


class ImportacionAnexoFallida(models.Model):
    """A refused anexo workbook, kept for a while so that its sender can download it back
    with an OBSERVACIONES column saying what is wrong on each row."""

    ot = models.ForeignKey(OT, on_delete=models.CASCADE, related_name="+")
    creado_en = models.DateTimeField(default=timezone.now, db_index=True)
    creado_por = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    nombre_archivo = models.CharField(max_length=255, blank=True)
    contenido = models.BinaryField()
    # Row number (or null for the whole sheet) → reasons, as sent in the 422.
    errores = models.JSONField(default=list)
    encabezado = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-creado_en"]

    def __str__(self) -> str:
        return f"Importación fallida {self.pk} de OT {self.ot_id}"


CENTAVO = Decimal("0.01")


def importe(volumen: Decimal, precio: Decimal) -> Decimal:
    """Volume times unit price, rounded half up to the cent."""
    return (volumen * precio).quantize(CENTAVO, rounding=ROUND_HALF_UP)


def totales_de_lineas(
    lineas: Iterable[tuple[Decimal, Decimal, Decimal]],
) -> tuple[Decimal, Decimal]:
    """An anexo's M.N. and USD totals from its lines' (volumen, pu_mn, pu_usd): each line's
    importe rounded to the cent, then added up (as the anexo's page adds them)."""
    total_mn = total_usd = Decimal("0.00")
    for volumen, pu_mn, pu_usd in lineas:
        total_mn += importe(volumen, pu_mn)
        total_usd += importe(volumen, pu_usd)
    return total_mn, total_usd


class ArchivoImportacion(models.Model):
    """An uploaded workbook kept between the pages' steps: one waiting for the user to
    confirm what its preview said, or one refused, for the download of the same workbook
    with an OBSERVACIONES column. Kept for a day."""

    class Tipo(models.TextChoices):
        PRECIOS = "precios", "Libro de precios o lista de PUE"
        OTS = "ots", "Registro de OTs"
        ANEXO = "anexo", "Anexo de una OT"

    tipo = models.CharField(max_length=10, choices=Tipo.choices)
    creado_en = models.DateTimeField(default=timezone.now, db_index=True)
    creado_por = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    nombre_archivo = models.CharField(max_length=255, blank=True)
    contenido = models.BinaryField()
    contrato = models.CharField(max_length=60, blank=True)
    # The refused rows, as the import answered them ({"hoja", "fila", "errores", ...}).
    errores = models.JSONField(default=list)

    class Meta:
        ordering = ["-creado_en"]

    def __str__(self) -> str:
        return f"{self.get_tipo_display()} {self.nombre_archivo}"
