from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class RegistroActividad(models.Model):
    """Who did what, when: one row per changed field, or one per event."""

    class Accion(models.TextChoices):
        CREAR = "crear", "Creación"
        MODIFICAR = "modificar", "Modificación"
        ELIMINAR = "eliminar", "Eliminación"
        LOGIN = "login", "Inicio de sesión"
        LOGIN_FALLIDO = "login_fallido", "Inicio de sesión fallido"
        LOGOUT = "logout", "Cierre de sesión"
        SESION_EXPIRADA = "sesion_expirada", "Sesión expirada"
        BLOQUEO = "bloqueo", "Bloqueo por intentos fallidos"

    fecha = models.DateTimeField(default=timezone.now, db_index=True)
    usuario = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="actividad",
    )
    nombre_usuario = models.CharField(max_length=254, blank=True)
    accion = models.CharField("acción", max_length=20, choices=Accion.choices)
    entidad = models.CharField(max_length=60, blank=True)
    entidad_id = models.CharField(max_length=40, blank=True)
    campo = models.CharField(max_length=60, blank=True)
    valor_anterior = models.TextField(blank=True)
    valor_nuevo = models.TextField(blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        verbose_name = "registro de actividad"
        verbose_name_plural = "registro de actividad"
        ordering = ["-fecha", "-id"]
        indexes = [
            models.Index(fields=["entidad", "entidad_id"], name="actividad_entidad"),
            # The log page filtered by model, newest first, a keyset page at a time.
            models.Index(fields=["entidad", "-fecha", "-id"], name="actividad_entidad_fecha"),
        ]

    def __str__(self) -> str:
        return f"{self.fecha:%Y-%m-%d %H:%M} {self.nombre_usuario} {self.accion} {self.entidad}"
