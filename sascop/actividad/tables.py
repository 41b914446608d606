"""The activity log's columns, declared once: the page's table, its Excel export and its
column chooser come from `COLUMNAS`. Its order is fixed (newest first) and its pages are
keyset pages (see `selectors.actividad_pagina`), so nothing here sorts or counts."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from functools import cache, partial
from typing import Any

from django.utils import timezone

from sascop.actividad.models import RegistroActividad
from sascop.actividad.selectors import entidades
from sascop.core import excel
from sascop.core.pages.columnas import Columna, Tabla, tabla_de
from sascop.core.templatetags.formato import fecha

_Columna = partial(Columna, orden=())


class _Acciones(Mapping[str, str]):
    """Each action's label, translated when it is read (in the language of the request)."""

    def __getitem__(self, accion: str) -> str:
        return str(dict(RegistroActividad.Accion.choices)[accion])

    def __iter__(self) -> Iterator[str]:
        return iter(RegistroActividad.Accion.values)

    def __len__(self) -> int:
        return len(RegistroActividad.Accion.values)


COLUMNAS = (
    _Columna("id", "Id", "id", ancho=10, formato=excel.ENTERO, en_tabla=False),
    _Columna("fecha", "Fecha", "fecha", ancho=17, formato=excel.FECHA_HORA, clase="nowrap"),
    _Columna("usuario", "Usuario", "nombre_usuario", ancho=22),
    _Columna("accion", "Acción", "accion", ancho=16, opciones=_Acciones()),
    _Columna("entidad", "Modelo", "entidad", ancho=16),
    _Columna("entidad_id", "Registro", "entidad_id", ancho=10),
    _Columna("campo", "Campo", "campo", ancho=18),
    _Columna("valor_anterior", "Antes", "valor_anterior", ancho=40, largo=True),
    _Columna("valor_nuevo", "Después", "valor_nuevo", ancho=40, largo=True),
    _Columna("ip", "IP", "ip", ancho=16),
)


class _ActividadTabla(Tabla):
    class Meta(Tabla.Meta):
        orderable = False

    def render_fecha(self, value: Any) -> str:
        return f"{fecha(value)} {timezone.localtime(value):%H:%M:%S}"

    def render_entidad(self, value: str) -> str:
        return _nombres().get(value, value)


@cache
def _nombres() -> dict[str, str]:
    return dict(entidades())


ActividadTable = tabla_de(
    COLUMNAS,
    _ActividadTabla,
    "ActividadTable",
    clave="actividad",
    vacio="Ningún registro coincide con los filtros.",
)
