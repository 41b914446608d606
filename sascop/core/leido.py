"""Rows read along with a session, kept for this thread's current request only.

Every authenticated request reads its session and then the session's user. Where one round
trip brings both (with Redis, a script reading both copies; without, a query joining both
tables), the user's part is kept here for that request's next read of it: taken once, and
dropped when a request starts and when it ends, so it never answers for another request.
"""

from __future__ import annotations

import threading
from typing import Any

from django.core.signals import request_finished, request_started

# What `tomar` gives when nothing is kept under the key (None may be a kept value).
FALTA: Any = object()

_local = threading.local()


def olvidar(**kwargs: Any) -> None:
    """Drop whatever this thread keeps."""
    _local.filas = {}


request_started.connect(olvidar, dispatch_uid="leido.started")
request_finished.connect(olvidar, dispatch_uid="leido.finished")


def guardar(clave: object, valor: object) -> None:
    """Keep `valor` for this request's next `tomar(clave)`, in place of anything kept."""
    _local.filas = {clave: valor}


def tomar(clave: object) -> Any:
    """What is kept under `clave`, once; FALTA when nothing is."""
    return getattr(_local, "filas", {}).pop(clave, FALTA)
