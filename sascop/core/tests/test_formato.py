"""es-MX formatting filters used by every page."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.template import Context, Template

from sascop.core.templatetags.formato import dinero, entero, fecha, porcentaje, volumen


@pytest.mark.parametrize(
    ("value", "moneda", "expected"),
    [
        (Decimal("1234567.89"), "", "$1,234,567.89"),
        (Decimal("1234567.89"), "MXN", "$1,234,567.89 MXN"),
        (Decimal("950.5"), "USD", "$950.50 USD"),
        (Decimal("0"), "", "$0.00"),
        (Decimal("-1500"), "", "-$1,500.00"),
        (Decimal("-0.001"), "", "$0.00"),
        (Decimal("0.005"), "", "$0.01"),  # half up, as a cashier rounds
        ("125000.50", "", "$125,000.50"),  # the API's decimal strings
        (7, "", "$7.00"),
        (None, "MXN", "—"),
        ("", "", "—"),
        ("abc", "", "—"),
        (Decimal("NaN"), "", "—"),
    ],
)
def test_dinero(value, moneda, expected):
    assert dinero(value, moneda) == expected


@pytest.mark.parametrize(
    ("value", "unidad", "expected"),
    [
        (Decimal("1234.5"), "m", "1,234.50 m"),
        (Decimal("1234.5000"), "", "1,234.50"),
        (Decimal("0.0035"), "ton", "0.0035 ton"),
        (Decimal("12.125"), "", "12.125"),
        (Decimal("1000000"), "m³", "1,000,000.00 m³"),
        (Decimal("3.14159"), "", "3.1416"),
        (3.75, "", "3.75"),
        (None, "m", "—"),
    ],
)
def test_volumen(value, unidad, expected):
    assert volumen(value, unidad) == expected


def test_entero_and_porcentaje():
    assert entero(1234567) == "1,234,567"
    assert entero(0) == "0"
    assert entero(None) == "—"
    assert porcentaje(45.5) == "46%"
    assert porcentaje(100.0) == "100%"
    assert porcentaje(0) == "0%"
    assert porcentaje(None) == "—"


def test_fecha_is_day_month_year_in_mexico_city():
    assert fecha(datetime.date(2026, 3, 2)) == "02/03/2026"
    # 02:00 UTC on 1 March is still 28 February in Mexico City (UTC-6).
    moment = datetime.datetime(2026, 3, 1, 2, 0, tzinfo=datetime.UTC)
    assert fecha(moment) == "28/02/2026"
    assert fecha(None) == "—"
    assert fecha("2026-03-02") == "—"


def test_the_filters_in_a_template():
    rendered = Template(
        "{% load formato %}{{ m|dinero:'MXN' }} | {{ v|volumen:'m' }} | {{ d|fecha }}"
    ).render(
        Context({"m": Decimal("1250000.75"), "v": Decimal("10.5"), "d": datetime.date(2026, 5, 20)})
    )

    assert rendered == "$1,250,000.75 MXN | 10.50 m | 20/05/2026"
