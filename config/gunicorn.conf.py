"""gunicorn settings; each can be overridden by its GUNICORN_* environment variable."""

from __future__ import annotations

import ctypes
import os
import tempfile
from pathlib import Path

# Sync workers, about one per core (docs/deployment.md): requests are short and CPU-bound, and
# threads of one process share one GIL; what exceeds the workers waits in the backlog, first
# come first served. Persistent database connections (CONN_MAX_AGE), one per worker: no pool.
workers = int(os.environ.get("GUNICORN_WORKERS", "2"))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
backlog = int(os.environ.get("GUNICORN_BACKLOG", "2048"))
# Optionally replace a worker after this many requests (± jitter, so not all at once). Off by
# default: a restart costs a second of CPU, and the workers' memory does not creep (below).
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "0"))
max_requests_jitter = int(os.environ.get("GUNICORN_MAX_REQUESTS_JITTER", "200"))


def _fixed_mmap_threshold() -> None:
    """Each login's Argon2id check allocates 19 MiB and frees it. glibc serves the first such
    block with mmap and gives it back, but then raises its mmap threshold, so later ones come
    from the heap and stay in the worker's RSS for good (+19 MiB per worker). A fixed
    threshold keeps large blocks mmapped and returned. Set in the master, inherited by the
    forked workers; a no-op off glibc."""
    try:
        libc = ctypes.CDLL("libc.so.6")
    except OSError:
        return
    m_mmap_threshold = -3  # malloc.h
    libc.mallopt(m_mmap_threshold, int(os.environ.get("MALLOC_MMAP_THRESHOLD", "262144")))


_fixed_mmap_threshold()
# Off by default: the app logs one JSON line per request itself (sascop.core.http.observabilidad).
accesslog = os.environ.get("GUNICORN_ACCESSLOG") or None
# Whom gunicorn believes about the scheme (X-Forwarded-Proto): the same proxies the app trusts
# (TRUSTED_PROXIES, sascop.core.http.proxy), unless set apart.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS") or os.environ.get(
    "TRUSTED_PROXIES", "127.0.0.1,::1"
)

# Beyond these gunicorn answers by itself, with an HTML page: 414 for the request line,
# 431 for too many or too large headers. The app's own limits (MAX_URL_LENGTH,
# MAX_REQUEST_HEADER_BYTES) sit below them and answer in JSON.
limit_request_line = int(os.environ.get("GUNICORN_LIMIT_REQUEST_LINE", "8190"))
limit_request_fields = int(os.environ.get("GUNICORN_LIMIT_REQUEST_FIELDS", "100"))
limit_request_field_size = int(os.environ.get("GUNICORN_LIMIT_REQUEST_FIELD_SIZE", "8190"))

# Prometheus (GET /metrics): every worker writes its metrics to files in one directory, and
# the endpoint adds them up. Set before the workers import the app; emptied at each start, as
# prometheus_client requires; a worker that exits has its live gauges dropped.
if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="sascop-metrics-")


def on_starting(server: object) -> None:
    for stale in Path(os.environ["PROMETHEUS_MULTIPROC_DIR"]).glob("*.db"):
        stale.unlink()


def child_exit(server: object, worker: object) -> None:
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)  # type: ignore[attr-defined]
