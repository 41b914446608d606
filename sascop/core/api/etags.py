"""Optimistic concurrency: ETag out, If-Match in (SPEC §7)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext

from sascop.core.errors import PreconditionFailed


def etag_for(instance: Any) -> str:
    return f'"{instance.pk}-{instance.version}"'


def exigir_version(if_match: str | None, instance: Any) -> None:
    """Refuse the write with 412 when the client's copy is stale.

    `if_match` is the request's If-Match header. Clients that send none write
    unconditionally (simple scripts keep working); the project's client always sends it.
    Call it on the row locked for the write, so no other write slips in between.
    """
    if if_match is None or if_match.strip() == "*":
        return
    current = etag_for(instance)
    offered = {tag.strip().removeprefix("W/") for tag in if_match.split(",")}
    if current not in offered:
        raise PreconditionFailed(
            gettext("The resource has changed (now at %(version)s); fetch it again and retry.")
            % {"version": current}
        )
