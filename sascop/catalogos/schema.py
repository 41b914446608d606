"""The catalog endpoints in the OpenAPI document.

One path serves every catalog (`catalogos/{nombre}/`), so its bodies are documented as "one of
the catalogs' shapes", each built from the very serializer that renders that catalog.
"""

from __future__ import annotations

import copy
from typing import Any

from drf_spectacular.extensions import OpenApiSerializerExtension
from drf_spectacular.utils import OpenApiParameter

from sascop.catalogos.serializers import CATALOGOS, PAGINAS

NOMBRE = OpenApiParameter(
    "nombre",
    str,
    OpenApiParameter.PATH,
    enum=sorted(CATALOGOS),
    description="The catalog.",
)


def _refs(auto_schema: Any, serializers: Any, direction: str, partial: bool) -> list[Any]:
    refs = []
    for serializer_class in serializers:
        serializer = serializer_class()
        if partial:
            # As AutoSchema does for PATCH bodies: every field becomes optional.
            serializer = copy.copy(serializer)
            serializer.partial = True
        refs.append(auto_schema.resolve_serializer(serializer, direction).ref)
    return refs


class EntradaExtension(OpenApiSerializerExtension):
    target_class = "sascop.catalogos.serializers.EntradaSerializer"

    def map_serializer(self, auto_schema: Any, direction: Any) -> dict[str, Any]:
        partial = bool(getattr(self.target, "partial", False))
        # anyOf, not oneOf: a body valid for one catalog may be valid for another too.
        return {"anyOf": _refs(auto_schema, CATALOGOS.values(), direction, partial)}


class CatalogoPageExtension(OpenApiSerializerExtension):
    target_class = "sascop.catalogos.serializers.CatalogoPageSerializer"

    def map_serializer(self, auto_schema: Any, direction: Any) -> dict[str, Any]:
        # Each page requires its own catalog's key, so exactly one of them matches.
        return {"oneOf": _refs(auto_schema, PAGINAS.values(), direction, partial=False)}
