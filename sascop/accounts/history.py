"""The login history: the accesses of the activity log (`actividad.selectors.accesos`), as
GET /api/login-history/ and the account page show them, in their English vocabulary.

Each event is one activity-log row, written by accounts through `registrar` (from the
signals' receivers, accounts.mfa and the session services), which hands it to
`actividad.services.registrar_acceso` with where the request came from. Pruned after
LOGIN_HISTORY_DAYS by `manage.py prune_login_history`.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import models
from django.http import HttpRequest
from django.utils import timezone

from sascop.accounts.models import User
from sascop.actividad.models import Accion, RegistroActividad
from sascop.actividad.services import purgar_accesos, registrar_acceso
from sascop.core.http.clients import client_ip, user_agent


class Resultado(models.TextChoices):
    """An event's `result` in the API, and its label on the account page."""

    SUCCESS = "success", "Acceso"
    FAILURE = "failure", "Contraseña incorrecta"
    LOCKED = "locked", "Bloqueado"
    MFA_FAILURE = "mfa_failure", "Código incorrecto"
    MFA_SUCCESS = "mfa_success", "Código correcto"
    LOGOUT = "logout", "Salida"
    EXPIRED = "expired", "Sesión expirada"
    REVOKED = "revoked", "Sesión terminada"


ACCION_DE = {
    Resultado.SUCCESS: Accion.LOGIN,
    Resultado.FAILURE: Accion.LOGIN_FALLIDO,
    Resultado.LOCKED: Accion.BLOQUEO,
    Resultado.MFA_FAILURE: Accion.CODIGO_INCORRECTO,
    Resultado.MFA_SUCCESS: Accion.LOGIN_CON_CODIGO,
    Resultado.LOGOUT: Accion.LOGOUT,
    Resultado.EXPIRED: Accion.SESION_EXPIRADA,
    Resultado.REVOKED: Accion.SESION_TERMINADA,
}
RESULTADO_DE = {accion: resultado for resultado, accion in ACCION_DE.items()}


def registrar(
    *,
    accion: Accion,
    request: HttpRequest | None,
    usuario: User | None = None,
    nombre_usuario: str = "",
) -> None:
    """Record an access in the activity log; the IP and user agent come from the request.
    `nombre_usuario` is what was typed (default: the user's username)."""
    registrar_acceso(
        accion=accion,
        usuario=usuario,
        nombre_usuario=nombre_usuario,
        ip=client_ip(request),
        agente_usuario=user_agent(request),
    )


def resultado(evento: RegistroActividad) -> Resultado:
    return RESULTADO_DE[Accion(evento.accion)]


def prune(*, days: int | None = None) -> int:
    """Delete events older than `days` (LOGIN_HISTORY_DAYS); how many went."""
    keep = settings.LOGIN_HISTORY_DAYS if days is None else days
    return purgar_accesos(antes_de=timezone.now() - timedelta(days=keep))


def event_item(evento: RegistroActividad) -> dict[str, Any]:
    from sascop.core.api.serializers import iso

    return {
        "id": evento.pk,
        "at": iso(evento.fecha),
        "user_id": evento.usuario_id,
        "identifier": evento.nombre_usuario,
        "ip": evento.ip,
        "user_agent": evento.agente_usuario,
        "result": resultado(evento).value,
    }
