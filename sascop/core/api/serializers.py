"""Shapes shared by every API: the error envelope, pages, and how moments are written.

Every date-time the API gives is ISO 8601 in UTC with a `Z` suffix
(`2026-05-20T18:00:00.123456Z`); dates are plain `YYYY-MM-DD`. One form for the whole API,
whatever the server's time zone, so clients can compare and sort timestamps as they come.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.utils.translation import gettext
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


class MesQuerySerializer(serializers.Serializer):
    """A month in query parameters (`anio`, `mes`): an empty one is a 400, not the default."""

    anio = serializers.IntegerField(min_value=2000, max_value=2100)
    mes = serializers.IntegerField(min_value=1, max_value=12)

    def to_internal_value(self, data: Any) -> Any:
        vacios = {
            str(nombre): [gettext("May not be blank.")]
            for nombre in self.fields
            if hasattr(data, "get") and data.get(nombre) == ""
        }
        if vacios:
            raise serializers.ValidationError(vacios)
        return super().to_internal_value(data)


def page_serializer(
    name: str, items_key: str, item: type[serializers.Serializer]
) -> type[serializers.Serializer]:
    """Documents a page of `core.api.pagination`: `{items_key: [...], total, total_paginas, …}`."""
    fields: dict[str, serializers.Field] = {
        items_key: item(many=True),
        "total": serializers.IntegerField(),
        "total_paginas": serializers.IntegerField(),
        "pagina_actual": serializers.IntegerField(),
        "elementos_por_pagina": serializers.IntegerField(),
        "total_aproximado": serializers.BooleanField(
            help_text=(
                "True when the list is too long to count on every request (over 10,000 "
                "matching rows): `total` and `total_paginas` are then the database's estimate."
            )
        ),
    }
    return type(name, (serializers.Serializer,), fields)


def iso(value: datetime.date | None) -> str | None:
    """A date as `YYYY-MM-DD`, a date-time as UTC with `Z`, None as null."""
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        return value.astimezone(datetime.UTC).isoformat().replace("+00:00", "Z")
    return value.isoformat()


class UTCDateTimeField(serializers.DateTimeField):
    """A date-time rendered in UTC with `Z` (DRF's default is the server's time zone)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("default_timezone", datetime.UTC)
        super().__init__(**kwargs)
