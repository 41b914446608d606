from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class RegistroActividad(models.Model):
    """Who did what, when: one row per changed field, or one per event.

    The events are the accesses (`ACCESOS`): logins, failed logins, lock-outs, second-factor
    codes, logouts, expiries and ended sessions, with where they came from (`ip`,
    `agente_usuario`). They are also the login history that accounts shows each user.
    """

    class Accion(models.TextChoices):
        CREAR = "crear", "Creación"
        MODIFICAR = "modificar", "Modificación"
        ELIMINAR = "eliminar", "Eliminación"
        LOGIN = "login", "Inicio de sesión"
        LOGIN_CON_CODIGO = "login_con_codigo", _("Sign-in with a second-factor code")
        LOGIN_FALLIDO = "login_fallido", "Inicio de sesión fallido"
        CODIGO_INCORRECTO = "codigo_incorrecto", _("Wrong second-factor code")
        LOGOUT = "logout", "Cierre de sesión"
        SESION_EXPIRADA = "sesion_expirada", "Sesión expirada"
        SESION_TERMINADA = "sesion_terminada", _("Session ended")
        BLOQUEO = "bloqueo", "Bloqueo por intentos fallidos"

    fecha = models.DateTimeField(default=timezone.now, db_index=True)
    usuario = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="actividad",
    )
    # Who acted; for an access, what was typed (a username or an e-mail, any case).
    nombre_usuario = models.CharField(max_length=254, blank=True)
    accion = models.CharField("acción", max_length=20, choices=Accion.choices)
    entidad = models.CharField(max_length=60, blank=True)
    entidad_id = models.CharField(max_length=40, blank=True)
    campo = models.CharField(max_length=60, blank=True)
    valor_anterior = models.TextField(blank=True)
    valor_nuevo = models.TextField(blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    agente_usuario = models.CharField(max_length=500, blank=True)

    class Meta:
        verbose_name = _("activity log")
        verbose_name_plural = _("activity log")
        ordering = ["-fecha", "-id"]
        indexes = [
            models.Index(fields=["entidad", "entidad_id"], name="actividad_entidad"),
            # The log page filtered by model, newest first, a keyset page at a time.
            models.Index(fields=["entidad", "-fecha", "-id"], name="actividad_entidad_fecha"),
            # One user's accesses, newest first (the login history).
            models.Index(fields=["usuario", "-fecha"], name="actividad_usuario_fecha"),
        ]

    def __str__(self) -> str:
        return f"{self.fecha:%Y-%m-%d %H:%M} {self.nombre_usuario} {self.accion} {self.entidad}"


Accion = RegistroActividad.Accion

# The actions that are accesses (the login history), not changes to a record.
ACCESOS = frozenset(
    {
        Accion.LOGIN,
        Accion.LOGIN_CON_CODIGO,
        Accion.LOGIN_FALLIDO,
        Accion.CODIGO_INCORRECTO,
        Accion.LOGOUT,
        Accion.SESION_EXPIRADA,
        Accion.SESION_TERMINADA,
        Accion.BLOQUEO,
    }
)
