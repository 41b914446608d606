"""gunicorn settings; each can be overridden by its GUNICORN_* environment variable."""

from __future__ import annotations

import os

workers = int(os.environ.get("GUNICORN_WORKERS", "2"))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
accesslog = os.environ.get("GUNICORN_ACCESSLOG", "-")
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")

# Beyond these gunicorn answers by itself, with an HTML page: 414 for the request line,
# 431 for too many or too large headers. The app's own limits (MAX_URL_LENGTH,
# MAX_REQUEST_HEADER_BYTES) sit below them and answer in JSON.
limit_request_line = int(os.environ.get("GUNICORN_LIMIT_REQUEST_LINE", "8190"))
limit_request_fields = int(os.environ.get("GUNICORN_LIMIT_REQUEST_FIELDS", "100"))
limit_request_field_size = int(os.environ.get("GUNICORN_LIMIT_REQUEST_FIELD_SIZE", "8190"))
