"""What SASCOP keeps about a queued task beyond the queue's own row: whose it is, and how
far it has got (the queue knows only queued / running / done / failed)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Tarea(models.Model):
    # The same id as the queue's task result, so one id names both.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    usuario = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("user"),
    )
    tipo = models.CharField(_("kind"), max_length=60)
    hechas = models.PositiveIntegerField(_("done"), default=0)
    total = models.PositiveIntegerField(_("total"), null=True, blank=True)
    creada = models.DateTimeField(_("created"), default=timezone.now, db_index=True)
    # Why a task that refused its input failed: the error body its request would have had.
    error = models.JSONField(_("error"), null=True, blank=True)

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        ordering = ["-creada"]

    def __str__(self) -> str:
        return f"{self.tipo} {self.id}"
