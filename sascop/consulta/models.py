"""The search index's tables as the ORM reads them on PostgreSQL (see indice.py).

One table per indexed kind: the row's id and its `tsvector`, kept by triggers on the source
table. Unmanaged: the tables are the index's, created on PostgreSQL only (SQLite has its FTS5
tables instead), and there is no foreign key, so truncating a source table (a test's flush)
never trips on them; a row without its source is never read (every query joins the source).
"""

from __future__ import annotations

from django.contrib.postgres.search import SearchVectorField
from django.db import models

from sascop.actividad.models import RegistroActividad
from sascop.ots.models import OT
from sascop.precios.models import Concepto
from sascop.ptes.models import PTE


def _objeto(modelo: type[models.Model]) -> models.OneToOneField[models.Model]:
    return models.OneToOneField(
        modelo,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        primary_key=True,
        db_column="id",
        related_name="+",
    )


class IndicePTE(models.Model):
    objeto = _objeto(PTE)
    vector = SearchVectorField()

    class Meta:
        managed = False
        db_table = "consulta_indice_pte"

    def __str__(self) -> str:
        return str(self.pk)


class IndiceOT(models.Model):
    objeto = _objeto(OT)
    vector = SearchVectorField()

    class Meta:
        managed = False
        db_table = "consulta_indice_ot"

    def __str__(self) -> str:
        return str(self.pk)


class IndiceConcepto(models.Model):
    objeto = _objeto(Concepto)
    vector = SearchVectorField()

    class Meta:
        managed = False
        db_table = "consulta_indice_concepto"

    def __str__(self) -> str:
        return str(self.pk)


class IndiceActividad(models.Model):
    objeto = _objeto(RegistroActividad)
    vector = SearchVectorField()

    class Meta:
        managed = False
        db_table = "consulta_indice_actividad"

    def __str__(self) -> str:
        return str(self.pk)
