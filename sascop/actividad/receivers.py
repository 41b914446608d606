"""Authentication events into the activity log."""

from __future__ import annotations

from typing import Any

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from sascop.actividad.services import Accion, registrar_evento
from sascop.core.http.clients import client_ip
from sascop.core.signals import session_expired


@receiver(user_logged_in, dispatch_uid="actividad.login")
def on_login(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    registrar_evento(accion=Accion.LOGIN, usuario=user, ip=client_ip(request))


@receiver(user_login_failed, dispatch_uid="actividad.login_failed")
def on_login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    registrar_evento(
        accion=Accion.LOGIN_FALLIDO,
        nombre_usuario=str(credentials.get("username") or ""),
        ip=client_ip(request),
    )


@receiver(user_logged_out, dispatch_uid="actividad.logout")
def on_logout(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    registrar_evento(accion=Accion.LOGOUT, usuario=user, ip=client_ip(request))


@receiver(user_locked_out, dispatch_uid="actividad.lockout")
def on_lockout(
    sender: Any, request: HttpRequest | None, username: str | None = None, **kwargs: Any
) -> None:
    registrar_evento(accion=Accion.BLOQUEO, nombre_usuario=username or "", ip=client_ip(request))


@receiver(session_expired, dispatch_uid="actividad.session_expired")
def on_session_expired(
    sender: Any, request: HttpRequest, user_id: Any = None, **kwargs: Any
) -> None:
    from django.contrib.auth import get_user_model

    usuario = get_user_model()._default_manager.filter(pk=user_id).first() if user_id else None
    registrar_evento(accion=Accion.SESION_EXPIRADA, usuario=usuario, ip=client_ip(request))
