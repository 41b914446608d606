"""The search index's tables as the ORM reads them on PostgreSQL (see indice.py).

One table per indexed kind: the row's id and its `tsvector`, kept by triggers on the source
table. Unmanaged: the tables are the index's, created on PostgreSQL only (SQLite has its FTS5
tables instead), and there is no foreign key, so truncating a source table (a test's flush)
never trips on them; a row without its source is never read (every query joins the source).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import pgettext_lazy

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


class BusquedaGuardada(models.Model):
    """A search a user named to come back to: its query string is the search (what the
    page's address carries), so opening it is following a link and sharing it is sending
    that link."""

    usuario = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="busquedas_guardadas",
        verbose_name=pgettext_lazy("consulta", "user"),
    )
    nombre = models.CharField(pgettext_lazy("consulta", "name"), max_length=100)
    parametros = models.CharField(pgettext_lazy("consulta", "query string"), max_length=1000)
    creada = models.DateTimeField(pgettext_lazy("consulta", "created"), default=timezone.now)
    actualizada = models.DateTimeField(pgettext_lazy("consulta", "updated"), default=timezone.now)

    class Meta:
        verbose_name = pgettext_lazy("consulta", "saved search")
        verbose_name_plural = pgettext_lazy("consulta", "saved searches")
        ordering = ["usuario", "nombre"]
        constraints = [
            models.UniqueConstraint(
                fields=["usuario", "nombre"], name="consulta_busqueda_nombre_unico"
            )
        ]

    def __str__(self) -> str:
        return self.nombre

    @property
    def url(self) -> str:
        return f"{reverse('consulta:inicio')}?{self.parametros}"
