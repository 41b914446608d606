from __future__ import annotations

from typing import Any

from rest_framework import serializers

from sascop.catalogos import models as m
from sascop.core.api.serializers import page_serializer


def _serializer(model: type[Any], fields: list[str]) -> type[serializers.ModelSerializer]:
    # Entries carried over from the previous system keep their id there (`clave_anterior`).
    anterior = ["clave_anterior"] if hasattr(model, "clave_anterior") else []
    meta = type("Meta", (), {"model": model, "fields": ["id", *fields, *anterior, "activo"]})
    return type(f"{model.__name__}Serializer", (serializers.ModelSerializer,), {"Meta": meta})


# The catalogs reachable under /operaciones/api/catalogos/<nombre>/.
CATALOGOS: dict[str, type[serializers.ModelSerializer]] = {
    "tipos": _serializer(m.Tipo, ["descripcion", "aplica_a"]),
    "clientes": _serializer(m.Cliente, ["descripcion", "tipo"]),
    "responsables": _serializer(m.ResponsableProyecto, ["nombre", "correo"]),
    "pasos": _serializer(m.Paso, ["descripcion", "orden", "importancia", "tipo_cliente"]),
    "pasos-ot": _serializer(m.PasoOt, ["descripcion", "orden", "importancia"]),
    "frentes": _serializer(m.Frente, ["descripcion"]),
    "sitios": _serializer(m.Sitio, ["descripcion", "tipo", "frente"]),
    "unidades": _serializer(m.UnidadMedida, ["clave", "descripcion"]),
    "partidas": _serializer(m.Partida, ["clave", "descripcion", "unidad"]),
    "superintendentes": _serializer(m.Superintendente, ["nombre", "correo", "color"]),
    "guardias": _serializer(
        m.CicloGuardia, ["sitio", "superintendente_a", "superintendente_b", "fecha_inicio"]
    ),
}


# One page shape per catalog: the items come under the catalog's own name (`"frentes": [...]`).
PAGINAS: dict[str, type[serializers.Serializer]] = {
    nombre: page_serializer(f"{serializer.Meta.model.__name__}Page", nombre, serializer)
    for nombre, serializer in CATALOGOS.items()
}


class EntradaSerializer(serializers.Serializer):
    """Documents an entry of whichever catalog the path names: `id`, that catalog's own
    fields, `activo` (catalogos.schema spells out every catalog's shape)."""


class CatalogoPageSerializer(serializers.Serializer):
    """Documents a page of whichever catalog the path names (see catalogos.schema)."""


class EstatusSerializer(serializers.Serializer):
    valor = serializers.IntegerField()
    texto = serializers.CharField()
