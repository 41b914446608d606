"""Session lifetime policy: sliding idle timeout, absolute cap, cheap refresh.

Two timestamps live inside the session itself, so the policy holds whatever the store (a
database row, or a Redis copy whose TTL the server does not control):

* `_sascop_auth_at`: when the user logged in; the absolute cap counts from here.
* `_sascop_seen_at`: the last refresh; the idle timeout counts from here.

The refresh rewrites `_sascop_seen_at` at most once per `SESSION_REFRESH_INTERVAL`, so a
steady stream of reads costs one session write a minute, not one a request. The price is that
the idle timeout may end up to one interval early, never late.

The stored row outlives the session by one idle period (it expires at the absolute cap
plus SESSION_COOKIE_AGE). That is deliberate: a browser coming back after the idle timeout
still presents its cookie, so the server can tell it "your session expired" (and log the
expiry) instead of treating it as a stranger. The cookie is worthless by then: this policy
refuses it and deletes the row. The cookie itself never outlives the absolute cap
(core.middleware.SessionCookieCapMiddleware sets its Max-Age to what is left of it).
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.base import SessionBase
from django.http import HttpRequest

from sascop.core.api.serializers import iso
from sascop.core.http.clients import client_ip, user_agent

AUTH_AT = "_sascop_auth_at"
SEEN_AT = "_sascop_seen_at"
# Where the session was started from, recorded at login (shown to the user in their list).
IP = "_sascop_ip"
USER_AGENT = "_sascop_ua"
# What is left of a session the policy ended: no user, only the fact that it expired, so
# the client keeps hearing "your session expired" (not "who are you?") until it logs in.
EXPIRED = "_sascop_expired"


def is_authenticated_session(session: SessionBase) -> bool:
    return SESSION_KEY in session


def _keep_until_cap(session: SessionBase, now: int) -> None:
    grace = settings.SESSION_COOKIE_AGE
    session.set_expiry(max(1, session[AUTH_AT] + settings.SESSION_ABSOLUTE_AGE + grace - now))


def start(
    session: SessionBase, now: float | None = None, request: HttpRequest | None = None
) -> None:
    """Stamp a freshly authenticated session (and where it comes from, given the request)."""
    stamp = int(now if now is not None else time.time())
    session.pop(EXPIRED, None)
    session[AUTH_AT] = stamp
    session[SEEN_AT] = stamp
    if request is not None:
        session[IP] = client_ip(request)
        session[USER_AGENT] = user_agent(request)
    _keep_until_cap(session, stamp)


def expires_at(session: SessionBase | Mapping[str, Any]) -> float | None:
    """When the session ends if nothing else happens (epoch seconds), or None if unstamped.

    Takes a live session or a stored one's decoded data (listing a user's sessions)."""
    auth_at, seen_at = session.get(AUTH_AT), session.get(SEEN_AT)
    if auth_at is None or seen_at is None:
        return None
    return float(
        min(seen_at + settings.SESSION_COOKIE_AGE, auth_at + settings.SESSION_ABSOLUTE_AGE)
    )


def expires_at_iso(session: SessionBase) -> str | None:
    moment = expires_at(session)
    if moment is None:
        return None
    return iso(datetime.fromtimestamp(moment, tz=UTC))


def is_expired(session: SessionBase, now: float) -> bool:
    """An authenticated session past either limit, or one we never stamped (fail closed)."""
    moment = expires_at(session)
    return moment is None or now >= moment


def refresh_if_due(session: SessionBase, now: float) -> bool:
    """Slide the idle window forward if the last refresh is older than the interval.

    Returns whether the session was changed (and so will be saved by SessionMiddleware).
    """
    seen_at = session.get(SEEN_AT)
    if seen_at is not None and now - seen_at < settings.SESSION_REFRESH_INTERVAL:
        return False
    session[SEEN_AT] = int(now)
    _keep_until_cap(session, int(now))
    return True


def mark_expired(session: SessionBase) -> None:
    """End an authenticated session for idleness or age, keeping only that fact.

    The data (and so the user) is gone at once; the key is kept for one idle period so the
    next requests can be told why. A logout, by contrast, deletes the session outright.
    """
    session.clear()
    session[EXPIRED] = 1
    session.set_expiry(settings.SESSION_COOKIE_AGE)


def session_lost(request: HttpRequest) -> bool:
    """This request's session was ended by the idle timeout or the absolute cap.

    Worth telling apart from "not logged in", so clients can say "your session expired".
    A logged-out or unknown session id is simply not authenticated.
    """
    session = getattr(request, "session", None)
    return session is not None and EXPIRED in session


def idle_timeout() -> int:
    return int(settings.SESSION_COOKIE_AGE)


def describe(data: dict[str, Any]) -> dict[str, Any]:
    """The session-row columns its data implies: whose it is, since when, last refresh, and
    where from (None and "" for an anonymous session)."""

    def moment(key: str) -> datetime | None:
        value = data.get(key)
        return datetime.fromtimestamp(value, tz=UTC) if value is not None else None

    return {
        "user_id": data.get(SESSION_KEY),
        "created_at": moment(AUTH_AT),
        "last_seen_at": moment(SEEN_AT),
        "ip": data.get(IP),
        "user_agent": data.get(USER_AGENT, ""),
    }
