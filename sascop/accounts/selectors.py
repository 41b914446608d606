"""Reads of accounts that sit on the hot path of every authenticated request."""

from __future__ import annotations

from datetime import datetime
from typing import Any, NamedTuple
from weakref import WeakKeyDictionary

import django_filters
from django.conf import settings
from django.db.models import Q, QuerySet, Value
from django.db.models.functions import Lower
from django.http import HttpRequest
from django.utils import timezone
from django.utils.crypto import salted_hmac

from sascop.accounts.history import ACCION_DE, Resultado
from sascop.accounts.models import Sesion, User
from sascop.actividad.models import RegistroActividad
from sascop.actividad.selectors import accesos
from sascop.core.api.filters import DateTimeFilter, FilterSet, IdFilter, filtrar
from sascop.core.cache import revocable
from sascop.core.sessions import policy
from sascop.core.sessions.store import SessionStore

# A revoked user row is not cached again for this long: longer than any request that read
# the old row before the change could take to write it back.
_REVOKED_SECONDS = 120


def _cache_key(user_id: Any) -> str:
    return revocable.user_key(user_id)


def user_by_id(user_id: Any, *, leido: User | None = None) -> User | None:
    """The user behind a session, loaded on every authenticated request; `leido` is its row
    when the request already read it along with the session (one query, or one Redis round
    trip, for both: see core.session_store).

    With Redis (shared by every app server) the row is cached for USER_CACHE_SECONDS; any
    change to the user revokes the copy (see `forget_user`), so a password change or a
    deactivation counts at once on every server. A hit costs one Redis read instead of two
    PostgreSQL round trips (the connection health check and the query). Without Redis each
    process would have its own cache, which could not be revoked across processes, so the row
    is read every time.
    """
    if leido is not None and leido.pk == user_id:
        return leido
    if not settings.USER_CACHE_SECONDS:
        return User._default_manager.filter(pk=user_id).first()
    name = _cache_key(user_id)
    cached = revocable.read(name)
    if isinstance(cached, bytes) and (user := revocable.row_of(User, cached)) is not None:
        return user
    user = User._default_manager.filter(pk=user_id).first()
    if user is not None and cached is None:
        revocable.fill(name, revocable.copy_of(user), settings.USER_CACHE_SECONDS)
    return user


def forget_user(user_id: Any, *, durable: bool = True) -> None:
    """Revoke the cached row. Durable: raise 503 if Redis cannot record it (call it inside
    the transaction that changes the user, so the change is undone with it)."""
    if not settings.USER_CACHE_SECONDS:
        return
    if durable:
        revocable.revoke(_cache_key(user_id), _REVOKED_SECONDS)
    else:
        revocable.revoke_quietly(_cache_key(user_id), _REVOKED_SECONDS)


def last_login_of(user_id: Any) -> datetime | None:
    """The user's last login, from the database: the cached copy's may be older (a login does
    not revoke it, see accounts.signals)."""
    return User._default_manager.filter(pk=user_id).values_list("last_login", flat=True).first()


def account_for_identifier(identifier: str, request: HttpRequest | None = None) -> User | None:
    """The account a login identifier names: its username, else the one account whose
    e-mail it is (any letter case, surrounding spaces ignored).

    Given the request, the answer is remembered for it: the lock-out check and the password
    check of one login attempt ask the same question.
    """
    typed = identifier.strip()
    if not typed:
        return None
    seen = _accounts_by_request.setdefault(request, {}) if request is not None else {}
    if typed.lower() not in seen:
        account = seen[typed.lower()] = _account_from_database(typed)
        if account is not None:
            # After a login by e-mail, axes asks again by the account's username.
            seen.setdefault(account.username.lower(), account)
    return seen[typed.lower()]


_accounts_by_request: WeakKeyDictionary[HttpRequest, dict[str, User | None]] = WeakKeyDictionary()


def accounts_named(typed: str) -> QuerySet[User]:
    """The accounts (at most two) whose username or e-mail is `typed` in any letter case, each
    with its two-factor device, if any: the login asks next whether it needs a code.

    Compared in lower case, as the unique indexes on LOWER(username) and LOWER(email) (where
    not empty) are built, so that each side is an index lookup, not a scan of every user."""
    named = Lower(Value(typed))
    by_username = Q(username_ci=named)
    by_email = Q(email_ci=named) & ~Q(email="")
    accounts = User._default_manager.select_related("dispositivo_totp")
    accounts = accounts.alias(username_ci=Lower("username"), email_ci=Lower("email"))
    return accounts.filter(by_username | by_email)[:2]


def taken(field: str, value: str) -> bool:
    """Whether some account's `field` ("username" or "email") is `value` in any letter case,
    compared as its unique index is built (LOWER), so that it is an index lookup."""
    return User._default_manager.alias(ci=Lower(field)).filter(ci=Lower(Value(value))).exists()


def _account_from_database(typed: str) -> User | None:
    matches = list(accounts_named(typed))
    # A username match wins over somebody else's e-mail that happens to look the same.
    user = next((u for u in matches if u.username.lower() == typed.lower()), None)
    if user is None and len(matches) == 1:
        user = matches[0]
    return user


# --- sessions a user can see ------------------------------------------------------------------


def session_public_id(session_key: str) -> str:
    """An opaque, stable name for a session: never the key, and the key cannot be derived
    from it."""
    return salted_hmac("sascop.accounts.session-id", session_key).hexdigest()[:32]


def device_of(user_agent: str) -> str:
    """ "Chrome en Windows", "Mobile Safari en iPhone", or "script" for curl, requests…"""
    if not user_agent:
        return "script"
    # ua-parser and its rules (some 4 MiB) are loaded by the first session list or login
    # history shown, not by every worker at start.
    from ua_parser import parse as ua_parse

    parsed = ua_parse(user_agent)
    browser = parsed.user_agent.family if parsed.user_agent else None
    if parsed.os is None and parsed.device is None:
        return "script"
    device = parsed.device.family if parsed.device and parsed.device.family != "Other" else None
    system = device or (parsed.os.family if parsed.os else None)
    if browser and system:
        return f"{browser} en {system}"
    return browser or system or "script"


class LiveSession(NamedTuple):
    row: Sesion
    expires_at: float  # epoch seconds: the idle or absolute deadline, whichever comes first


def live_sessions(user_id: int) -> list[LiveSession]:
    """The user's sessions that still work (by the row's expiry and the idle/absolute policy),
    most recently used first. An indexed lookup by user; each row's data is decoded once."""
    now = timezone.now()
    rows = Sesion.objects.filter(user_id=user_id, expire_date__gt=now).order_by(
        "-last_seen_at", "-created_at"
    )
    moment, store = now.timestamp(), SessionStore()
    live = []
    for row in rows:
        deadline = policy.expires_at(store.decode(row.session_data))
        if deadline is not None and moment < deadline:
            live.append(LiveSession(row, deadline))
    return live


# --- the login history --------------------------------------------------------------------------


class EventoFilter(FilterSet):
    user = IdFilter(field_name="usuario_id")
    result = django_filters.ChoiceFilter(choices=Resultado.choices, method="por_resultado")
    desde = DateTimeFilter(field_name="fecha", lookup_expr="gte")
    hasta = DateTimeFilter(field_name="fecha", lookup_expr="lte")

    class Meta:
        model = RegistroActividad
        fields: list[str] = []

    def por_resultado(
        self, queryset: QuerySet[RegistroActividad], name: str, value: str
    ) -> QuerySet[RegistroActividad]:
        return queryset.filter(accion=ACCION_DE[Resultado(value)])


def login_history(params: Any, *, only_user_id: int | None) -> QuerySet[RegistroActividad]:
    """Events matching `params`, newest first; only one user's when `only_user_id` is set."""
    queryset = accesos()
    if only_user_id is not None:
        queryset = queryset.filter(usuario_id=only_user_id)
    return filtrar(EventoFilter, params, queryset).order_by("-fecha", "-id")
