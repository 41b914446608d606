"""The session store: database rows, with a revocable Redis copy when REDIS_URL is set.

Two changes to Django's `db` and `cached_db` stores, both about sessions that end while
another request is still using them:

* A refresh that finds its row deleted (the user logged out meanwhile) is dropped instead
  of raising `UpdateError`, which Django turns into a 400 "session interrupted" although
  the request's own write has committed. The logout wins; the request's answer stands.
* With Redis, ending a session writes a tombstone over the copy, inside the transaction
  that deletes the row, and copies are only ever written where no tombstone stands (see
  `core.cache.revocable`). A logout that Redis cannot record is answered 503 and undone, so an
  acknowledged logout holds on every app server, whatever Redis did meanwhile.
"""

from __future__ import annotations

import logging
from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib.sessions.backends.base import VALID_KEY_CHARS, CreateError, UpdateError
from django.contrib.sessions.backends.db import SessionStore as DatabaseStore
from django.db import router, transaction
from django.utils import timezone
from django.utils.crypto import get_random_string

from sascop.core.cache import revocable
from sascop.core.sessions import policy
from sascop.core.sessions.policy import is_authenticated_session

logger = logging.getLogger(__name__)


class SessionStore(DatabaseStore):
    """Django's database store with the two changes above.

    `usuario_leido`: the row of the user this session names, as a model instance, when the
    read that loaded the session brought it along (without Redis one query joins the session
    row and its user's; with Redis one script reads both copies); None when it did not. It is
    set by `load()` alone, belongs to this request's store, and the authentication middleware
    (accounts.middleware) uses it instead of reading the user again.
    """

    usuario_leido: Any = None

    @classmethod
    def get_model_class(cls) -> type[Any]:
        # The model (with its user, IP and user-agent columns) belongs to accounts; core
        # names it through a setting so that it imports no app.
        return apps.get_model(settings.SESSION_MODEL)

    def create_model_instance(self, data: dict[str, Any]) -> Any:
        """The row to save, with the columns that let a user list their sessions."""
        row = super().create_model_instance(data)
        columns = policy.describe(data)
        for name, value in columns.items():
            setattr(row, name, value)
        return row

    def __init__(self, session_key: str | None = None) -> None:
        super().__init__(session_key)
        # Ending an authenticated session must hold even if Redis is not answering; an
        # anonymous or already expired one has nothing worth protecting.
        self._durable_delete = True
        # A key given by `cycle_key` whose row the next save inserts.
        self._insert_on_save = False
        # The key and data of this store's last save: saving them again writes nothing.
        self._saved: tuple[str, bytes] | None = None

    def _get_session_from_db(self) -> Any:
        """The live row of this key, with the row of the user it names in the same query, or
        None (then the key is dropped, as Django's store does)."""
        # The model with its `user` (accounts' Sesion, named by a setting): not the base
        # class Django's `self.model` is typed as.
        modelo = self.get_model_class()
        row = (
            modelo.objects.using(router.db_for_read(modelo))
            .select_related("user")
            .filter(session_key=self.session_key, expire_date__gt=timezone.now())
            .first()
        )
        if row is None:
            self._session_key = None
            return None
        if row.user_id is not None:
            self.usuario_leido = row.user
        return row

    def _get_new_session_key(self) -> str:
        # Not looked up first (Django's store spends a query on it): every new row is written
        # with an INSERT that refuses a taken key, and the key is drawn again (CreateError).
        return get_random_string(32, VALID_KEY_CHARS)

    # --- the Redis copy -----------------------------------------------------------------

    @staticmethod
    def _copy_name(session_key: str) -> str:
        return revocable.key("session", session_key)

    def _copy_of(self, data: dict[str, Any]) -> bytes:
        return bytes(self.serializer().dumps(data))

    def load(self) -> dict[str, Any]:
        if not revocable.enabled() or not self.session_key:
            return super().load()
        name = self._copy_name(self.session_key)
        cached, usuario = revocable.read_session(name)
        if isinstance(usuario, bytes):
            self.usuario_leido = revocable.row_of(apps.get_model(settings.AUTH_USER_MODEL), usuario)
        if cached is revocable.REVOKED:
            self._session_key = None
            return {}
        if isinstance(cached, bytes):
            try:
                data: dict[str, Any] = self.serializer().loads(cached)
                return data
            except ValueError:
                logger.warning("Unreadable cached session; reading the database")
        row = self._get_session_from_db()
        if row is None:
            return {}
        data = self.decode(row.session_data)
        revocable.fill(name, self._copy_of(data), self.get_expiry_age(expiry=row.expire_date))
        return data

    def save(self, must_create: bool = False) -> None:
        if self.session_key is None:
            self.create()  # draws a key and comes back here to insert the row
            return
        must_create = must_create or self._insert_on_save
        data = self._get_session(no_load=must_create)  # type: ignore[attr-defined]
        saved = (self.session_key, self._copy_of(data))
        if not must_create and saved == self._saved:
            # A login saves its session inside its own transaction; SessionMiddleware's save
            # on the way out then has nothing new to write.
            return
        try:
            if self._insert_on_save and self._in_transaction():
                self._insert_in_transaction(data)
            else:
                super().save(must_create)
        except CreateError:
            if not self._insert_on_save:
                raise  # `create` draws another key
            self._insert_on_save = False
            self.create()  # the key `cycle_key` drew is taken: draw another
            return
        except UpdateError:
            # The row is gone: the session was ended by a concurrent request. Recreating it
            # would undo a logout; the request itself has done its work, so let it answer.
            logger.info("Session ended while a request was using it; not saved again")
            return
        self._insert_on_save = False
        self._saved = saved
        if revocable.enabled():
            revocable.store(self._copy_name(saved[0]), saved[1], self.get_expiry_age())

    def _in_transaction(self) -> bool:
        return transaction.get_connection(router.db_for_write(self.model)).in_atomic_block

    def _insert_in_transaction(self, data: dict[str, Any]) -> None:
        # A login's row, inside the login's transaction, without the savepoint Django's store
        # wraps around the INSERT to draw another key when the key is taken: a key of 32
        # random characters is never taken, and if it were the login would fail (500) whole,
        # overwriting nothing.
        row = self.create_model_instance(data)
        row.save(force_insert=True, using=router.db_for_write(self.model, instance=row))

    def delete(self, session_key: str | None = None) -> None:
        session_key = session_key or self.session_key
        if session_key is None:
            return
        if session_key == self.session_key:
            self._saved = None
        if not revocable.enabled():
            super().delete(session_key)
            return
        name, ttl = self._copy_name(session_key), self._tombstone_seconds()
        if not self._durable_delete:
            super().delete(session_key)
            revocable.revoke_quietly(name, ttl)
            return
        with transaction.atomic(using=router.db_for_write(self.model)):
            super().delete(session_key)
            revocable.revoke(name, ttl)

    @staticmethod
    def _tombstone_seconds() -> int:
        # Long enough to outlast any request that read the session before it ended.
        return int(settings.SESSION_COOKIE_AGE)

    # --- ending sessions -----------------------------------------------------------------

    def cycle_key(self) -> None:
        """A new key for the same data (login rotates the key). Its row is inserted by the
        next save, with the data as it is then: Django's store inserts it at once and updates
        it at the end of the request, two writes where one does."""
        # The old key only needs a durable end if it was logged in.
        self._durable_delete = is_authenticated_session(self)
        try:
            data = self._session  # type: ignore[attr-defined]
            old_key = self.session_key
            self._session_key = self._get_new_session_key()
            self._session_cache = data
            self._insert_on_save = True
            self.modified = True
            if old_key:
                self.delete(old_key)
        finally:
            self._durable_delete = True
