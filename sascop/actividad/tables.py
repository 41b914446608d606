"""The activity log's columns, declared once: the page's table, its Excel export and its
column chooser come from `COLUMNAS`. Its order is fixed (newest first) and its pages are
keyset pages (see `selectors.actividad_pagina`), so nothing here sorts or counts."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from functools import cache, partial
from typing import Any

from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

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
    _Columna("id", _("Id"), "id", ancho=10, formato=excel.ENTERO, en_tabla=False),
    _Columna("fecha", _("Date"), "fecha", ancho=17, formato=excel.FECHA_HORA, clase="nowrap"),
    _Columna("usuario", _("User"), "nombre_usuario", ancho=22),
    _Columna("accion", _("Action"), "accion", ancho=16, opciones=_Acciones()),
    _Columna("entidad", _("Model"), "entidad", ancho=16),
    _Columna("entidad_id", _("Record"), "entidad_id", ancho=10),
    _Columna("campo", _("Field"), "campo", ancho=18),
    _Columna("valor_anterior", _("Before"), "valor_anterior", ancho=40, largo=True),
    _Columna("valor_nuevo", _("After"), "valor_nuevo", ancho=40, largo=True),
    _Columna("ip", _("IP"), "ip", ancho=16),
)


class _ActividadTabla(Tabla):
    class Meta(Tabla.Meta):
        orderable = False

    def render_fecha(self, value: Any) -> str:
        return f"{fecha(value)} {timezone.localtime(value):%H:%M:%S}"

    def render_entidad(self, value: str) -> str:
        return _nombres(translation.get_language()).get(value, value)


@cache
def _nombres(idioma: str | None) -> dict[str, str]:
    """The models' names in `idioma` (their verbose names are translated)."""
    return dict(entidades())


ActividadTable = tabla_de(
    COLUMNAS,
    _ActividadTabla,
    "ActividadTable",
    clave="actividad",
    vacio=_("No record matches the filters."),
)
