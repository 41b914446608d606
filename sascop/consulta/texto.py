"""What a search is made of, the same for both engines: the terms a query asks for (without
accents, lower case), each engine's query text built from them, and the highlighted excerpt
shown for a match.

Terms are runs of letters and digits: "OLEOGASODUCTO DE ABK-A" is `oleogasoducto`, `de`, `abk`,
`a`. Each term matches the words that start with it (prefix matching), so "compresion" finds
"COMPRESIÓN" and "compresiones", and a half-typed word already finds something.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from collections.abc import Sequence
from html import unescape

from django.utils.html import escape, strip_tags
from django.utils.safestring import SafeString, mark_safe

# Terms beyond this are ignored: a search is a few words, not a paragraph.
MAX_TERMINOS = 8
PALABRA = re.compile(r"\w+")
# Characters of the excerpt around its first match.
CONTEXTO = 90


def normalizar(texto: str) -> str:
    """Lower case, without accents (ñ becomes n, as the indexes see it)."""
    descompuesto = unicodedata.normalize("NFKD", texto.lower())
    return "".join(c for c in descompuesto if not unicodedata.combining(c))


def terminos(q: str) -> list[str]:
    """The distinct terms of a query, in order."""
    vistos: list[str] = []
    for termino in PALABRA.findall(normalizar(q)):
        if termino not in vistos:
            vistos.append(termino)
    return vistos[:MAX_TERMINOS]


def tsquery(terminos: Sequence[str]) -> str:
    """PostgreSQL's `to_tsquery` text: every term, as a prefix. Terms are letters and digits
    only (`terminos`), so quoting them is enough."""
    return " & ".join(f"'{t}':*" for t in terminos)


def fts5(terminos: Sequence[str]) -> str:
    """SQLite FTS5's MATCH text: every term, as a prefix (implicit AND)."""
    return " ".join(f'"{t}"*' for t in terminos)


def fecha(palabra: str) -> datetime.date | None:
    """A date as people type it (31/03/2026, 31-03-2026) or ISO (2026-03-31); else None."""
    for formato in ("%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d"):
        try:
            return datetime.datetime.strptime(palabra, formato).date()
        except ValueError:
            continue
    return None


def _coincide(palabra: str, terminos: Sequence[str]) -> bool:
    """Whether a word is one a term found: it starts with the term, or it is the term's stem
    (Spanish stemming finds "compresion" for "compresiones"; a short word such as "de" is
    not the stem of "desarrollo")."""
    return any(
        palabra.startswith(t) or (t.startswith(palabra) and len(palabra) >= max(4, len(t) - 3))
        for t in terminos
    )


# Characters normalised before (by code point) kept at most: an excerpt's few hundred
# characters are of a few dozen kinds.
NORMALES_GUARDADOS = 4096


class _Normales(dict[int, str]):
    """A table for `str.translate`: each character (by code point) normalised, worked out
    the first time it is met; `desiguales` are those that do not become exactly one
    character (ß, a lone combining accent), whose positions then need counting."""

    def __init__(self) -> None:
        super().__init__()
        self.desiguales: set[str] = set()

    def __missing__(self, codigo: int) -> str:
        normal = normalizar(chr(codigo))
        if len(normal) != 1:
            self.desiguales.add(chr(codigo))
        if len(self) < NORMALES_GUARDADOS:
            self[codigo] = normal
        return normal


_NORMALES = _Normales()


def _normal_con_posiciones(texto: str) -> tuple[str, list[int]]:
    """`texto` normalised, and for each of its characters the position it came from (one
    character each unless some character becomes none or several)."""
    if texto.isascii():
        return texto.lower(), list(range(len(texto)))
    normal = texto.translate(_NORMALES)
    if _NORMALES.desiguales.isdisjoint(texto):
        return normal, list(range(len(texto)))
    partes: list[str] = []
    origen: list[int] = []
    for i, caracter in enumerate(texto):
        normal = _NORMALES[ord(caracter)]
        partes.append(normal)
        origen.extend([i] * len(normal))
    return "".join(partes), origen


def resaltar(texto: str, terminos: Sequence[str], largo: int = CONTEXTO * 2) -> SafeString:
    """An excerpt of `texto` (around its first match, at most about `largo` characters),
    HTML-escaped, with each word a term matches inside `<mark>`."""
    texto = " ".join(texto.split())
    normal, origen = _normal_con_posiciones(texto)
    marcas = [
        (origen[m.start()], origen[m.end() - 1] + 1)
        for m in PALABRA.finditer(normal)
        if _coincide(m.group(0), terminos)
    ]
    inicio = 0
    if marcas and len(texto) > largo:
        inicio = max(0, marcas[0][0] - CONTEXTO // 2)
        espacio = texto.find(" ", inicio)
        if inicio and 0 <= espacio < marcas[0][0]:
            inicio = espacio + 1  # start at a word
    fin = min(len(texto), inicio + largo)
    partes = ["…" if inicio else ""]
    cursor = inicio
    for desde, hasta in marcas:
        if desde < cursor or hasta > fin:
            continue
        partes += [escape(texto[cursor:desde]), "<mark>", escape(texto[desde:hasta]), "</mark>"]
        cursor = hasta
    partes += [escape(texto[cursor:fin]), "…" if fin < len(texto) else ""]
    return mark_safe("".join(partes))  # noqa: S308 (every piece of text is escaped above)


def sin_marcas(extracto: str) -> str:
    """The excerpt as plain text (for a workbook)."""
    return unescape(strip_tags(extracto))
