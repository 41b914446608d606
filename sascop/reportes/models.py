"""Who receives the weekly report, besides the addresses in `REPORTE_SEMANAL_DESTINATARIOS`."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class DestinatarioReporte(models.Model):
    """An address an administrator added to the weekly report's list (Django admin)."""

    correo = models.EmailField(_("e-mail"), unique=True)
    nombre = models.CharField(_("name"), max_length=150, blank=True)
    activo = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("weekly report recipient")
        verbose_name_plural = _("weekly report recipients")
        ordering = ["correo"]

    def __str__(self) -> str:
        return f"{self.nombre} <{self.correo}>" if self.nombre else self.correo
