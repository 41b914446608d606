"""List filters refuse what they cannot use (400) instead of ignoring it, and never 500."""

from __future__ import annotations

from http import HTTPStatus
from unittest.mock import ANY

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(role_client):
    return role_client("Administración")


def _invalid(field: str, message: str) -> dict[str, object]:
    return {
        "error": "Invalid input",
        "code": "invalid",
        "detail": ANY,
        "fields": {field: [message]},
    }


@pytest.mark.parametrize(
    ("url", "field", "message"),
    [
        ("/operaciones/api/ptes/?cliente=0.5", "cliente", "Enter a whole number."),
        # Django's IntegerField takes these as 1; an id is written as a whole number.
        ("/operaciones/api/ots/?pte=1.0", "pte", "Enter a whole number."),
        ("/operaciones/api/ots/?pte=1.", "pte", "Enter a whole number."),
        ("/operaciones/api/ptes/?cliente=1.000", "cliente", "Enter a whole number."),
        ("/operaciones/api/actividad/?usuario=1.5", "usuario", "Enter a whole number."),
        ("/operaciones/api/ots/?solo_principales=null", "solo_principales", "Use true or false."),
        (
            "/operaciones/api/produccion/?con_excedente=quizas",
            "con_excedente",
            "Use true or false.",
        ),
        (
            "/operaciones/api/actividad/?desde=9999-12-31T23:00:00-10:00",
            "desde",
            "Date-time out of range.",
        ),
    ],
)
def test_unusable_values_are_400(admin, url, field, message):
    response = admin.get(url)

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json() == _invalid(field, message)


def test_any_utc_offset_is_accepted(admin):
    # PostgreSQL itself refuses offsets past ±15:59: the filter compares in UTC.
    response = admin.get("/operaciones/api/actividad/", {"desde": "2020-07-05T05:50:29-17:58"})

    assert response.status_code == HTTPStatus.OK
    assert response.json()["total"] == 1  # the administrator's login


def test_an_empty_filter_is_no_filter(admin):
    response = admin.get("/operaciones/api/ots/?solo_principales=&fecha_desde=&cliente=")

    assert response.status_code == HTTPStatus.OK
    assert response.json()["total"] == 0


@pytest.mark.parametrize(
    "url",
    [
        "/operaciones/api/ptes/?estatus=",
        "/operaciones/api/ots/?estatus=",
        "/operaciones/api/actividad/?accion=",
        "/operaciones/api/precios/conceptos/?estatus=",
        "/operaciones/api/produccion/?estatus_cobro=",
    ],
)
def test_an_empty_value_of_a_several_valued_filter_is_no_filter(admin, url):
    unfiltered = admin.get(url.split("?")[0])

    response = admin.get(url)

    assert response.status_code == HTTPStatus.OK, response.content
    assert response.json()["total"] == unfiltered.json()["total"]


def test_empty_values_beside_real_ones_are_dropped(admin):
    from sascop.ptes.tests.factories import PTEFactory

    PTEFactory(estatus=1)
    PTEFactory(estatus=2)

    both = admin.get("/operaciones/api/ptes/?estatus=2&estatus=")

    assert both.status_code == HTTPStatus.OK
    assert [pte["estatus"] for pte in both.json()["ptes"]] == [2]
