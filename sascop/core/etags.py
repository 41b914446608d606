"""Optimistic concurrency: ETag out, If-Match in (SPEC §7)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from sascop.core.errors import PreconditionFailed


def etag_for(instance: Any) -> str:
    return f'"{instance.pk}-{instance.version}"'


def check_if_match(request: HttpRequest, instance: Any) -> None:
    """Refuse the write with 412 when the client's copy is stale.

    Clients that send no If-Match write unconditionally (simple scripts keep working);
    the project's client always sends it.
    """
    header = request.headers.get("If-Match")
    if header is None or header.strip() == "*":
        return
    current = etag_for(instance)
    offered = {tag.strip().removeprefix("W/") for tag in header.split(",")}
    if current not in offered:
        raise PreconditionFailed(
            f"The resource has changed (now at {current}); fetch it again and retry."
        )
