"""The activity log as a django-tables2 table. Its order is fixed (newest first) and its
pages are keyset pages (see `selectors.actividad_pagina`), so nothing here sorts or counts."""

from __future__ import annotations

from functools import cache
from typing import Any

import django_tables2 as tables
from django.utils import timezone

from sascop.actividad.models import RegistroActividad
from sascop.actividad.selectors import entidades
from sascop.core.templatetags.formato import fecha


class ActividadTable(tables.Table):
    fecha = tables.Column("Fecha", attrs={"td": {"class": "nowrap"}})
    usuario = tables.Column("Usuario", accessor="nombre_usuario")
    accion = tables.Column("Acción")
    entidad = tables.Column("Modelo")
    entidad_id = tables.Column("Registro")
    campo = tables.Column("Campo")
    valor_anterior = tables.Column("Antes", attrs={"td": {"class": "texto-largo"}})
    valor_nuevo = tables.Column("Después", attrs={"td": {"class": "texto-largo"}})
    ip = tables.Column("IP")

    class Meta:
        model = RegistroActividad
        fields = ()
        sequence = (
            "fecha",
            "usuario",
            "accion",
            "entidad",
            "entidad_id",
            "campo",
            "valor_anterior",
            "valor_nuevo",
            "ip",
        )
        orderable = False
        template_name = "core/tabla.html"
        empty_text = "Ningún registro coincide con los filtros."
        attrs = {"id": "actividad", "class": "lista-tabla", "aria_label": "Registro de actividad"}

    def render_fecha(self, value: Any) -> str:
        return f"{fecha(value)} {timezone.localtime(value):%H:%M:%S}"

    def render_entidad(self, value: str) -> str:
        return _nombres().get(value, value)

    def render_accion(self, record: RegistroActividad) -> str:
        return record.get_accion_display()

    def _corto(self, value: str) -> str:
        return value if len(value) <= 120 else f"{value[:119]}…"

    def render_valor_anterior(self, value: str) -> str:
        return self._corto(value)

    def render_valor_nuevo(self, value: str) -> str:
        return self._corto(value)


@cache
def _nombres() -> dict[str, str]:
    return dict(entidades())
