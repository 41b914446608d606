"""Which database this process serves, for the keys of everything it keeps in Redis.

Sessions, user rows, their tombstones and cached results live in Redis as copies of database
rows. A copy must never answer for another database: one re-created or restored from a
backup (whose users, sessions and passwords differ), or another deployment's that shares the
same Redis database. So every key carries the identity of the database it copies: the random
`clave` of its `core.Instalacion` row and, on PostgreSQL, the database's oid (a database
restored under a new name has a new oid even with the old row).

The identity is read by the process and kept for INSTALACION_VERIFICAR_SEGUNDOS, then read
again: a process that answers from Redis alone (no query at all) still notices a swapped
database within that time, at the cost of a query or two every few seconds.
"""

from __future__ import annotations

import math
import secrets
import time
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, IntegrityError, connections, transaction

from sascop.core.models import Instalacion

_PK = 1


class _Leida:
    """The identity this process read last, and when (time.monotonic())."""

    identidad = ""
    leida_en = -math.inf


def clave_nueva() -> str:
    return secrets.token_hex(16)


def _clave_guardada() -> str:
    clave = Instalacion.objects.filter(pk=_PK).values_list("clave", flat=True).first()
    if clave is not None:
        return clave
    # A database emptied by `flush` (or restored without the row) gets a new identity: it
    # holds none of the rows any existing copy was made from.
    try:
        with transaction.atomic():
            return Instalacion.objects.create(pk=_PK, clave=clave_nueva()).clave
    except IntegrityError:  # another process wrote it meanwhile
        return Instalacion.objects.get(pk=_PK).clave


def _oid() -> str:
    connection = connections[DEFAULT_DB_ALIAS]
    if connection.vendor != "postgresql":
        return ""
    with connection.cursor() as cursor:
        cursor.execute("SELECT oid FROM pg_database WHERE datname = current_database()")
        return f"-{cursor.fetchone()[0]}"


def identidad() -> str:
    """The identity of the database this process serves (read again when it may be stale)."""
    ahora = time.monotonic()
    if ahora - _Leida.leida_en > settings.INSTALACION_VERIFICAR_SEGUNDOS:
        _Leida.identidad = _clave_guardada() + _oid()
        _Leida.leida_en = ahora
    return _Leida.identidad


def olvidar(**kwargs: Any) -> None:
    """Read the identity again at its next use."""
    _Leida.leida_en = -math.inf


def renovar() -> str:
    """Give this database a new identity: every copy made before becomes unreachable."""
    clave = clave_nueva()
    Instalacion.objects.update_or_create(pk=_PK, defaults={"clave": clave})
    olvidar()
    return clave


def prefijo() -> str:
    """What every shared-cache key starts with: the configured prefix and the identity."""
    return f"{settings.CACHES['default'].get('KEY_PREFIX', '')}:{identidad()}"


def clave_de_cache(key: str, key_prefix: str, version: int) -> str:
    """Django's KEY_FUNCTION for the Redis cache: its default key, bound to this database."""
    return f"{key_prefix}:{identidad()}:{version}:{key}"
