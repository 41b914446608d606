"""The weekly report as a PDF: an HTML page rendered by WeasyPrint, charts drawn as SVG
by the template from the bar geometry computed here (no JavaScript in a PDF)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from sascop.core.templatetags.formato import dinero, entero
from sascop.reportes.selectors import ResumenSemanal

ANCHO_BARRA = 300  # px of the longest bar; labels and figures sit beside it
ALTO_BARRA = 14


COLORES = ("#2f6fae", "#3c9d5d")  # first series (executed), second (signed)


@dataclass(frozen=True)
class Barra:
    etiqueta: str
    texto: str  # the value as the report writes it
    ancho: int
    y: int
    color: str


@dataclass(frozen=True)
class Grafica:
    barras: list[Barra]
    alto: int
    ancho: int
    descripcion: str


def grafica(
    series: list[tuple[str, list[Decimal]]], formato: Callable[[Any], str], descripcion: str
) -> Grafica:
    """Horizontal bars for each label's values (one per series), scaled to the largest."""
    mayor = max((v for _, valores in series for v in valores), default=Decimal("0"))
    barras: list[Barra] = []
    y = 0
    for etiqueta, valores in series:
        for indice, valor in enumerate(valores):
            ancho = int(valor / mayor * ANCHO_BARRA) if mayor > 0 else 0
            nombre = etiqueta if indice == 0 else ""  # a label's later series share its name
            barras.append(Barra(nombre, formato(valor), max(ancho, 1), y, COLORES[indice]))
            y += ALTO_BARRA + 2
        y += 6
    return Grafica(barras, y, ANCHO_BARRA + 300, descripcion)


def contexto(resumen: ResumenSemanal) -> dict[str, object]:
    return {
        "r": resumen,
        "grafica_actividad": grafica(
            [(fila.usuario, [Decimal(fila.total)]) for fila in resumen.actividad],
            entero,
            _("Records changed by each user"),
        ),
        "grafica_produccion": grafica(
            [(p.orden_trabajo, [p.ejecutado_mn, p.firmado_mn]) for p in resumen.produccion],
            dinero,
            _("Executed and signed amount by OT"),
        ),
    }


def pdf(resumen: ResumenSemanal, *, idioma: str) -> bytes:
    # WeasyPrint is imported here: it loads Pango, which only this command needs.
    from weasyprint import HTML

    with translation.override(idioma):
        html = render_to_string("reportes/semanal.html", contexto(resumen))
    return bytes(HTML(string=html).write_pdf())
