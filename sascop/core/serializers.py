"""Shapes shared by every API: the error envelope, for the OpenAPI document."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers


class ErrorSerializer(serializers.Serializer):
    error = serializers.CharField(help_text="Short, stable English summary.")
    code = serializers.CharField(help_text="Machine-readable code, e.g. `not_authenticated`.")
    detail = serializers.CharField(help_text="A human sentence.")
    fields = serializers.DictField(  # type: ignore[assignment]
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="Per-field messages, on validation errors.",
    )
    redirect = serializers.CharField(required=False, help_text="Where to log in again.")
    retry_after = serializers.IntegerField(required=False, help_text="Seconds to wait.")


def page_serializer(
    name: str, items_key: str, item: type[serializers.Serializer]
) -> type[serializers.Serializer]:
    """Documents a page of `core.pagination`: `{items_key: [...], total, total_paginas, …}`."""
    fields: dict[str, serializers.Field] = {
        items_key: item(many=True),
        "total": serializers.IntegerField(),
        "total_paginas": serializers.IntegerField(),
        "pagina_actual": serializers.IntegerField(),
        "elementos_por_pagina": serializers.IntegerField(),
    }
    return type(name, (serializers.Serializer,), fields)


def iso(value: Any) -> str | None:
    """A date or date-time as ISO 8601 text, None as null."""
    return value.isoformat() if value is not None else None
