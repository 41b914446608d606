"""A Redis copy of database rows that can be revoked for good.

Sessions and the user row behind them are cached in Redis so a request need not reach the
database. The database stays the source of truth, and a cache must never bring back what
the database lost. Two things could, with a plain `cache.set`/`cache.delete`:

* a delete that fails while Redis is paused or down leaves the old copy behind, which is
  served again once Redis answers;
* a request that read the row before it was deleted writes its copy back afterwards (a
  session refresh racing a logout).

So an entry is revoked by overwriting it with a tombstone that must be written (failure is
an error the caller turns into 503, inside the transaction that deletes the row), and copies
are written only where no tombstone stands, checked atomically inside Redis. Reads and
copies are best effort: when Redis does not answer, callers read the database.

Every authenticated request reads two copies, the session and then its user. `read_session`
gets both in one round trip (a script reads the user id from the session's JSON) and returns
both; the session store hands the user's on to the request (`SessionStore.usuario_leido`).
"""

from __future__ import annotations

import datetime
import decimal
import json
import logging
import uuid
from typing import Any, TypeVar

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.db import DEFAULT_DB_ALIAS
from django.db.models import Model

from sascop.core.cache import instalacion
from sascop.core.errors import ServiceUnavailable

logger = logging.getLogger(__name__)

M = TypeVar("M", bound=Model)

TOMBSTONE = b"!"

# SET the value unless a tombstone stands there (KEYS[1]; ARGV: tombstone, value, ttl).
_STORE_UNLESS_REVOKED = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[2], 'EX', ARGV[3])
return 1
"""


# GET the session's copy (KEYS[1]) and, unless it is missing or a tombstone (ARGV[1]), the
# copy of the user it names (its JSON field ARGV[2], under the prefix ARGV[3]).
_READ_SESSION_AND_USER = """
local s = redis.call('GET', KEYS[1])
if (not s) or s == ARGV[1] then return {s} end
local ok, data = pcall(cjson.decode, s)
if (not ok) or type(data) ~= 'table' then return {s} end
local id = data[ARGV[2]]
if type(id) ~= 'string' and type(id) ~= 'number' then return {s} end
local name = ARGV[3] .. tostring(id)
return {s, name, redis.call('GET', name)}
"""


class Revoked:
    """Marker returned by `read()` for a revoked entry: the row is gone, do not look further."""


REVOKED = Revoked()


def enabled() -> bool:
    return bool(settings.REDIS_URL)


def _client() -> Any:
    from django_redis import get_redis_connection

    return get_redis_connection("default")


def _errors() -> tuple[type[BaseException], ...]:
    from redis.exceptions import RedisError

    return (RedisError, OSError)


def key(*parts: object) -> str:
    """The Redis key of a copy, bound to this database (core.cache.instalacion) as the cache is."""
    return ":".join([instalacion.prefijo(), *(str(part) for part in parts)])


def user_key(user_id: object) -> str:
    """Where the copy of a user row lives."""
    return key("user", user_id)


def _seen(value: bytes | None) -> bytes | Revoked | None:
    return REVOKED if value == TOMBSTONE else value


def read(name: str) -> bytes | Revoked | None:
    """The cached copy, REVOKED, or None when there is none or Redis does not answer."""
    try:
        value: bytes | None = _client().get(name)
    except _errors() as exc:
        logger.warning("Redis read failed (%s); using the database", exc)
        return None
    return _seen(value)


def read_session(name: str) -> tuple[bytes | Revoked | None, bytes | Revoked | None]:
    """`read` of a session's copy and, in the same round trip, of the copy of the user it
    names: (session, user), each as `read` gives it (the user's None when the session has
    none, or names nobody)."""
    try:
        reply = _client().register_script(_READ_SESSION_AND_USER)(
            keys=[name], args=[TOMBSTONE, SESSION_KEY, user_key("")]
        )
    except _errors() as exc:
        logger.warning("Redis read failed (%s); using the database", exc)
        return None, None
    session = _seen(reply[0]) if reply else None
    return session, (_seen(reply[2]) if len(reply) == 3 else None)


def copy_of(row: Model) -> bytes:
    """A row as its Redis copy: the values of its concrete fields, as JSON."""
    values = [getattr(row, field.attname) for field in row._meta.concrete_fields]
    return json.dumps(values, default=_exact).encode()


def _exact(value: object) -> str:
    # Every digit kept (DjangoJSONEncoder would cut a datetime to milliseconds); each field's
    # to_python reads the text back.
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    raise TypeError(f"{type(value).__name__} has no copy in Redis")


def row_of(model: type[M], copy: bytes) -> M | None:
    """The row a `copy_of` holds, as the model's instance; None if it cannot be read."""
    fields = model._meta.concrete_fields
    try:
        values = [f.to_python(v) for f, v in zip(fields, json.loads(copy), strict=True)]
    except (ValueError, TypeError):
        return None
    return model.from_db(DEFAULT_DB_ALIAS, [field.attname for field in fields], values)


def fill(name: str, value: bytes, ttl: int) -> None:
    """Cache a copy just read from the database, unless any entry (or a tombstone) exists."""
    try:
        _client().set(name, value, ex=max(1, ttl), nx=True)
    except _errors() as exc:
        logger.warning("Redis write failed (%s); the copy was not cached", exc)


def store(name: str, value: bytes, ttl: int) -> None:
    """Cache a copy just written to the database, unless the entry was revoked meanwhile."""
    try:
        _client().eval(_STORE_UNLESS_REVOKED, 1, name, TOMBSTONE, value, max(1, ttl))
    except _errors() as exc:
        # The copy left behind is older, never newer than the database's: at worst a refresh
        # is redone. A revoked entry cannot come back, because the tombstone is checked above.
        logger.warning("Redis write failed (%s); the copy was not updated", exc)


def revoke(name: str, ttl: int) -> None:
    """Replace the entry with a tombstone for `ttl` seconds; raise 503 if Redis cannot say so.

    Call it inside the transaction that deletes or changes the row, so that a failure
    rolls that back too and the client is told the change did not happen.
    """
    # Imported here, as redis is (_client): a worker without Redis never loads it.
    from sascop.core.cache import cortacircuito

    try:
        # Sent even while the breaker (core.cache.cortacircuito) leaves Redis alone: it must be
        # recorded, or the change refused.
        cortacircuito.enviar_siempre(_client(), "SET", name, TOMBSTONE, "EX", max(1, ttl))
    except _errors() as exc:
        logger.warning("Redis did not take a revocation (%s)", exc)
        raise ServiceUnavailable(
            "The session store is not answering, so the change was not made. Try again shortly."
        ) from exc


def revoke_quietly(name: str, ttl: int) -> None:
    """`revoke`, for when the change is already committed and only narrows a window."""
    try:
        _client().set(name, TOMBSTONE, ex=max(1, ttl))
    except _errors() as exc:
        logger.warning("Redis did not take a revocation (%s)", exc)
