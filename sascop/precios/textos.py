"""What the imports say to people: lists joined in the active language,
dates as dd/mm/aaaa."""

from __future__ import annotations

import datetime
import re
from collections import Counter
from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext


def fecha(dia: datetime.date | None) -> str:
    return dia.strftime("%d/%m/%Y") if dia else ""


def enumeracion(partes: list[str]) -> str:
    """ "a", "a y b", "a, b y c" (the conjunction in the active language; Django's
    get_text_list is not used: its Spanish catalog drops the space after the commas)."""
    partes = [p for p in partes if p]
    if len(partes) <= 1:
        return "".join(partes)
    return gettext("%(items)s and %(last)s") % {"items": ", ".join(partes[:-1]), "last": partes[-1]}


_VARIABLE = re.compile(r"'[^']*'|«[^»]*»|\"[^\"]*\"|\d+(?:[.,]\d+)*")


def tipo_de_error(mensaje: str) -> str:
    """What kind of problem a message names, its particulars left out:
    "P.U. M.N. no es un número: «diez»." → "P.U. M.N. no es un número"."""
    antes, _, despues = mensaje.partition(":")
    # "pu_mn: Ensure…" names a field first: the kind is the whole message.
    texto = antes if despues and " " in antes.strip() else mensaje
    return " ".join(_VARIABLE.sub("…", texto).split()).rstrip(".")


def por_tipo(filas: Iterable[dict[str, Any]]) -> list[tuple[str, int]]:
    """How many rows show each kind of problem, the commonest first."""
    cuentas = Counter(tipo_de_error(e) for fila in filas for e in fila["errores"])
    return sorted(cuentas.items(), key=lambda par: (-par[1], par[0]))
