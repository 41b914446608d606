"""Keep the user cache honest: any change to a user revokes its cached row."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.http import HttpRequest

from sascop.accounts import history
from sascop.accounts.models import User
from sascop.accounts.selectors import account_for_identifier, forget_user
from sascop.actividad.models import Accion
from sascop.core.signals import session_expired


@receiver(post_save, sender=User, dispatch_uid="accounts.forget_saved_user")
def forget_saved_user(
    sender: Any,
    instance: User,
    created: bool = False,
    update_fields: frozenset[str] | None = None,
    **kwargs: Any,
) -> None:
    if created:
        return  # a new row was never cached
    if update_fields is not None and set(update_fields) <= {"last_login"}:
        # Every login stamps last_login; nothing that decides access reads it, so the cached
        # copy keeps its older value (a Redis round trip less per login) and the one page that
        # shows it reads the database (selectors.last_login_of).
        return
    forget_user_in_transaction(instance.pk)


@receiver(post_delete, sender=User, dispatch_uid="accounts.forget_deleted_user")
def forget_deleted_user(sender: Any, instance: User, **kwargs: Any) -> None:
    forget_user_in_transaction(instance.pk)


def forget_user_in_transaction(user_id: Any) -> None:
    """Revoke now (a failure undoes the change: 503), and again once the change commits, in
    case the transaction outlived the revocation and a reader cached the old row meanwhile."""
    forget_user(user_id)
    transaction.on_commit(lambda: forget_user(user_id, durable=False))


# --- the login history (accesses in the activity log) ---------------------------------------


@receiver(user_logged_in, dispatch_uid="accounts.history_login")
def history_login(sender: Any, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    # A login finished with a second factor is recorded as such (accounts.mfa).
    accion = getattr(request, "sascop_accion_login", Accion.LOGIN)
    history.registrar(accion=accion, request=request, usuario=user)


@receiver(user_login_failed, dispatch_uid="accounts.history_failure")
def history_failure(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    # Also an attempt refused, or the one that reached the limit, for the lock-out.
    identifier = str(credentials.get("username") or "")
    locked = bool(getattr(request, "axes_locked_out", False))
    history.registrar(
        accion=Accion.BLOQUEO if locked else Accion.LOGIN_FALLIDO,
        request=request,
        usuario=account_for_identifier(identifier, request) if identifier else None,
        nombre_usuario=identifier,
    )


@receiver(user_logged_out, dispatch_uid="accounts.history_logout")
def history_logout(
    sender: Any, request: HttpRequest | None, user: User | None, **kwargs: Any
) -> None:
    if user is not None and user.is_authenticated:
        history.registrar(accion=Accion.LOGOUT, request=request, usuario=user)


@receiver(session_expired, dispatch_uid="accounts.history_expired")
def history_expired(sender: Any, request: HttpRequest, user_id: Any = None, **kwargs: Any) -> None:
    user = User.objects.filter(pk=user_id).first() if user_id else None
    history.registrar(accion=Accion.SESION_EXPIRADA, request=request, usuario=user)
