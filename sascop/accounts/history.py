"""The login history: the accesses of the activity log (`actividad.selectors.accesos`), as
GET /api/login-history/ and the account page show them, in their English vocabulary.

Each event is one activity-log row, written by accounts through
`actividad.services.registrar_acceso` (see accounts.signals, accounts.mfa and the session
services). Pruned after LOGIN_HISTORY_DAYS by `manage.py prune_login_history`.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone

from sascop.actividad.models import Accion, RegistroActividad
from sascop.actividad.services import purgar_accesos


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
