"""es-MX formatting for the pages: money, volumes, counts, percentages and dates.

Explicit rather than Django's localisation: Mexican usage is `$1,234,567.89` (comma for
thousands, point for decimals) and `dd/mm/aaaa`, whatever the locale tables of a given
Django release say, and a figure must read the same in every page and in the tests.
"""

from __future__ import annotations

import datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django import template
from django.utils import timezone

register = template.Library()

VACIO = "—"  # shown for a missing value


def _decimal(value: Any) -> Decimal | None:
    if value is None or value == "" or isinstance(value, bool):
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _agrupado(number: Decimal, places: int) -> str:
    rounded = number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    if rounded == 0:
        rounded = abs(rounded)  # no "-0.00"
    return f"{rounded:,.{places}f}"


@register.filter
def dinero(value: Any, moneda: str = "") -> str:
    """`$1,234,567.89`, with the currency after it when given (`dinero:"USD"`)."""
    number = _decimal(value)
    if number is None:
        return VACIO
    text = _agrupado(number, 2)
    text = f"-${text[1:]}" if text.startswith("-") else f"${text}"
    return f"{text} {moneda}" if moneda else text


@register.filter
def volumen(value: Any, unidad: str = "") -> str:
    """`1,234.50 m³`: two decimals, up to four when they matter (volumes keep four)."""
    number = _decimal(value)
    if number is None:
        return VACIO
    text = _agrupado(number, 4)
    whole, _, decimals = text.partition(".")
    decimals = decimals.rstrip("0").ljust(2, "0")
    text = f"{whole}.{decimals}"
    return f"{text} {unidad}" if unidad else text


@register.filter
def entero(value: Any) -> str:
    """`12,345`."""
    number = _decimal(value)
    if number is None:
        return VACIO
    return _agrupado(number, 0)


@register.filter
def porcentaje(value: Any) -> str:
    """`45%` (whole percent, as a progress bar shows it)."""
    number = _decimal(value)
    if number is None:
        return VACIO
    return f"{_agrupado(number, 0)}%"


@register.filter
def fecha(value: Any) -> str:
    """`dd/mm/aaaa`; a date-time is shown in local time (America/Mexico_City)."""
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        value = value.date()
    if not isinstance(value, datetime.date):
        return VACIO
    return f"{value.day:02d}/{value.month:02d}/{value.year:04d}"
