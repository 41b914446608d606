"""`{% tabla %}`: a table of rows in its scrolling region, or one line saying there are none.

    {% load tablas %}
    {% tabla versiones etiqueta=texto vacio=otro clase="lista-tabla" %}
      <tr><th scope="col">…</th></tr>
    {% fila v %}
      <tr><td>{{ v.version }}</td></tr>
    {% endtabla %}

The header row(s) come before `{% fila %}`, the row drawn for each item after it. The region
(`.tabla-contenedor`, named `etiqueta` for screen readers) scrolls on narrow screens and takes
the focus to do so; with no rows the page says `vacio` instead.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.template.base import FilterExpression, NodeList, Parser, Token
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

register = template.Library()

OPCIONES = ("etiqueta", "vacio", "clase", "id")


class TablaNode(template.Node):
    def __init__(
        self,
        filas: FilterExpression,
        opciones: dict[str, FilterExpression],
        cabecera: NodeList,
        nombre: str,
        fila: NodeList,
    ) -> None:
        self.filas = filas
        self.opciones = opciones
        self.cabecera = cabecera
        self.nombre = nombre
        self.fila = fila

    def render(self, context: Any) -> SafeString:
        filas = self.filas.resolve(context)
        opcion = {
            n: self.opciones[n].resolve(context) if n in self.opciones else "" for n in OPCIONES
        }
        if not filas:
            return format_html('<p class="tenue">{}</p>', opcion["vacio"])
        cuerpo = []
        for item in filas:
            with context.push({self.nombre: item}):
                cuerpo.append(self.fila.render(context))
        atributos = format_html_join(
            "",
            ' {}="{}"',
            ((n, opcion[v]) for n, v in (("class", "clase"), ("id", "id")) if opcion[v]),
        )
        return format_html(
            '<div class="tabla-contenedor" tabindex="0" role="region" aria-label="{}">'
            "<table{}><thead>{}</thead><tbody>{}</tbody></table></div>",
            opcion["etiqueta"],
            atributos,
            self.cabecera.render(context),
            format_html_join("", "{}", ((c,) for c in cuerpo)),
        )


@register.tag("tabla")
def tabla(parser: Parser, token: Token) -> TablaNode:
    """{% tabla filas etiqueta=… vacio=… [clase=…] [id=…] %} header {% fila x %} row
    {% endtabla %}"""
    nombre_tag, *bits = token.split_contents()
    if not bits:
        raise template.TemplateSyntaxError(f"{nombre_tag} needs the rows to draw.")
    filas = parser.compile_filter(bits[0])
    opciones = {}
    for bit in bits[1:]:
        nombre, igual, valor = bit.partition("=")
        if not igual or nombre not in OPCIONES:
            raise template.TemplateSyntaxError(f"{nombre_tag}: unknown option {bit!r}.")
        opciones[nombre] = parser.compile_filter(valor)
    cabecera = parser.parse(("fila",))
    partes = parser.next_token().split_contents()
    if len(partes) != 2:
        raise template.TemplateSyntaxError("{% fila %} names the row: {% fila x %}.")
    fila = parser.parse(("endtabla",))
    parser.delete_first_token()
    return TablaNode(filas, opciones, cabecera, partes[1], fila)
