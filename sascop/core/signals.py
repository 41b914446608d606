"""Receivers that keep cross-cutting policy in one place whatever the login path."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in
from django.db import transaction
from django.dispatch import Signal, receiver
from django.http import HttpRequest

from sascop.core.sessions import policy

# Sent when the session policy ends a session for idleness or age (kwargs: request, user_id).
session_expired = Signal()

# Sent (after commit) by domain services when business data changed; sender is the model.
data_changed = Signal()


def announce_change(model: Any) -> None:
    transaction.on_commit(lambda: data_changed.send(sender=model))


@receiver(user_logged_in, dispatch_uid="sascop.core.stamp_session")
def stamp_session(sender: Any, request: HttpRequest | None, **kwargs: Any) -> None:
    # Every login (API, HTML page, admin) starts the idle and absolute clocks.
    if request is not None and hasattr(request, "session"):
        policy.start(request.session, request=request)
