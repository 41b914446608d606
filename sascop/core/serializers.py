"""Shapes shared by every API: the error envelope, for the OpenAPI document."""

from __future__ import annotations

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
