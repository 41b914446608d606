"""The dashboard page people land on after logging in."""

from __future__ import annotations

from http import HTTPStatus

import pytest

from sascop.ptes.tests.factories import PTEFactory

pytestmark = pytest.mark.django_db


def test_dashboard_shows_the_figures(viewer):
    PTEFactory.create_batch(3, estatus=2)

    response = viewer.get("/")

    assert response.status_code == HTTPStatus.OK
    page = response.content.decode()
    assert "<span>3</span>PTEs" in page
    assert 'En proceso</td><td class="num">3</td>' in page
    assert "Volumen de producción, últimos 12 meses" in page
    assert "no-store" in response["Cache-Control"]


def test_dashboard_without_a_role_says_so(client, user, json_login):
    json_login()

    page = client.get("/").content.decode()

    assert "no tiene un rol asignado" in page
    assert "PTEs por estatus" not in page
