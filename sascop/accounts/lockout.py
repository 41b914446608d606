"""django-axes hooks: how attempts are keyed, and what a locked-out client is told."""

from __future__ import annotations

import logging
import time
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from sascop.core.errors import Throttled, error_response, wants_json
from sascop.core.health import redis_answers

logger = logging.getLogger(__name__)


def normalized_username(request: HttpRequest, credentials: dict[str, Any] | None) -> str:
    """Count failures per username whatever its letter case or surrounding spaces."""
    return str((credentials or {}).get("username") or "").strip().lower()


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


class RedisFailoverHandler:
    """Keep lock-out counters in Redis, and in the database while Redis is unreachable.

    django-axes' cache handler assumes the cache answers; with IGNORE_EXCEPTIONS a down
    Redis turns its counter arithmetic into a 500 on every failed login, and counting would
    stop. Delegating to the database handler meanwhile keeps logins working and protected.
    """

    CHECK_EVERY = 2.0  # seconds between reachability checks

    def __init__(self) -> None:
        from axes.handlers.cache import AxesCacheHandler
        from axes.handlers.database import AxesDatabaseHandler

        self.primary = AxesCacheHandler()
        self.fallback = AxesDatabaseHandler()
        self._checked_at = float("-inf")
        self._redis_ok = True

    def _active(self) -> Any:
        now = time.monotonic()
        if now - self._checked_at >= self.CHECK_EVERY:
            self._redis_ok = redis_answers()
            self._checked_at = now
            if not self._redis_ok:
                logger.warning("Redis unreachable: counting login failures in the database")
        return self.primary if self._redis_ok else self.fallback

    def __getattr__(self, name: str) -> Any:
        return getattr(self._active(), name)
