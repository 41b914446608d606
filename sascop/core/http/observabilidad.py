"""Every request observed: a request id, one JSON log line, and Prometheus metrics.

* `X-Request-ID`: the caller's (up to 64 letters, digits, `.`, `_`, `-`) or a new one; it is
  on `request.request_id`, in the answer's header and in the log line, so one request can
  be followed from the proxy through the app.
* One line per request on the `sascop.peticiones` logger, as JSON: method, the URL pattern
  that served it (not the raw path: `/api/ptes/<int:pk>/`, so lines group), status,
  duration in milliseconds, the user's id (null when anonymous) and the request id.
* Metrics: the request latency histogram by method, route and status, and the number of
  database queries each request sent (counted with Django's execute_wrapper). With
  PROMETHEUS_MULTIPROC_DIR set (config/gunicorn.conf.py sets it), `GET /metrics` adds up
  every worker's; it answers only the addresses in METRICS_ALLOWED_IPS or a caller with
  `Authorization: Bearer <METRICS_TOKEN>`.
"""

from __future__ import annotations

import json
import logging
import os
import re
import time
import uuid
from collections.abc import Callable
from contextlib import ExitStack
from typing import Any

from django.conf import settings
from django.contrib.auth import SESSION_KEY, get_user_model
from django.db import connections
from django.http import HttpRequest, HttpResponse
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Histogram,
    generate_latest,
    multiprocess,
)

from sascop.core.errors import PermissionDenied, error_response

logger = logging.getLogger("sascop.peticiones")

_REQUEST_ID = re.compile(r"[A-Za-z0-9._\-]{1,64}")
SIN_RUTA = "(sin ruta)"  # static files, 404s: no URL pattern served them

DURACION = Histogram(
    "sascop_http_request_duration_seconds",
    "Time from the request reaching the app to its answer leaving it.",
    ["method", "route", "status"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0),
)
CONSULTAS = Histogram(
    "sascop_db_queries_per_request",
    "Database queries one request sent.",
    ["route"],
    buckets=(0, 1, 2, 3, 5, 8, 13, 21, 34, 55, 89, 144),
)


class _Contador:
    """A database execute wrapper that counts the queries sent through it."""

    def __init__(self) -> None:
        self.consultas = 0

    def __call__(
        self, execute: Callable[..., Any], sql: str, params: Any, many: bool, ctx: Any
    ) -> Any:
        self.consultas += 1
        return execute(sql, params, many, ctx)


def _request_id(request: HttpRequest) -> str:
    given = request.headers.get("X-Request-ID", "")
    return given if _REQUEST_ID.fullmatch(given) else uuid.uuid4().hex


def _ruta(request: HttpRequest) -> str:
    match = getattr(request, "resolver_match", None)
    return "/" + match.route if match is not None and match.route else SIN_RUTA


def _user_id(request: HttpRequest) -> Any:
    """The id of the user the session is logged in as, as the session says it: the log line
    reads no row (an error page may be answering because the database is down), and a
    request that never opened its session (a static file) is logged without one."""
    session = getattr(request, "session", None)
    if session is None or not session.accessed or SESSION_KEY not in session:
        return None
    return get_user_model()._meta.pk.to_python(session[SESSION_KEY])


class ObservabilityMiddleware:
    """The outermost middleware: sees every answer, whatever produced it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = _request_id(request)
        request.request_id = request_id  # type: ignore[attr-defined]
        contador = _Contador()
        started = time.perf_counter()
        with ExitStack() as stack:
            for alias in connections:
                stack.enter_context(connections[alias].execute_wrapper(contador))
            response = self.get_response(request)
        duration = time.perf_counter() - started
        route = _ruta(request)
        DURACION.labels(request.method, route, str(response.status_code)).observe(duration)
        CONSULTAS.labels(route).observe(contador.consultas)
        response["X-Request-ID"] = request_id
        if settings.REQUEST_LOG:
            line = {
                "method": request.method,
                "route": route,
                "status": response.status_code,
                "duration_ms": round(duration * 1000, 2),
                "queries": contador.consultas,
                "user_id": _user_id(request),
                "request_id": request_id,
            }
            logger.info(json.dumps(line, separators=(",", ":")))
        return response


def _allowed(request: HttpRequest) -> bool:
    token = settings.METRICS_TOKEN
    given = request.headers.get("Authorization", "")
    if token and constant_time_compare(given, f"Bearer {token}"):
        return True
    return request.META.get("REMOTE_ADDR", "") in settings.METRICS_ALLOWED_IPS


def metrics(request: HttpRequest) -> HttpResponse:
    """GET /metrics: Prometheus' text format, every worker's metrics added up."""
    if not _allowed(request):
        return error_response(PermissionDenied(gettext("Metrics are not served to this address.")))
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    else:
        registry = REGISTRY
    return HttpResponse(generate_latest(registry), content_type=CONTENT_TYPE_LATEST)
