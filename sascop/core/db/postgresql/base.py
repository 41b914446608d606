"""Django's PostgreSQL backend with a deadline on every database call made for a web request.

A PostgreSQL that is stopped (SIGSTOP, a frozen VM, a stuck storage layer) still has a kernel
that completes TCP handshakes and acknowledges data, so neither TCP keepalives nor
tcp_user_timeout ever fire, and the server's own statement_timeout cannot run. libpq's
connect_timeout bounds new connections only: a query, commit or health check on an open
connection would wait forever, and the gunicorn worker would be killed without answering.

So, while a web request is being served (see `sascop.core.db.postgresql.serving_request`):

* each call that talks to the server (execute, fetch, commit, rollback) gets a client-side
  deadline of `request_statement_timeout` + 2 s. One watchdog thread per process watches the
  deadlines; past one it shuts the connection's socket down, the blocked call fails with
  OperationalError and the request is answered 503 (sascop.core.errors);
* connections opened for a request carry server-side limits a bit below that deadline:
  `statement_timeout` (a merely slow query is cancelled cleanly by the server first) and
  `idle_in_transaction_session_timeout` / `idle_session_timeout`. The last two matter for
  writes: a COMMIT (or an autocommit INSERT) sent to a stopped server waits in its socket
  buffer; if the client has given up and answered 503, the server must not run it once it
  resumes. Their timers expire while the server is stopped, and on resuming it ends the
  session before it reads the waiting command.

The health check Django runs before reusing a persistent connection (`SELECT 1`) is bounded
by `connect_timeout` everywhere, and when it times out the request fails at once instead of
waiting once more for a new connection to the same hung server.

Outside requests (migrate, cargar_demo, the shell) nothing is bounded but that health check:
those run for as long as they need, and an operator can interrupt them. The server-side
limits are decided when a connection opens: one opened outside a request and used by one
later (only tests do that) has the client deadline but not those limits. A persistent
connection left idle longer than the limit is ended by the server and quietly reopened by
the next request's health check.

Arming a deadline costs a few hundred nanoseconds per call (bench/dbdeadline.py).
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import weakref
from time import monotonic
from typing import Any

from django.db import OperationalError
from django.db.backends.postgresql import base as postgresql
from django.db.utils import DatabaseErrorWrapper
from django.utils.functional import cached_property

from sascop.core.db.postgresql import serving_request

logger = logging.getLogger("sascop.db")

# How much longer the client waits than the server-side limits, so that the server's own
# cancellation (a clean error on a connection that stays usable) wins when the server runs.
CLIENT_MARGIN = 2.0


class DatabaseWrapper(postgresql.DatabaseWrapper):
    def __init__(self, settings_dict: dict[str, Any], alias: str = "default") -> None:
        super().__init__(settings_dict, alias)
        options = self.settings_dict["OPTIONS"]
        server_limit = float(options.get("request_statement_timeout") or 0)
        self.server_limit = server_limit
        self.call_limit = server_limit + CLIENT_MARGIN if server_limit > 0 else 0.0
        self.health_check_limit = float(options.get("connect_timeout") or 0)
        # Monotonic time past which the watchdog cuts the connection; 0 when not armed.
        self.deadline = 0.0
        # The deadline at which the watchdog last cut the connection.
        self.cut_at = 0.0
        self.health_check_timed_out = False
        # Held while the watchdog cuts a socket and while the connection closes, so that the
        # watchdog never shuts down a descriptor that has meanwhile been reused.
        self.cut_lock = threading.Lock()

    @cached_property
    def wrap_database_errors(self) -> DatabaseErrorWrapper:
        return _DeadlineErrorWrapper(self)

    def get_connection_params(self) -> dict[str, Any]:
        params = super().get_connection_params()
        params.pop("request_statement_timeout", None)
        if self.server_limit > 0 and serving_request.get():
            ms = round(self.server_limit * 1000)
            limits = " ".join(
                f"-c {name}={ms}"
                for name in (
                    "statement_timeout",
                    "idle_in_transaction_session_timeout",
                    "idle_session_timeout",
                )
            )
            params["options"] = f"{params.get('options', '')} {limits}".strip()
        return params

    def get_new_connection(self, conn_params: dict[str, Any]) -> Any:
        connection = super().get_new_connection(conn_params)
        _watchdog.watch(self)
        return connection

    def _close(self) -> None:
        with self.cut_lock:
            super()._close()  # type: ignore[misc]

    def is_usable(self) -> bool:
        self.health_check_timed_out = False
        if self.health_check_limit <= 0 or self.deadline:
            return bool(super().is_usable())
        deadline = self.deadline = monotonic() + self.health_check_limit
        try:
            usable = bool(super().is_usable())
        finally:
            self.deadline = 0.0
        self.health_check_timed_out = self.cut_at == deadline
        return usable

    def close_if_health_check_failed(self) -> None:
        self.health_check_timed_out = False
        super().close_if_health_check_failed()
        if self.health_check_timed_out:
            # The server accepted this connection once and now does not answer: it is hung,
            # and a new connection would only wait for connect_timeout as well.
            self.health_check_timed_out = False
            raise OperationalError(
                f"PostgreSQL did not answer the health check within {self.health_check_limit:g} s"
            )

    def cut(self, deadline: float) -> None:
        """Shut the socket down under a call that passed `deadline` (watchdog thread)."""
        with self.cut_lock:
            if self.deadline != deadline or self.cut_at == deadline:
                return  # the call ended meanwhile, or was cut already
            self.cut_at = deadline
            if self.connection is None or self.connection.closed:
                return
            try:
                fd = self.connection.pgconn.socket
                # A duplicate descriptor: shutting it down ends the connection for libpq's
                # too, while closing it leaves libpq's descriptor alone.
                with socket.socket(fileno=os.dup(fd)) as sock:
                    sock.shutdown(socket.SHUT_RDWR)
            except (self.Database.Error, OSError):
                return  # already broken: the blocked call fails by itself
        logger.error("PostgreSQL did not answer in time; connection %s cut", self.alias)


class _DeadlineErrorWrapper(DatabaseErrorWrapper):
    """Django's error translation, plus the request deadline around the wrapped call.

    Django runs every call that reaches the server inside this one object (cached per
    connection), so this is the one place to arm the deadline. It is on the path of every
    query, hence the plain attributes. Should calls nest, only the outermost arms.
    """

    wrapper: DatabaseWrapper

    def __init__(self, wrapper: DatabaseWrapper) -> None:
        super().__init__(wrapper)
        self.call_limit = wrapper.call_limit
        self.depth = 0
        self.armed = 0.0

    def __enter__(self) -> None:
        self.depth += 1
        if self.depth == 1 and self.call_limit and serving_request.get():
            self.wrapper.deadline = self.armed = monotonic() + self.call_limit

    def __exit__(self, exc_type: Any, exc_value: Any, traceback: Any) -> None:
        self.depth -= 1
        if self.armed and not self.depth:
            deadline, self.armed = self.armed, 0.0
            db = self.wrapper
            db.deadline = 0.0
            if exc_value is not None and db.cut_at == deadline:
                db.errors_occurred = True
                raise OperationalError(
                    f"PostgreSQL did not answer within {self.call_limit:g} s"
                ) from exc_value
        if exc_type is not None:
            super().__exit__(exc_type, exc_value, traceback)


class _Watchdog:
    """One thread per process that cuts the connections whose call passed its deadline.

    Calls arm a deadline by storing a number on their connection; nothing else happens per
    call. The thread sleeps until the earliest armed deadline, or for the shortest limit in
    use when nothing is armed: a call armed while it sleeps cannot expire before it wakes.
    """

    def __init__(self) -> None:
        self._reset()
        os.register_at_fork(after_in_child=self._reset)

    def _reset(self) -> None:
        self._lock = threading.Lock()
        self._watched: weakref.WeakSet[DatabaseWrapper] = weakref.WeakSet()
        self._shortest = 60.0
        self._thread: threading.Thread | None = None
        self._wakeup = threading.Event()

    def watch(self, db: DatabaseWrapper) -> None:
        limits = [limit for limit in (db.call_limit, db.health_check_limit) if limit > 0]
        with self._lock:
            self._watched.add(db)
            if min(limits, default=self._shortest) < self._shortest:
                self._shortest = min(limits)
                self._wakeup.set()  # it may be sleeping for longer than that
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._run, name="sascop-db-watchdog", daemon=True
                )
                self._thread.start()

    def _run(self) -> None:
        while True:
            now = monotonic()
            with self._lock:
                watched = list(self._watched)
                wake = now + self._shortest
            for db in watched:
                deadline = db.deadline
                if not deadline or deadline == db.cut_at:
                    continue
                if deadline <= now:
                    try:
                        db.cut(deadline)
                    except Exception:
                        logger.exception("Could not cut a hung database connection")
                else:
                    wake = min(wake, deadline)
            del watched
            self._wakeup.wait(max(wake - monotonic(), 0.01))
            self._wakeup.clear()


_watchdog = _Watchdog()
