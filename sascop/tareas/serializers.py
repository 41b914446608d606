from __future__ import annotations

from rest_framework import serializers


class TareaEstadoSerializer(serializers.Serializer[dict[str, object]]):
    """What `GET /operaciones/api/tareas/<id>/` answers (described for the OpenAPI schema)."""

    estado = serializers.ChoiceField(
        choices=["en_cola", "ejecutando", "terminada", "fallida", "desconocido"]
    )
    avance = serializers.IntegerField(
        allow_null=True, min_value=0, max_value=100, help_text="Percentage done, when known."
    )
    resultado = serializers.JSONField(allow_null=True, help_text="What the finished task returned.")
    error = serializers.JSONField(
        required=False,
        help_text="Only when fallida because its input was refused: the error body (`error`, "
        "`code`, `detail`, ...) the same request would have answered without the queue.",
    )
