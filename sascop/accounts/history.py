"""The login history: every attempt, logout, expiry and revocation, with where it came from.

Written by receivers of Django's and django-axes' auth signals (accounts.signals) and by the
session services; read by GET /api/login-history/. Pruned after LOGIN_HISTORY_DAYS by
`manage.py prune_login_history`.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone

from sascop.accounts.models import EventoAcceso, User
from sascop.core.http.clients import client_ip, user_agent

Resultado = EventoAcceso.Resultado


def record(
    *,
    result: str,
    request: HttpRequest | None = None,
    user: User | None = None,
    identifier: str = "",
) -> EventoAcceso:
    """Add one event; the IP and user agent come from the request when there is one."""
    event = EventoAcceso(
        result=result,
        user=user,
        identifier=(identifier or (user.get_username() if user else ""))[:254],
        ip=client_ip(request),
        user_agent=user_agent(request),
    )
    event.save(force_insert=True)
    return event


def prune(*, days: int | None = None) -> int:
    """Delete events older than `days` (LOGIN_HISTORY_DAYS); how many went."""
    keep = settings.LOGIN_HISTORY_DAYS if days is None else days
    deleted, _ = EventoAcceso.objects.filter(at__lt=timezone.now() - timedelta(days=keep)).delete()
    return deleted


def event_item(event: EventoAcceso) -> dict[str, Any]:
    from sascop.core.api.serializers import iso

    return {
        "id": event.pk,
        "at": iso(event.at),
        "user_id": event.user_id,
        "identifier": event.identifier,
        "ip": event.ip,
        "user_agent": event.user_agent,
        "result": event.result,
    }
