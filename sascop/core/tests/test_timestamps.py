"""One form for every date-time the API gives: ISO 8601 in UTC with a `Z` suffix.

The server's time zone is America/Mexico_City; a moment is written the same way whichever
part of the API writes it (builders, DRF fields, the session status, the activity log).
"""

from __future__ import annotations

from http import HTTPStatus

import pytest

from sascop.actividad import services as actividad
from sascop.catalogos.tests.factories import ClienteFactory, PasoOtFactory, ResponsableFactory
from sascop.ots.tests.factories import OTFactory
from sascop.ptes.models import PTE
from sascop.ptes.tests.factories import PTEFactory

pytestmark = pytest.mark.django_db

NOON_IN_MEXICO_CITY = "2026-05-20T12:00:00-06:00"
AS_THE_API_WRITES_IT = "2026-05-20T18:00:00Z"


@pytest.fixture
def admin(role_client, time_machine):
    time_machine.move_to(NOON_IN_MEXICO_CITY, tick=False)
    return role_client("Administración")


def test_pte_timestamps(admin, csrf):
    pte = PTEFactory()

    detail = admin.get(f"/operaciones/api/ptes/{pte.pk}/").json()
    edited = admin.patch(
        f"/operaciones/api/ptes/{pte.pk}/",
        {"comentario": "Revisado"},
        content_type="application/json",
        **csrf(admin),
    ).json()

    for body in (detail, edited):
        assert (body["creado_en"], body["actualizado_en"]) == (
            AS_THE_API_WRITES_IT,
            AS_THE_API_WRITES_IT,
        )


def test_ot_timestamps_on_creation_and_read(admin, csrf):
    PasoOtFactory()
    created = admin.post(
        "/operaciones/api/ots/",
        {
            "orden_trabajo": "OT-1",
            "descripcion_trabajo": "Inspección",
            "responsable_proyecto": ResponsableFactory().pk,
            "cliente": ClienteFactory().pk,
        },
        content_type="application/json",
        **csrf(admin),
    )
    assert created.status_code == HTTPStatus.CREATED
    read = admin.get(f"/operaciones/api/ots/{OTFactory().pk}/").json()

    assert created.json()["creado_en"] == AS_THE_API_WRITES_IT
    assert read["actualizado_en"] == AS_THE_API_WRITES_IT


def test_activity_log_dates_and_values(admin):
    fechas = [row["fecha"] for row in admin.get("/operaciones/api/actividad/").json()["actividad"]]
    pte = PTE.objects.get(pk=PTEFactory().pk)

    assert fechas == [AS_THE_API_WRITES_IT]  # the administrator's login
    assert actividad.snapshot(pte)["creado_en"] == AS_THE_API_WRITES_IT


def test_session_expiry(admin):
    assert admin.get("/api/session/").json()["expires_at"] == "2026-05-20T20:00:00Z"
