from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import DateField, F, Func, Q
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from sascop.catalogos.estatus import EstatusPTE
from sascop.catalogos.models import Cliente, Paso, ResponsableProyecto, Tipo
from sascop.core.models import SoftDeleteModel
from sascop.flujo.models import PasoDeFlujo


class MasDias(Func):
    """`fecha + dias` as a date, in each database's own terms (Django's duration arithmetic
    cannot multiply an integer column by a day on SQLite)."""

    arity = 2
    output_field = DateField()

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(
            compiler,
            connection,
            template="date(%(expressions)s || ' days')",
            arg_joiner=", '+' || ",
            **extra,
        )

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        # date + integer is a date in PostgreSQL.
        return self.as_sql(compiler, connection, template="(%(expressions)s)", arg_joiner=" + ")


# A PTE still owed to its client: neither delivered nor cancelled; and when it is due.
POR_ENTREGAR = Q(fecha_entrega__isnull=True) & ~Q(
    estatus__in=[EstatusPTE.ENTREGADA, EstatusPTE.CANCELADA]
)
VENCE = MasDias(F("fecha_solicitud"), F("plazo_dias"))


class PTE(SoftDeleteModel):
    """Propuesta técnico-económica: what a client asked for, and our answer's progress."""

    class Prioridad(models.IntegerChoices):
        ALTA = 1, "Alta"
        MEDIA = 2, "Media"
        BAJA = 3, "Baja"
        TBD = 4, "TBD"  # por definir: the client has not ranked it yet

    oficio_pte = models.CharField(pgettext_lazy("ptes", "PTE letter"), max_length=60)
    oficio_solicitud = models.CharField(_("request letter"), max_length=60, blank=True)
    descripcion_trabajo = models.TextField(_("work description"))
    fecha_solicitud = models.DateField(_("request date"))
    fecha_entrega = models.DateField(_("delivery date"), null=True, blank=True)
    plazo_dias = models.PositiveIntegerField(_("term (days)"), validators=[MinValueValidator(1)])
    responsable_proyecto = models.ForeignKey(
        ResponsableProyecto, on_delete=models.PROTECT, related_name="ptes"
    )
    cliente = models.ForeignKey(Cliente, on_delete=models.PROTECT, related_name="ptes")
    tipo = models.ForeignKey(
        Tipo,
        on_delete=models.PROTECT,
        related_name="ptes",
        limit_choices_to={"aplica_a": Tipo.AplicaA.PTE},
    )
    prioridad = models.PositiveSmallIntegerField(choices=Prioridad.choices, default=Prioridad.MEDIA)
    total_homologado = models.DecimalField(
        max_digits=16,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    estatus = models.PositiveSmallIntegerField(
        choices=EstatusPTE.choices, default=EstatusPTE.PENDIENTE
    )
    comentario = models.TextField(blank=True)
    creado_por = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("PTE")
        verbose_name_plural = _("PTEs")
        ordering = ["-fecha_solicitud", "-id"]
        indexes = [
            # Partial: the lists never show deleted PTEs, and a deep page is then an index-only
            # scan of the ids it skips.
            models.Index(
                fields=["-fecha_solicitud", "-id"],
                name="pte_recientes",
                condition=models.Q(eliminado_en__isnull=True),
            ),
            models.Index(fields=["estatus"], name="pte_estatus"),
            # The dashboard's overdue PTEs, most overdue first, and how many: the PTEs still
            # owed, by due date (a few thousand entries of an index, not every PTE).
            models.Index(
                VENCE,
                F("id"),
                name="pte_por_vencer",
                condition=Q(eliminado_en__isnull=True) & POR_ENTREGAR,
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(plazo_dias__gt=0), name="pte_plazo_positivo"),
            models.UniqueConstraint(
                fields=["oficio_pte"],
                condition=models.Q(eliminado_en__isnull=True),
                name="pte_oficio_unico",
                violation_error_message=_("A PTE with that oficio already exists."),
            ),
        ]

    def __str__(self) -> str:
        return self.oficio_pte

    def clean(self) -> None:
        # Delivered before it was asked for is a typing error, whichever path writes it.
        if (
            self.fecha_entrega is not None
            and self.fecha_solicitud is not None
            and self.fecha_entrega < self.fecha_solicitud
        ):
            raise ValidationError(
                {"fecha_entrega": gettext("The delivery date cannot be before the request date.")}
            )


class PTEDetalle(PasoDeFlujo):
    """One workflow step of a PTE."""

    pte = models.ForeignKey(PTE, on_delete=models.CASCADE, related_name="detalles")
    paso = models.ForeignKey(Paso, on_delete=models.PROTECT, related_name="detalles")

    class Meta:
        verbose_name = _("PTE step")
        verbose_name_plural = _("PTE steps")
        ordering = ["pte", "paso__orden"]
        constraints = [models.UniqueConstraint(fields=["pte", "paso"], name="pte_paso_unico")]

    def __str__(self) -> str:
        return f"{self.pte} · {self.paso}"
