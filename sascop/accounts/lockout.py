"""django-axes hooks: how attempts are keyed, and what a locked-out client is told.

Failures are counted per account and client, whichever identifier was typed (the username
or the e-mail, in any case, with surrounding spaces): locking "ana" must also lock
"ANA@sascop.mx". An identifier that names no account is counted as typed, per client.
"""

from __future__ import annotations

import logging
from typing import Any

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_credentials
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext, ngettext

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


class LockoutHandler(AxesDatabaseHandler):
    """AXES_HANDLER: axes' database handler, minus the writes of a login that had no
    failures to forget.

    On every successful login axes deletes the expired attempts of everybody and then this
    client's attempts for the account, each a transaction of its own. The lock-out check of
    the same request has just counted this client's recent failures for the account; when it
    found none there is nothing to reset (older attempts count for nothing, and every failed
    attempt deletes the expired ones before it is counted), so the login skips both.
    """

    def get_failures(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> int:
        failures = int(super().get_failures(request, credentials))
        if request is not None:
            counted = request.__dict__.setdefault("_sascop_failures_counted", {})
            counted[get_client_username(request, credentials)] = failures
        return failures

    def user_logged_in(self, sender: Any, request: HttpRequest, user: User, **kwargs: Any) -> None:
        counted = getattr(request, "_sascop_failures_counted", {})
        account = get_client_username(request, get_credentials(user.get_username()))
        if counted.get(account) == 0:
            return
        super().user_logged_in(sender, request, user, **kwargs)


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
        ngettext(
            "Too many failed login attempts. Try again in %(minutes)d minute.",
            "Too many failed login attempts. Try again in %(minutes)d minutes.",
            minutes,
        )
        % {"minutes": minutes},
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
            gettext("Too many failed attempts. Try again later."),
            status=error.status,
            content_type="text/plain; charset=utf-8",
        )
        response["Retry-After"] = str(error.retry_after)
    return response
