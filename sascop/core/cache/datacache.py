"""Results cached until the data they were computed from changes.

Each model has a generation number in the shared cache; any save or delete of one of its
rows (or a bulk write announced with `signals.announce_change`) bumps it. A cached value's
key includes the generations of the models it read, so a write makes it unreachable at once,
in every app server. Only with Redis (DATA_CACHE_SECONDS > 0): per-process caches could not
be invalidated across processes, so without Redis everything is computed every time.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db import models, transaction
from django.db.models.signals import post_delete, post_save

from sascop.core.signals import data_changed

T = TypeVar("T")


def _key(model: type[models.Model]) -> str:
    return f"datagen:{model._meta.label_lower}"


def bump(model: type[models.Model]) -> None:
    if not settings.DATA_CACHE_SECONDS:
        return
    try:
        cache.incr(_key(model))
    except ValueError:  # no generation yet (or the cache was flushed): start a new one
        cache.set(_key(model), 2, None)


def generation(models_read: Iterable[type[models.Model]]) -> str:
    keys = [_key(m) for m in models_read]
    found = cache.get_many(keys)
    for key in keys:
        if key not in found:
            cache.add(key, 1, None)
            found[key] = cache.get(key, 1)
    return ".".join(str(found[key]) for key in keys)


def cached(name: str, models_read: Iterable[type[models.Model]], compute: Callable[[], T]) -> T:
    """`compute()`, reused until one of `models_read` changes (or DATA_CACHE_SECONDS pass)."""
    seconds = settings.DATA_CACHE_SECONDS
    if not seconds:
        return compute()
    key = f"data:{name}:{generation(models_read)}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, seconds)
    return value


def _on_change(sender: type[models.Model], **kwargs: Any) -> None:
    bump(sender)
    # A request running meanwhile may cache a value computed from the rows as they were
    # before this transaction commits; bumping again after the commit makes it unreachable.
    transaction.on_commit(lambda: bump(sender))


def track(*tracked: type[models.Model]) -> None:
    """Bump these models' generations whenever one of their rows is saved or deleted."""
    for model in tracked:
        post_save.connect(_on_change, sender=model, dispatch_uid=f"datacache.save.{model}")
        post_delete.connect(_on_change, sender=model, dispatch_uid=f"datacache.del.{model}")


# Bulk writes (bulk_create, update()) send no row signals; their callers announce them.
data_changed.connect(_on_change, dispatch_uid="datacache.announced")
