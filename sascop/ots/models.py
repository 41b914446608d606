from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from sascop.catalogos.estatus import EstatusOT
from sascop.catalogos.models import Cliente, Frente, PasoOt, ResponsableProyecto, Sitio
from sascop.core.models import SoftDeleteModel
from sascop.flujo.models import PasoDeFlujo
from sascop.ptes.models import PTE

# The places an OT may stand at, one of each kind (fields of OT, named as Sitio.Tipo's values).
LUGARES = ("embarcacion", "plataforma", "intercom", "patio")


class OT(SoftDeleteModel):
    """Orden de trabajo, from a PTE or direct. A re-programming points to its principal OT."""

    pte = models.ForeignKey(
        PTE, on_delete=models.PROTECT, null=True, blank=True, related_name="ots"
    )
    ot_principal = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="reprogramaciones"
    )
    num_reprogramacion = models.PositiveSmallIntegerField(_("re-programming number"), default=0)
    orden_trabajo = models.CharField(_("work order"), max_length=60)
    oficio_ot = models.CharField(pgettext_lazy("ots", "OT letter"), max_length=60, blank=True)
    descripcion_trabajo = models.TextField(_("work description"))
    responsable_proyecto = models.ForeignKey(
        ResponsableProyecto, on_delete=models.PROTECT, related_name="ots"
    )
    responsable_cliente = models.CharField(max_length=150, blank=True)
    cliente = models.ForeignKey(Cliente, on_delete=models.PROTECT, related_name="ots")
    frente = models.ForeignKey(
        Frente, on_delete=models.PROTECT, null=True, blank=True, related_name="ots"
    )
    sitio = models.ForeignKey(
        Sitio, on_delete=models.PROTECT, null=True, blank=True, related_name="ots"
    )
    # Where the OT stands at once: up to one place of each kind.
    embarcacion = models.ForeignKey(
        Sitio,
        verbose_name=_("vessel"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"tipo": "embarcacion"},
    )
    plataforma = models.ForeignKey(
        Sitio,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"tipo": "plataforma"},
    )
    intercom = models.ForeignKey(
        Sitio,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"tipo": "intercom"},
    )
    patio = models.ForeignKey(
        Sitio,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"tipo": "patio"},
    )
    # The PTE's oficio as an imported register names it, kept when no such PTE exists.
    referencia_pte = models.CharField(
        "PTE (según el registro)", max_length=60, blank=True, default="", db_default=""
    )
    estatus = models.PositiveSmallIntegerField(
        choices=EstatusOT.choices, default=EstatusOT.ASIGNADA
    )
    fecha_inicio_programado = models.DateField(null=True, blank=True)
    fecha_termino_programado = models.DateField(null=True, blank=True)
    fecha_inicio_real = models.DateField(null=True, blank=True)
    fecha_termino_real = models.DateField(null=True, blank=True)
    monto_mxn = models.DecimalField(
        max_digits=18, decimal_places=2, default=Decimal("0"), validators=[MinValueValidator(0)]
    )
    monto_usd = models.DecimalField(
        max_digits=18, decimal_places=2, default=Decimal("0"), validators=[MinValueValidator(0)]
    )
    plazo_dias = models.PositiveIntegerField(
        "plazo (días)", null=True, blank=True, validators=[MinValueValidator(1)]
    )
    comentario = models.TextField(blank=True)
    creado_por = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("OT")
        verbose_name_plural = _("OTs")
        ordering = ["-fecha_inicio_programado", "-id"]
        indexes = [
            models.Index(fields=["estatus"], name="ot_estatus"),
            models.Index(fields=["-creado_en", "-id"], name="ot_recientes"),
            # The list's year filter reads the first and last dates and each year's first.
            models.Index(
                fields=["fecha_inicio_programado"],
                name="ot_inicio_programado",
                condition=models.Q(eliminado_en__isnull=True),
            ),
            # The late OTs (the dashboard's tile and list, `atrasadas=true`): still open, by
            # programmed end, so the most late are read first and counted from the index.
            models.Index(
                fields=["fecha_termino_programado", "id"],
                name="ot_abiertas_por_termino",
                condition=models.Q(eliminado_en__isnull=True)
                & ~models.Q(estatus__in=[EstatusOT.TERMINADA, EstatusOT.CANCELADA]),
            ),
            # The deleted OTs, few: rows of other tables are kept to OTs not deleted by
            # leaving these out (`ots.selectors.de_ot_vigente`), with no join.
            models.Index(
                fields=["id"], name="ot_eliminadas", condition=models.Q(eliminado_en__isnull=False)
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["orden_trabajo", "num_reprogramacion"],
                condition=models.Q(eliminado_en__isnull=True),
                name="ot_orden_unica",
                violation_error_message=_(
                    "An OT with that order number and re-programming already exists."
                ),
            ),
            # One OT follows a PTE; its re-programmings carry the same PTE.
            models.UniqueConstraint(
                fields=["pte"],
                condition=models.Q(
                    eliminado_en__isnull=True, ot_principal__isnull=True, pte__isnull=False
                ),
                name="ot_una_por_pte",
                violation_error_message=_("This PTE already has an OT."),
            ),
            # An oficio names one OT family: re-programmings share their principal's, so the
            # database holds the principals to it; services check the families.
            models.UniqueConstraint(
                fields=["oficio_ot"],
                condition=models.Q(eliminado_en__isnull=True, ot_principal__isnull=True)
                & ~models.Q(oficio_ot=""),
                name="ot_oficio_unico",
                violation_error_message=_("An OT with that oficio already exists."),
            ),
            models.CheckConstraint(
                condition=models.Q(ot_principal__isnull=True, num_reprogramacion=0)
                | models.Q(ot_principal__isnull=False, num_reprogramacion__gt=0),
                name="ot_reprogramacion_coherente",
            ),
        ]

    def __str__(self) -> str:
        suffix = f" R{self.num_reprogramacion}" if self.num_reprogramacion else ""
        return f"{self.orden_trabajo}{suffix}"


class OTDetalle(PasoDeFlujo):
    ot = models.ForeignKey(OT, on_delete=models.CASCADE, related_name="detalles")
    paso = models.ForeignKey(PasoOt, on_delete=models.PROTECT, related_name="detalles")

    class Meta:
        verbose_name = pgettext_lazy("ots", "OT step")
        verbose_name_plural = pgettext_lazy("ots", "OT steps")
        ordering = ["ot", "paso__orden"]
        constraints = [models.UniqueConstraint(fields=["ot", "paso"], name="ot_paso_unico")]

    def __str__(self) -> str:
        return f"{self.ot} · {self.paso}"
