"""django-axes hooks: how attempts are keyed, and what a locked-out client is told.

Failures are counted per account and client, whichever identifier was typed (the username
or the e-mail, in any case, with surrounding spaces): locking "ana" must also lock
"ANA@sascop.mx". An identifier that names no account is counted as typed, per client.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from sascop.accounts.models import User
from sascop.accounts.selectors import account_for_identifier
from sascop.core.errors import Throttled, error_response, wants_json

logger = logging.getLogger(__name__)


def normalized_username(request: HttpRequest | None, credentials: dict[str, Any] | None) -> str:
    """AXES_USERNAME_CALLABLE: the name failures are counted under, the account's username
    when the identifier names one, else the identifier as typed (trimmed, lower case)."""
    typed = str((credentials or {}).get("username") or "").strip().lower()
    if not typed:
        return ""
    account = account_for_identifier(typed, request)
    return account.username.lower() if account is not None else typed


def reset_failures(request: HttpRequest, user: User) -> None:
    """Forget this client's failures for the account, as a successful login does."""
    from axes.handlers.proxy import AxesProxyHandler
    from axes.helpers import get_client_ip_address

    AxesProxyHandler.reset_attempts(
        ip_address=get_client_ip_address(request), username=user.username.lower()
    )


def cool_off_seconds() -> int:
    return int(settings.AXES_COOLOFF_TIME.total_seconds())


def locked_out_error() -> Throttled:
    minutes = max(1, cool_off_seconds() // 60)
    return Throttled(
        f"Too many failed login attempts. Try again in {minutes} minutes.",
        retry_after=cool_off_seconds(),
    )


def lockout_response(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponse:
    """AXES_LOCKOUT_CALLABLE: keep our own 429 if the view already gave one."""
    if original_response is not None and original_response.status_code == 429:
        return original_response
    error = locked_out_error()
    response: HttpResponse = error_response(error)
    if not wants_json(request):
        response = HttpResponse(
            "Demasiados intentos fallidos. Intenta de nuevo más tarde.",
            status=error.status,
            content_type="text/plain; charset=utf-8",
        )
        response["Retry-After"] = str(error.retry_after)
    return response
