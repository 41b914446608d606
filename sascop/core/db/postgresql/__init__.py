"""PostgreSQL backend that never lets a hung server hold a web request (ENGINE of this name).

This package's `base` holds the backend; this module only knows whether the current thread
(or task) is serving a web request, which decides whether database calls are bounded. It
imports nothing of psycopg so that the app can connect its receivers whatever the database.
"""

from __future__ import annotations

from contextvars import ContextVar
from typing import Any

from django.core.signals import request_finished, request_started
from django.dispatch import receiver

# True between request_started and request_finished. Management commands (migrate,
# cargar_demo) never set it, so their long statements and transactions are not cut.
serving_request: ContextVar[bool] = ContextVar("sascop_serving_request", default=False)


@receiver(request_started, dispatch_uid="sascop.core.db.postgresql.request_started")
def _request_started(sender: Any, **kwargs: Any) -> None:
    serving_request.set(True)


@receiver(request_finished, dispatch_uid="sascop.core.db.postgresql.request_finished")
def _request_finished(sender: Any, **kwargs: Any) -> None:
    serving_request.set(False)
