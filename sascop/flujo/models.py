from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from sascop.catalogos.estatus import EstatusPaso
from sascop.core.models import VersionedModel


class PasoDeFlujo(VersionedModel):
    """A workflow step's state, shared by PTE and OT steps."""

    estatus = models.PositiveSmallIntegerField(
        choices=EstatusPaso.choices, default=EstatusPaso.PENDIENTE
    )
    fecha_inicio = models.DateField(null=True, blank=True)
    fecha_termino = models.DateField(null=True, blank=True)
    fecha_entrega = models.DateField(null=True, blank=True)
    comentario = models.TextField(blank=True)
    archivo = models.URLField(_("file (link)"), max_length=500, blank=True)

    class Meta:
        abstract = True
