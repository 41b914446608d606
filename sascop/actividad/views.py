"""The activity log page (administrators): filters by user, kind of record, record, action
and dates; pages by keyset ("Más recientes" / "Anteriores"), never counting the whole log.

Same selector and permission as the API (`actividad.view_registroactividad`)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from sascop.actividad import exports, selectors
from sascop.actividad.forms import ActividadFiltroForm
from sascop.actividad.models import RegistroActividad
from sascop.actividad.tables import ActividadTable
from sascop.core.pages.comunes import tamano_de_pagina
from sascop.core.pages.vistas import ListaView, sin_paginas
from sascop.core.templatetags.formato import entero

CURSORES = ("despues", "antes")


def _enlace(request: HttpRequest, cursor: selectors.Cursor | None, nombre: str) -> str | None:
    """This list's URL, moved to `cursor` (its filters and page size kept)."""
    if cursor is None:
        return None
    params = sin_paginas(request, *CURSORES, "exportar")
    params[nombre] = cursor.texto()
    return f"{request.path}?{params.urlencode()}"


class ActividadLista(ListaView):
    """The log, newest first. `?exportar=xlsx` answers the whole filtered log as a workbook."""

    permisos_requeridos = ("actividad.view_registroactividad",)
    titulo = _("Activity")
    tabla = ActividadTable
    # Keyset pages: each filter reloads the page, whose links carry the cursors.
    filtra_con_htmx = False

    def filtros(self) -> ActividadFiltroForm:
        return ActividadFiltroForm(self.request.GET)

    def registros(self, filtros: ActividadFiltroForm) -> QuerySet[RegistroActividad]:
        return selectors.actividad_lista(filtros.parametros())

    def exportar(self, registros: QuerySet[RegistroActividad]) -> HttpResponseBase:
        return exports.actividad_xlsx(registros)

    def lista(self) -> HttpResponseBase:
        request = self.request
        filtros = self.filtros()
        if request.GET.get("exportar") == "xlsx":
            return self.exportar(self.registros(filtros))
        pagina = selectors.actividad_pagina(
            filtros.parametros(),
            despues=selectors.Cursor.leer(request.GET.get("despues")),
            antes=selectors.Cursor.leer(request.GET.get("antes")),
            tamano=tamano_de_pagina(request),
        )
        inicio = sin_paginas(request, *CURSORES, "exportar")
        self.cuantos = len(pagina.registros)
        cursores = {
            "siguiente": _enlace(request, pagina.siguiente, "despues"),
            "anterior": _enlace(request, pagina.anterior, "antes"),
            "primera": f"{request.path}?{inicio.urlencode()}" if pagina.anterior else None,
        }
        table = self.crear_tabla(pagina.registros)
        return self.responder(filtros, table, cursores=cursores)

    def resumen(self, table: Any) -> SafeString:
        if not self.cuantos:
            return format_html("{}", gettext("No records."))
        return format_html(
            ngettext(
                "Showing <strong>{}</strong> record, newest first.",
                "Showing <strong>{}</strong> records, newest first.",
                self.cuantos,
            ),
            entero(self.cuantos),
        )

    def hay_filas(self, table: Any) -> bool:
        return bool(self.cuantos)
