"""The price book's concepts, their columns declared once: the page's table (book order,
es-MX money, and "Autorizar" on a PUE still being drawn up, for those allowed), its Excel
export and its column chooser all come from `COLUMNAS`."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from sascop.core import excel
from sascop.core.api.etags import etag_for
from sascop.core.pages.columnas import Columna, Tabla, dinero, tabla_de
from sascop.core.templatetags.formato import volumen
from sascop.precios.models import Concepto

COLUMNAS = (
    Columna("contrato", _("Contract"), "anexo__contrato__numero", ancho=14, en_tabla=False),
    Columna("anexo", _("Anexo"), "anexo__clave", ancho=9, orden=("anexo__clave", "orden", "id")),
    Columna("partida", _("Item"), "partida", ancho=10, clase="nowrap", orden=("orden", "id")),
    Columna("concepto", _("Concept"), "concepto", ancho=60, orden=(), largo=True),
    Columna("unidad", _("Unit"), "unidad", ancho=10, orden=()),
    dinero("pu_mn", "P.U. M.N."),
    dinero("pu_usd", "P.U. USD"),
    Columna(
        "cantidad_referencia",
        _("Ref. quantity"),
        "cantidad_referencia",
        excel=_("Reference quantity"),
        ancho=14,
        formato=excel.VOLUMEN,
        clase="num",
        orden=(),
        mostrar=volumen,
    ),
    Columna("seccion", _("Section"), "seccion", ancho=30, largo=True, visible=False),
    Columna(
        "tipo", _("Type"), "tipo", ancho=18, opciones=dict(Concepto.Tipo.choices), visible=False
    ),
    # The status, and "Autorizar" under a PUE being drawn up (for those allowed).
    Columna("estatus", _("Status"), "estatus", ancho=15, opciones=dict(Concepto.Estatus.choices)),
    Columna(
        "autorizado_en",
        _("Authorised at"),
        "autorizado_en",
        ancho=17,
        formato=excel.FECHA_HORA,
        en_tabla=False,
    ),
)


class _ConceptoTabla(Tabla):
    def __init__(
        self,
        *args: Any,
        request: HttpRequest,
        puede_autorizar: bool,
        puede_convertir: bool = False,
        puede_editar: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        # The row's "Autorizar" form carries the CSRF token and comes back to this list.
        self.request = request
        self.puede_autorizar = puede_autorizar
        self.puede_convertir = puede_convertir
        self.puede_editar = puede_editar

    def render_estatus(self, record: Concepto) -> SafeString:
        # A proposal not keyed yet (no partida) is keyed before it can be authorised.
        autorizable = (
            self.puede_autorizar
            and record.estatus == Concepto.Estatus.EN_ELABORACION
            and bool(record.partida)
            and record.activo
        )
        # A PUE is changed while being drawn up, deactivated or reactivated at any time.
        pue = self.puede_editar and record.tipo == Concepto.Tipo.EXTRAORDINARIA
        return render_to_string(
            "precios/_estatus.html",
            {
                "concepto": record,
                "texto": record.get_estatus_display(),
                "autorizable": autorizable,
                # An authorised PUE can become an ordinary concept ("Convertir").
                "convertible": self.puede_convertir
                and record.tipo == Concepto.Tipo.EXTRAORDINARIA
                and record.estatus == Concepto.Estatus.AUTORIZADO,
                "version": etag_for(record) if autorizable or pue else "",
                "editable": pue
                and record.estatus == Concepto.Estatus.EN_ELABORACION
                and record.activo,
                "retirable": pue,
            },
            request=self.request,
        )


ConceptoTable = tabla_de(
    COLUMNAS,
    _ConceptoTabla,
    "ConceptoTable",
    clave="conceptos",
    sustantivos=ngettext_lazy("%(cifra)s concept", "%(cifra)s concepts", "n"),
    vacio=_("No concept matches the filters."),
)
