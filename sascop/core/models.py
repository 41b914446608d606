"""Abstract models shared by the domain apps: timestamps, optimistic versions, soft delete."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    creado_en = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    actualizado_en = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class VersionedModel(TimeStampedModel):
    """`version` grows by one on every change; the API exposes it as the ETag."""

    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        abstract = True


class ActiveManager(models.Manager):
    """Rows not soft-deleted. `all_objects` still sees everything."""

    def get_queryset(self) -> models.QuerySet[Any]:
        return super().get_queryset().filter(eliminado_en__isnull=True)


class SoftDeleteModel(VersionedModel):
    eliminado_en = models.DateTimeField(_("deleted at"), null=True, blank=True, editable=False)

    objects = ActiveManager()
    all_objects = models.Manager()  # noqa: DJ012  (managers right after the one field)

    class Meta:
        abstract = True
        base_manager_name = "all_objects"


class CatalogModel(models.Model):
    """A catalog entry: deactivating it hides it from new choices but keeps history."""

    activo = models.BooleanField(default=True)

    class Meta:
        abstract = True


class Instalacion(models.Model):
    """The identity of this database: one row, written by the migration that creates the
    table (and again by `manage.py renovar_instalacion` after a restore). Keys in the shared
    cache carry it, so a copy made for one database is never read for another."""

    clave = models.CharField(max_length=32)
    creada_en = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("installation")
        verbose_name_plural = _("installation")

    def __str__(self) -> str:
        return self.clave
