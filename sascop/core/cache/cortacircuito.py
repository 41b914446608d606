"""A per-process circuit breaker in front of Redis.

Redis is an optimisation (core.revocable, the cache): when it stops answering, requests go
to the database. But each command waits REDIS_SOCKET_TIMEOUT before it gives up, and a
request sends several, so a stalled Redis made every request seconds slower. After a
command fails for want of an answer, this process sends Redis nothing for
REDIS_PAUSA_TRAS_FALLO seconds: every best-effort command (reads, copies, the cache) fails
at once, and the cache ignores it or the read goes to the database. The first command after
the pause tries Redis again. A revocation (`enviar_siempre`) is always sent, since it must be
recorded or the change refused: it costs a timeout only when Redis is still not answering,
and its success closes the breaker at once.
"""

from __future__ import annotations

import logging
import time
from typing import Any

import redis
from django.conf import settings
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)


class _Estado:
    abierto_hasta = 0.0  # time.monotonic() until which Redis is not asked


def abierto() -> bool:
    """Whether this process is leaving Redis alone for now."""
    return time.monotonic() < _Estado.abierto_hasta


def cerrar() -> None:
    _Estado.abierto_hasta = 0.0


class RedisEnPausa(RedisConnectionError):
    """Not sent: Redis failed to answer moments ago (see the module's docstring)."""


def _enviar(client: redis.Redis, args: tuple[Any, ...], options: dict[str, Any]) -> Any:
    try:
        result = redis.Redis.execute_command(client, *args, **options)
    except (RedisConnectionError, RedisTimeoutError, OSError):
        if not abierto():
            logger.warning(
                "Redis is not answering: left alone for %s s", settings.REDIS_PAUSA_TRAS_FALLO
            )
        _Estado.abierto_hasta = time.monotonic() + settings.REDIS_PAUSA_TRAS_FALLO
        raise
    cerrar()
    return result


def enviar_siempre(client: redis.Redis, *args: Any) -> Any:
    """Send this command whatever the breaker says (a revocation), and record the outcome."""
    return _enviar(client, args, {})


class RedisConCortacircuito(redis.Redis):
    """redis.Redis whose commands go through the breaker (django-redis REDIS_CLIENT_CLASS)."""

    def execute_command(self, *args: Any, **options: Any) -> Any:
        if abierto():
            raise RedisEnPausa("Redis did not answer moments ago; not asked again yet")
        return _enviar(self, args, options)
