"""Where a request comes from, as recorded in sessions, the login history and the log."""

from __future__ import annotations

from django.http import HttpRequest

USER_AGENT_MAX = 500


def client_ip(request: HttpRequest | None) -> str | None:
    """The client's address (REMOTE_ADDR: behind a proxy, set it from the proxy's header)."""
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def user_agent(request: HttpRequest | None) -> str:
    """The User-Agent header, cut to what the tables store."""
    if request is None:
        return ""
    return request.headers.get("User-Agent", "")[:USER_AGENT_MAX]
