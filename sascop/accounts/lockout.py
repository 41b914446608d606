"""django-axes hooks: how attempts are keyed, and what a locked-out client is told.

Failures are counted per account and client, whichever identifier was typed (the username
or the e-mail, in any case, with surrounding spaces): locking "ana" must also lock
"ANA@sascop.mx". An identifier that names no account is counted as typed, per client.
"""

from __future__ import annotations

import logging
from functools import cache
from typing import Any

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_parameters, get_client_username, get_credentials
from axes.models import AccessAttempt
from django.conf import settings
from django.db import connection
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


class LockoutHandler(AxesDatabaseHandler):
    """AXES_HANDLER: axes' database handler, counting failures with SQL written once (see
    `_recent_failures`), minus the writes of a login that had no failures to forget.

    On every successful login axes deletes the expired attempts of everybody and then this
    client's attempts for the account, each a transaction of its own. The lock-out check of
    the same request has just counted this client's recent failures for the account; when it
    found none there is nothing to reset (older attempts count for nothing, and every failed
    attempt deletes the expired ones before it is counted), so the login skips both.
    """

    def get_failures(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> int:
        failures = _recent_failures(request, credentials)
        if failures is None:
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


@cache
def _failures_sql(vendor: str, keys: tuple[str, ...]) -> str:
    meta = AccessAttempt._meta
    q = connection.ops.quote_name
    where = [f"{q(meta.get_field(key).column)} = %s" for key in keys]
    where.append(f"{q(meta.get_field('attempt_time').column)} >= %s")
    failures = q(meta.get_field("failures_since_start").column)
    # Names from the model's meta, quoted; every value is a parameter.
    return (
        f"SELECT COALESCE(SUM({failures}), 0) FROM {q(meta.db_table)} "  # noqa: S608
        f"WHERE {' AND '.join(where)}"
    )


def _recent_failures(request: HttpRequest | None, credentials: dict[str, Any] | None) -> int | None:
    """What axes' database handler counts (the failures since the cool-off began, per set of
    lock-out parameters, the largest), with SQL written once per process: every login
    attempt asks, and building the query through the ORM cost twice as long as running it.
    None when a parameter is missing (axes then compares with NULL): the handler counts."""
    if request is None or settings.AXES_COOLOFF_TIME is None:
        return None
    parameters = get_client_parameters(
        get_client_username(request, credentials),
        getattr(request, "axes_ip_address", None),
        getattr(request, "axes_user_agent", None),
        request,
        credentials,
    )
    meta = AccessAttempt._meta
    since = meta.get_field("attempt_time").get_db_prep_value(
        get_cool_off_threshold(request), connection
    )
    counts = [0]
    with connection.cursor() as cursor:
        for values in parameters:
            if not values or None in values.values():
                return None
            params = [
                meta.get_field(key).get_db_prep_value(value, connection)
                for key, value in values.items()
            ]
            cursor.execute(_failures_sql(connection.vendor, tuple(values)), [*params, since])
            counts.append(int(cursor.fetchone()[0]))
    return max(counts)


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
