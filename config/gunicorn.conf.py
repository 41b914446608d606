"""gunicorn settings; each can be overridden by its GUNICORN_* environment variable."""

from __future__ import annotations

import os

# Sync workers, about one per core (docs/deployment.md): requests are short and CPU-bound, and
# threads of one process share one GIL; what exceeds the workers waits in the backlog, first
# come first served. Persistent database connections (CONN_MAX_AGE), one per worker: no pool.
workers = int(os.environ.get("GUNICORN_WORKERS", "2"))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
backlog = int(os.environ.get("GUNICORN_BACKLOG", "2048"))
# A worker is replaced after this many requests (± jitter, so not all at once): its memory
# stays near its start size instead of creeping up with fragmentation. 0 disables.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = int(os.environ.get("GUNICORN_MAX_REQUESTS_JITTER", "200"))
accesslog = os.environ.get("GUNICORN_ACCESSLOG", "-")
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")

# Beyond these gunicorn answers by itself, with an HTML page: 414 for the request line,
# 431 for too many or too large headers. The app's own limits (MAX_URL_LENGTH,
# MAX_REQUEST_HEADER_BYTES) sit below them and answer in JSON.
limit_request_line = int(os.environ.get("GUNICORN_LIMIT_REQUEST_LINE", "8190"))
limit_request_fields = int(os.environ.get("GUNICORN_LIMIT_REQUEST_FIELDS", "100"))
limit_request_field_size = int(os.environ.get("GUNICORN_LIMIT_REQUEST_FIELD_SIZE", "8190"))
