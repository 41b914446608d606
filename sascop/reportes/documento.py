"""The weekly report as a PDF: an HTML page rendered by WeasyPrint, charts drawn as SVG
by the template from the bar geometry computed here (no JavaScript in a PDF)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.template.loader import render_to_string
from django.utils import translation

from sascop.reportes.selectors import ResumenSemanal

ANCHO_BARRA = 300  # px of the longest bar; labels and figures sit beside it
ALTO_BARRA = 14


@dataclass(frozen=True)
class Barra:
    etiqueta: str
    valor: Decimal
    ancho: int
    y: int
    serie: int = 0  # 0 = first series (e.g. executed), 1 = second (signed)


def barras(series: list[tuple[str, list[Decimal]]]) -> tuple[list[Barra], int]:
    """Horizontal bars for each label's values (one per series), scaled to the largest;
    returns the bars and the chart's height."""
    mayor = max((v for _, valores in series for v in valores), default=Decimal("0"))
    resultado: list[Barra] = []
    y = 0
    for etiqueta, valores in series:
        for indice, valor in enumerate(valores):
            ancho = int(valor / mayor * ANCHO_BARRA) if mayor > 0 else 0
            nombre = etiqueta if indice == 0 else ""  # a label's later series share its name
            resultado.append(Barra(nombre, valor, max(ancho, 1), y, indice))
            y += ALTO_BARRA + 2
        y += 6
    return resultado, y


def contexto(resumen: ResumenSemanal) -> dict[str, object]:
    actividad, alto_actividad = barras(
        [(fila.usuario, [Decimal(fila.total)]) for fila in resumen.actividad]
    )
    produccion, alto_produccion = barras(
        [(p.orden_trabajo, [p.ejecutado_mn, p.firmado_mn]) for p in resumen.produccion]
    )
    return {
        "r": resumen,
        "grafica_actividad": actividad,
        "alto_actividad": alto_actividad,
        "grafica_produccion": produccion,
        "alto_produccion": alto_produccion,
        "ancho_barra": ANCHO_BARRA,
    }


def pdf(resumen: ResumenSemanal, *, idioma: str) -> bytes:
    # WeasyPrint is imported here: it loads Pango, which only this command needs.
    from weasyprint import HTML

    with translation.override(idioma):
        html = render_to_string("reportes/semanal.html", contexto(resumen))
    return bytes(HTML(string=html).write_pdf())
