"""What the imports say to people, in Spanish: counts with the right singular or plural,
dates as dd/mm/aaaa."""

from __future__ import annotations

import datetime

from django.utils.translation import ngettext


def cuenta(numero: int, singular: str, plural: str) -> str:
    """ "1 concepto", "3 conceptos"."""
    return ngettext(singular, plural, numero) % {"n": numero}


def fecha(dia: datetime.date | None) -> str:
    return dia.strftime("%d/%m/%Y") if dia else ""


def enumeracion(partes: list[str]) -> str:
    """ "a", "a y b", "a, b y c"."""
    partes = [p for p in partes if p]
    if len(partes) <= 1:
        return "".join(partes)
    return ", ".join(partes[:-1]) + " y " + partes[-1]
