"""A list's columns, declared once: the page's table, the Excel export and the column
chooser are all drawn from the same `Columna` list (NetBox exports from its tables the same
way).

The order of the declaration is the export's order; the table shows the columns marked
`visible` in that order unless the user chose others ("Configurar tabla").
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import django_tables2 as tables
from django.db.models import Model, QuerySet
from django.urls import reverse
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext, ngettext_lazy
from django.utils.translation import gettext_lazy as _
from django_tables2 import A

from sascop.core import excel
from sascop.core.excel import Columna as ColumnaExcel
from sascop.core.pages.dibujo import como_la_plantilla
from sascop.core.templatetags import formato as es_mx

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# Text longer than this is cut on the server already; the page cuts it to its column's width.
LARGO = 120


def truncado(valor: Any, largo: int = LARGO) -> str:
    """Long text on one line: cut with an ellipsis (by the server past `largo`, by the
    browser at the column's width), the whole of it in a tooltip."""
    texto = "" if valor is None else str(valor)
    corto = texto if len(texto) <= largo else f"{texto[: largo - 1].rstrip()}…"
    return format_html('<span class="truncar" title="{}">{}</span>', texto, corto)


def insignia(valor: Any, texto: Any) -> SafeString:
    """A status badge, as `core/_estatus.html` draws it (built here: a list draws one a row,
    and a template per cell is what made long lists slow)."""
    return format_html('<span class="estatus estatus-{}">{}</span>', valor, texto)


def barra(valor: float, etiqueta: str) -> SafeString:
    """A progress bar, as `core/_progreso.html` draws it (one a row, see `insignia`)."""
    texto = es_mx.porcentaje(valor)
    return format_html(
        '<div class="progreso"><progress max="100" value="{}" aria-label="{}">{}</progress>'
        "<span>{}</span></div>",
        f"{float(valor):.2f}",
        etiqueta,
        texto,
        texto,
    )


@dataclass(frozen=True)
class Columna:
    """One column of a list, on the page and in its workbook.

    `campo` is where the value is read (a `values_list` path, the table's accessor); a
    computed column has none and says how to get its value (`valor`, for the export; a
    `render_<nombre>` method of the table, for the page).
    """

    nombre: str
    titulo: StrOrPromise  # the table's header
    campo: str | None = None
    excel: StrOrPromise | None = None  # the workbook's header: None is `titulo`, "" leaves it out
    ancho: float = 14  # in the workbook, in characters
    formato: str | None = None  # one of `excel`'s number formats; None for text
    visible: bool = True  # shown unless the user chose otherwise
    en_tabla: bool = True  # offered on the page at all (some are only exported)
    orden: tuple[str, ...] | None = None  # order_by; None is (campo, "id"); () not sortable
    clase: str = ""  # the cells' class: "num", "nowrap"
    opciones: Mapping[Any, StrOrPromise] | None = None  # a code's label (estatus), in both
    mostrar: Callable[[Any], Any] | None = None  # the page's text for a value
    largo: int = 0  # long text: one line, cut, whole in a tooltip; 2 takes twice the room
    enlace: Any = None  # django-tables2 `linkify`
    valor: Callable[[Mapping[str, Any], Any], Any] | None = None  # export of a computed one
    lee: tuple[str, ...] = ()  # further fields `valor` reads
    siempre: bool = False  # the page renders it even when its value is empty
    insignia: bool = False  # a status: its label in a coloured badge (`core/_estatus.html`)
    atributos: Mapping[str, Any] = field(default_factory=dict)

    @property
    def titulo_excel(self) -> StrOrPromise:
        return self.titulo if self.excel is None else self.excel

    @property
    def exportada(self) -> bool:
        return self.excel != ""

    def columna_excel(self) -> ColumnaExcel:
        return ColumnaExcel(self.titulo_excel, self.ancho, self.formato)

    def dato(self, fila: Mapping[str, Any], contexto: Any) -> Any:
        """This column's value in an export row (`fila`: the row's fields by name)."""
        if self.valor is not None:
            return self.valor(fila, contexto)
        valor = fila[self.campo] if self.campo else None
        if self.opciones is not None:
            return self.opciones.get(valor, valor)
        return valor

    @property
    def vinculo(self) -> tuple[str, Mapping[str, Any]] | None:
        """`enlace` when it names a view and its keyword arguments (values, or accessors of
        the row: `("ots:detalle", {"ot_id": A("pk")})`) and the link has no attributes."""
        enlace = self.enlace
        if (
            isinstance(enlace, tuple)
            and len(enlace) == 2
            and isinstance(enlace[0], str)
            and isinstance(enlace[1], Mapping)
            and "a" not in self.atributos
        ):
            return enlace
        return None

    def columna_tabla(self) -> tables.Column:
        orden = (self.campo, "id") if self.orden is None and self.campo else self.orden or ()
        attrs: dict[str, Any] = dict(self.atributos)
        # A long text's column takes what the others leave (its text is cut to fit).
        largo = ["largo", *([f"largo-{self.largo}"] if self.largo > 1 else [])]
        clases = [*self.clase.split(), *(largo if self.largo else [])]
        if clases:
            attrs.setdefault("td", {"class": " ".join(clases)})
        encabezado = [c for c in clases if c == "num" or c.startswith("largo")]
        if encabezado:
            attrs.setdefault("th", {"class": " ".join(encabezado)})
        return tables.Column(
            self.titulo,
            accessor=self.campo or "pk",
            order_by=orden or None,
            orderable=bool(orden),
            empty_values=() if self.campo is None or self.siempre else (None, ""),
            # A link to a view the table draws itself (`_con_enlace`); any other, the library.
            linkify=None if self.vinculo is not None else self.enlace,
            attrs=attrs,
        )


def fecha(nombre: str, titulo: StrOrPromise, **kwargs: Any) -> Columna:
    """A date column: dd/mm/aaaa on the page, a real date in the workbook."""
    opciones = {"ancho": 12, "clase": "nowrap", **kwargs}
    return Columna(nombre, titulo, nombre, formato=excel.FECHA, mostrar=es_mx.fecha, **opciones)


def entero(nombre: str, titulo: StrOrPromise, **kwargs: Any) -> Columna:
    """A whole number, right-aligned."""
    opciones = {"ancho": 10, "clase": "num", **kwargs}
    return Columna(nombre, titulo, nombre, formato=excel.ENTERO, **opciones)


def dinero(nombre: str, titulo: StrOrPromise, **kwargs: Any) -> Columna:
    """An amount: `$1,234.50` on the page, a number with two decimals in the workbook."""
    opciones = {"ancho": 15, "clase": "num", **kwargs}
    return Columna(nombre, titulo, nombre, formato=excel.DINERO, mostrar=es_mx.dinero, **opciones)


def _render(columna: Columna) -> Callable[..., Any]:
    def render(self: tables.Table, value: Any) -> Any:
        if columna.insignia:
            return insignia(value, (columna.opciones or {}).get(value, value))
        if columna.opciones is not None:
            value = columna.opciones.get(value, value)
        if columna.mostrar is not None:
            value = columna.mostrar(value)
        return truncado(value) if columna.largo else value

    return render


def _con_enlace(columna: Columna, render: Callable[..., Any] | None) -> Callable[..., Any]:
    """The render method `render` (None: the column's own, its value) of a column linked to
    a view (`Columna.vinculo`), its content in the link django-tables2 draws for a
    `linkify=(view, kwargs)` (`<a href="…">…</a>`): the same URL and markup, without the
    link's generic machinery around `reverse()` (twice its cost, once a row)."""
    vinculo = columna.vinculo
    assert vinculo is not None
    vista, argumentos = vinculo
    todos, pide = (False, ("value",)) if render is None else _firma(render, True)

    def render_con_enlace(self: tables.Table, **kwargs: Any) -> SafeString:
        if render is None:
            contenido = kwargs["value"]
        else:
            contenido = render(self, **(kwargs if todos else {n: kwargs[n] for n in pide}))
        registro = kwargs["record"]
        valores = {k: v.resolve(registro) if isinstance(v, A) else v for k, v in argumentos.items()}
        url = reverse(vista, kwargs=valores)
        return format_html('<a href="{}">{}</a>', url, contenido)

    return render_con_enlace


def tabla_de(
    columnas: Sequence[Columna],
    base: type[tables.Table],
    nombre: str = "Tabla",
    *,
    clave: str | None = None,
    sustantivos: Any = None,
    vacio: StrOrPromise | None = None,
) -> type[tables.Table]:
    """The table class of `columnas`, on `base` (its Meta and its `render_*` methods): the
    list `clave` (its id, its section's, its preference's key), whose rows are
    `sustantivos` (`ngettext_lazy("%(cifra)s PTE", "%(cifra)s PTEs", "n")`), saying `vacio`
    when none matches the filters."""
    atributos: dict[str, Any] = {}
    if clave is not None:
        atributos["clave"] = clave
    if sustantivos is not None:
        atributos["sustantivos"] = sustantivos
    en_tabla = [c for c in columnas if c.en_tabla]
    for columna in en_tabla:
        atributos[columna.nombre] = columna.columna_tabla()
        propio = f"render_{columna.nombre}"
        propia = columna.mostrar or columna.opciones or columna.largo or columna.insignia
        if not hasattr(base, propio) and propia:
            atributos[propio] = _render(columna)
        if columna.vinculo is not None:
            atributos[propio] = _con_enlace(
                columna, atributos.get(propio, getattr(base, propio, None))
            )
    secuencia = tuple(c.nombre for c in en_tabla) + tuple(
        n for n in getattr(base.Meta, "sequence", ()) if n not in {c.nombre for c in en_tabla}
    )
    meta = type(
        "Meta", (base.Meta,), {"sequence": secuencia, **({"empty_text": vacio} if vacio else {})}
    )
    tabla = type(nombre, (base,), {**atributos, "Meta": meta})
    tabla.columnas = tuple(en_tabla)  # type: ignore[attr-defined]
    return tabla


@functools.lru_cache(maxsize=256)
def sin_columnas(tabla: type[tables.Table], ocultas: frozenset[str]) -> type[tables.Table]:
    """`tabla` without the columns `ocultas` (those the user does not show): django-tables2
    deep-copies every column a table class declares for each table it builds, an excluded
    one too (the OT list declares 27 and shows 8 unless the user chooses more; copying them
    all took 2 ms a page). One class per list and choice of columns, made once: it holds
    no data, only which of the declared columns are left out (excluding them from the
    instance instead hides the same columns from its rows, headers and sorting). Kept for
    the 256 choices used last: each user saves at most one a list."""
    meta = type("Meta", (tabla.Meta,), {"exclude": tuple(sorted(ocultas))})
    return type(tabla.__name__, (tabla,), {"Meta": meta, "__module__": tabla.__module__})


def elegidas(columnas: Sequence[Columna], nombres: Iterable[str] | None) -> list[str]:
    """The page's columns: `nombres` (a user's choice, unknown names dropped) or the
    declaration's visible ones."""
    conocidas = {c.nombre for c in columnas if c.en_tabla}
    if nombres:
        vistas = [n for n in dict.fromkeys(nombres) if n in conocidas]
        if vistas:
            return vistas
    return [c.nombre for c in columnas if c.en_tabla and c.visible]


def filas(
    columnas: Sequence[Columna],
    registros: QuerySet[Any],
    *,
    lote: int = excel.LOTE,
    por_lote: Callable[[list[dict[str, Any]]], Any] | None = None,
) -> Iterator[list[Any]]:
    """The workbook's rows: the rows' fields read `lote` at a time as plain tuples (never
    model objects); `por_lote` fetches what computed columns need, once per batch."""
    exportadas = [c for c in columnas if c.exportada]
    campos = list(
        dict.fromkeys(
            ["id", *(n for c in exportadas for n in ((c.campo,) if c.campo else ()) + c.lee)]
        )
    )
    tuplas = registros.values_list(*campos).iterator(chunk_size=lote)
    for grupo in excel.lotes(tuplas, lote):
        dicts = [dict(zip(campos, t, strict=True)) for t in grupo]
        contexto = por_lote(dicts) if por_lote is not None else None
        for fila in dicts:
            yield [c.dato(fila, contexto) for c in exportadas]


def _sin_funciones(atributos: Any) -> bool:
    if callable(atributos):
        return False
    if isinstance(atributos, Mapping):
        return all(_sin_funciones(v) for v in atributos.values())
    return True


def _fijos(tabla: tables.Table, columnas: Sequence[Any]) -> bool:
    """Whether the columns' cell attributes are the same on every row (no callable computes
    them from the row)."""
    return _sin_funciones(tabla.attrs) and all(_sin_funciones(c.column.attrs) for c in columnas)


_ARGUMENTOS = ("value", "record", "column", "bound_column", "bound_row", "table")
# The kinds of column `_dibujante` draws (a link column or a many-to-many one has rules of
# its own, left to `get_cell`): these and the bulk selection's `Seleccion` (below).
_CORRIENTES: tuple[type[tables.Column], ...] = (tables.Column, tables.CheckBoxColumn)


def _argumentos(render: Callable[..., Any]) -> tuple[bool, tuple[str, ...]]:
    """Whether a render method takes any keyword (`**kwargs`), and the arguments it names:
    what django-tables2 inspects for every cell, worked out once for each function (a
    table's `render_<name>` method, a column's `render`)."""
    funcion = getattr(render, "__func__", None)
    return _firma(render, False) if funcion is None else _firma(funcion, True)


@functools.cache
def _firma(funcion: Callable[..., Any], metodo: bool) -> tuple[bool, tuple[str, ...]]:
    parametros = list(inspect.signature(funcion).parameters.values())[1 if metodo else 0 :]
    todos = any(p.kind is p.VAR_KEYWORD for p in parametros)
    pide = tuple(p.name for p in parametros if p.kind not in (p.VAR_KEYWORD, p.VAR_POSITIONAL))
    return todos, pide


def _dibujante(columna: Any) -> Callable[[Any], Any]:
    """How a cell of the bound column `columna` is drawn from its row (a `BoundRow`): what
    `BoundRow.get_cell` does — the accessor's value (a field with choices gives its label),
    the column's default when empty, its render method (the table's `render_<name>` or the
    column's) called with the arguments it names, its link — with what every cell of the
    column shares worked out once: the render method's signature (django-tables2 inspects
    it for every cell) and whether the field has choices. Columns of other kinds are drawn
    by `get_cell` itself."""
    if type(columna.column) not in (*_CORRIENTES, Seleccion):
        return lambda fila: fila.get_cell(columna.name)
    acceso = A(columna.accessor)
    # The accessor's path up to its last part, and that part: each row walks the path once.
    camino, _, ultimo = acceso.rpartition(acceso.SEPARATOR)
    hasta, final = A(camino), A(ultimo)
    vacios = columna.column.empty_values
    todos, pide = _argumentos(columna.render)
    if not todos and any(n not in _ARGUMENTOS for n in pide):
        return lambda fila: fila.get_cell(columna.name)
    if not todos and not vacios and not columna.link and pide == ("record",):
        # Drawn from the record alone, never empty (a computed column, or one drawn even
        # when its value is): its value is not read.
        dibujar_registro = columna.render
        return lambda fila: dibujar_registro(record=fila.record)
    con_opciones: dict[type[Any], bool] = {}

    def dibujar(fila: Any) -> Any:
        registro = fila.record
        valor = None
        # `A.penultimate`, then the last part resolved from there (as `acceso.resolve` would,
        # without walking the path again).
        penultimo = hasta.resolve(registro, quiet=True)
        resto: str | None = ultimo
        if isinstance(penultimo, Model):
            modelo = type(penultimo)
            if modelo not in con_opciones:
                campo = acceso.get_field(registro)
                con_opciones[modelo] = bool(getattr(campo, "choices", ()))
            if con_opciones[modelo]:
                mostrar = getattr(penultimo, f"get_{ultimo}_display", None)
                if mostrar is not None:
                    valor, resto = mostrar(), None
        if resto:
            if isinstance(registro, dict) and acceso in registro:
                valor = registro[acceso]
            elif penultimo is None and camino:
                valor = None  # the path crossed an empty relation
            else:
                try:
                    valor = final.resolve(penultimo)
                except Exception:  # as django-tables2: a value it cannot reach is empty
                    valor = None
        if valor in vacios:
            return columna.default
        argumentos = {
            "value": valor,
            "record": registro,
            "column": columna.column,
            "bound_column": columna,
            "bound_row": fila,
            "table": fila.table,
        }
        contenido = columna.render(**(argumentos if todos else {n: argumentos[n] for n in pide}))
        return columna.link(contenido, **argumentos) if columna.link else contenido

    return dibujar


def encabezados(columnas: Sequence[Columna]) -> list[ColumnaExcel]:
    """The workbook's header (titles, widths, formats), in the declaration's order."""
    return [c.columna_excel() for c in columnas if c.exportada]


class Seleccion(tables.CheckBoxColumn):
    """The bulk selection's checkbox, as django-tables2 draws it: when no box is ticked
    beforehand and its attributes are fixed, every row's box is the same but for its value,
    so the box is drawn once a table and each row writes its value in."""

    _molde: tuple[str, str] | None = None

    def render(self, value: Any, bound_column: Any, record: Any) -> SafeString:
        if self._molde is None:
            # Whether the box can be drawn once is asked once (the column is the table's).
            if self.checked is not None or not _sin_funciones(self.attrs):
                return super().render(value, bound_column, record)
            marca = "\x00"
            antes, _, despues = str(super().render(marca, bound_column, record)).partition(marca)
            self._molde = (antes, despues)
        antes, despues = self._molde
        return SafeString(f"{antes}{conditional_escape(value)}{despues}")


class Tabla(tables.Table):
    """Base of every list's table: the project's template (scrolls in its own box, Spanish
    paging), the query-string names the lists share, and the bulk selection's checkboxes
    (tied to the actions' form by its id, as rows may hold forms of their own)."""

    seleccion = Seleccion(
        accessor="pk",
        orderable=False,
        attrs={
            "th__input": {"form": "acciones-lote", "aria-label": _("Select the whole page")},
            "td__input": {"form": "acciones-lote", "name": "pk", "aria-label": _("Select")},
            "th": {"class": "seleccion"},
            "td": {"class": "seleccion"},
        },
    )

    clave = "lista"  # the list's id, its section's (`tabla-<clave>`), its preference's key
    # What its rows are, counted above the table and in the bulk actions' messages.
    sustantivos: Any = ngettext_lazy("%(cifra)s row", "%(cifra)s rows", "n")

    def traducido(self, mensaje: str) -> str:
        """`gettext(mensaje)` (a msgid marked with `gettext_noop`), looked up once a table:
        a text every row repeats costs a catalog lookup per page, not per row."""
        textos: dict[str, str] = self.__dict__.setdefault("_textos", {})
        if mensaje not in textos:
            textos[mensaje] = gettext(mensaje)
        return textos[mensaje]

    def filas_html(self) -> SafeString:
        """The body's rows (`core/tabla.html`), drawn in Python: each cell as django-tables2
        draws it (`BoundRow.get_cell`), but what does not change from row to row is worked
        out once a column (`_dibujante`, the `<td>` attributes) — drawn cell by cell
        through the template, a page of rows cost several times what its cells do."""
        columnas = list(self.columns)
        if not _fijos(self, columnas):
            return self._filas_por_celda()
        td = [c.attrs["td"].as_html() for c in columnas]
        dibujantes = [_dibujante(c) for c in columnas]
        # Fixed row attributes differ only by the row's "even" or "odd": each drawn once.
        tr: dict[str, str] | None = {} if _sin_funciones(self.row_attrs) else None
        filas = []
        for fila in self.paginated_rows:
            # Every piece is escaped already (attributes by `as_html`, values as the
            # template escapes them): joined as text, not through `format_html` once a cell.
            celdas = "\n".join(
                f"<td {atributos}>{como_la_plantilla(dibujar(fila), c.localize)}</td>"
                for c, atributos, dibujar in zip(columnas, td, dibujantes, strict=True)
            )
            if tr is None:
                atributos_fila = fila.attrs.as_html()
            else:
                paridad = fila.get_even_odd_css_class()
                if paridad not in tr:
                    tr[paridad] = fila.attrs.as_html()
                atributos_fila = tr[paridad]
            filas.append(f"<tr {atributos_fila}>{celdas}</tr>")
        return SafeString("\n".join(filas))

    def _filas_por_celda(self) -> SafeString:
        """The rows when some cell's attributes depend on its row: django-tables2's own
        loop, each cell's attributes computed with it."""
        filas = []
        for fila in self.paginated_rows:
            celdas = [
                format_html(
                    "<td {}>{}</td>", c.attrs["td"].as_html(), como_la_plantilla(v, c.localize)
                )
                for c, v in fila.items()
            ]
            cuerpo = SafeString("".join(celdas))
            filas.append(format_html("<tr {}>{}</tr>", fila.attrs.as_html(), cuerpo))
        return SafeString("\n".join(filas))

    class Meta:
        template_name = "core/tabla.html"
        order_by_field = "orden"
        page_field = "pagina"
        per_page_field = "por_pagina"
        sequence = ("seleccion", "...")
