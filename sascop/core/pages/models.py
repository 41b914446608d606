"""What the page layer stores: each user's columns for each list."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class PreferenciaTabla(models.Model):
    """The columns a user chose for one list, in the order chosen ("Configurar tabla")."""

    usuario = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    tabla = models.CharField(max_length=50)  # the list's key, e.g. "ptes"
    columnas = models.JSONField(default=list)  # column names, in order

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["usuario", "tabla"], name="preferencia_tabla_unica")
        ]

    def __str__(self) -> str:
        return f"{self.tabla} ({self.usuario_id})"
