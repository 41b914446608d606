"""The dashboard's running totals, kept by the database itself (see `resumenes.py`).

Each table is a ledger of signed deltas: a trigger on the source table appends one row per
change (never updates one), so concurrent writes never wait for each other here and cannot
deadlock on a hot counter. A figure is the SUM of its key's rows; `resumenes.compactar()`
folds the rows into one per key now and then. Amounts are integers (cents, ten-thousandths):
exact on SQLite too, whose decimals are binary floats.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ResumenPTE(models.Model):
    """Non-deleted PTEs per estatus."""

    estatus = models.PositiveSmallIntegerField()
    total = models.BigIntegerField()

    class Meta:
        db_table = "resumen_pte"
        verbose_name = _("PTE summary")

    def __str__(self) -> str:
        return f"PTEs {self.estatus}: {self.total:+}"


class ResumenOT(models.Model):
    """Non-deleted OTs per (estatus, cliente): count and amounts in cents."""

    estatus = models.PositiveSmallIntegerField()
    cliente_id = models.BigIntegerField()
    total = models.BigIntegerField()
    mxn_centavos = models.BigIntegerField()
    usd_centavos = models.BigIntegerField()

    class Meta:
        db_table = "resumen_ot"
        verbose_name = _("OT summary")

    def __str__(self) -> str:
        return f"OTs {self.estatus}/{self.cliente_id}: {self.total:+}"


class ResumenProduccion(models.Model):
    """Production rows of non-deleted OTs per month (first day): count, volume in 1/10000 and
    amount executed (volume times its line's P.U. M.N.) in millionths of a peso."""

    mes = models.DateField()
    total = models.BigIntegerField()
    volumen_diezmilesimas = models.BigIntegerField()
    importe_mn_millonesimas = models.BigIntegerField(default=0)

    class Meta:
        db_table = "resumen_produccion"
        verbose_name = _("production summary")

    def __str__(self) -> str:
        return f"producción {self.mes:%Y-%m}: {self.total:+}"


class ResumenAnexo(models.Model):
    """What the active anexos change of their OTs' amounts, per (estatus, cliente) of the OTs
    not deleted: the anexo's totals minus the OT's amounts typed, in cents. Added to
    `ResumenOT`'s amounts it gives the contracted amounts (`ots.selectors.con_montos`)."""

    estatus = models.PositiveSmallIntegerField()
    cliente_id = models.BigIntegerField()
    mxn_centavos = models.BigIntegerField()
    usd_centavos = models.BigIntegerField()

    class Meta:
        db_table = "resumen_anexo"
        verbose_name = _("anexo summary")

    def __str__(self) -> str:
        return f"anexos {self.estatus}/{self.cliente_id}: {self.mxn_centavos:+}"


class ResumenPTEVence(models.Model):
    """PTEs still owed (not deleted, neither delivered nor cancelled) per due date
    (`fecha_solicitud + plazo_dias`): those overdue on a day are the rows before it."""

    vence = models.DateField()
    total = models.BigIntegerField()

    class Meta:
        db_table = "resumen_pte_vence"
        verbose_name = _("summary of owed PTEs by due date")

    def __str__(self) -> str:
        return f"PTEs que vencen {self.vence}: {self.total:+}"


class ResumenOTTermino(models.Model):
    """Open OTs (not deleted, neither Terminada nor Cancelada) per programmed end: those late
    on a day are the rows before it."""

    termino = models.DateField()
    total = models.BigIntegerField()

    class Meta:
        db_table = "resumen_ot_termino"
        verbose_name = _("summary of open OTs by programmed end")

    def __str__(self) -> str:
        return f"OTs que terminan {self.termino}: {self.total:+}"
