"""Whether the backing services answer (used by /healthz)."""

from __future__ import annotations

from django.db import DatabaseError, connection


def database_answers() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return False
    return True


def redis_answers() -> bool:
    """True if the Redis behind the default cache answers a PING (only call with REDIS_URL)."""
    from django_redis import get_redis_connection
    from redis.exceptions import RedisError

    try:
        return bool(get_redis_connection("default").ping())
    except (RedisError, OSError):
        return False
