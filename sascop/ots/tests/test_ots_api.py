"""The OT API: direct and from-PTE creation, re-programmings, edits, steps, deletion."""

from __future__ import annotations

import json
import logging
from http import HTTPStatus
from unittest.mock import ANY

import pytest
import time_machine

from sascop.actividad.models import RegistroActividad
from sascop.catalogos.estatus import EstatusOT
from sascop.catalogos.tests.factories import (
    ClienteFactory,
    FrenteFactory,
    PasoOtFactory,
    ResponsableFactory,
    SitioFactory,
)
from sascop.ots.models import OT, OTDetalle
from sascop.ots.tests.factories import OTFactory
from sascop.ptes.tests.factories import PTEFactory
from tests.envelope import invalid_input

pytestmark = pytest.mark.django_db
URL = "/operaciones/api/ots/"


@pytest.fixture
def pasos_ot():
    return [
        PasoOtFactory(orden=1, descripcion="Kick-off"),
        PasoOtFactory(orden=2, descripcion="Ejecución"),
        PasoOtFactory(orden=3, descripcion="Retirado", activo=False),
    ]


def _send(c, csrf, method, url, body=None, **headers):
    return getattr(c, method)(
        url, body or {}, content_type="application/json", **csrf(c), **headers
    )


def _body(**extra):
    sitio = SitioFactory()
    return {
        "orden_trabajo": "OT-2026-001",
        "descripcion_trabajo": "Inspección de riser",
        "responsable_proyecto": ResponsableFactory().pk,
        "cliente": ClienteFactory().pk,
        "sitio": sitio.pk,
        "fecha_inicio_programado": "2026-07-01",
        "fecha_termino_programado": "2026-07-31",
        "monto_mxn": "1500000.00",
        "monto_usd": "80000.00",
        **extra,
    }


def test_create_direct_with_steps_from_active_pasos_ot(engineer, csrf, pasos_ot):
    response = _send(engineer, csrf, "post", URL, _body())

    assert response.status_code == HTTPStatus.CREATED
    body = response.json()
    ot = OT.objects.get()
    assert body["id"] == ot.pk and response["ETag"] == f'"{ot.pk}-1"'
    assert body["frente_id"] == ot.sitio.frente_id  # taken from the site
    assert body["monto_mxn"] == "1500000.00" and body["pte_id"] is None
    assert [(d["paso_descripcion"], d["estatus_ot"]) for d in body["detalles"]] == [
        ("Kick-off", 1),
        ("Ejecución", 1),
    ]
    assert body["reprogramaciones"] == [] and body["num_reprogramacion"] == 0
    assert RegistroActividad.objects.filter(entidad="ot", accion="crear").count() == 1


def test_create_from_pte_takes_its_defaults(engineer, csrf, pasos_ot):
    pte = PTEFactory(descripcion_trabajo="Cambio de ánodos", plazo_dias=12)

    response = _send(
        engineer, csrf, "post", f"/operaciones/api/ptes/{pte.pk}/ots/", {"orden_trabajo": "OT-9"}
    )

    assert response.status_code == HTTPStatus.CREATED
    body = response.json()
    assert (body["pte_id"], body["oficio_pte"]) == (pte.pk, pte.oficio_pte)
    assert body["descripcion_trabajo"] == "Cambio de ánodos"
    assert body["cliente_id"] == pte.cliente_id
    assert body["responsable_proyecto_id"] == pte.responsable_proyecto_id
    assert body["plazo_dias"] == 12
    missing = _send(
        engineer, csrf, "post", "/operaciones/api/ptes/999999/ots/", {"orden_trabajo": "X"}
    )
    assert missing.status_code == HTTPStatus.NOT_FOUND


def test_reprogrammings_are_numbered_and_linked(engineer, csrf):
    principal = OTFactory(orden_trabajo="OT-77", monto_mxn="10.00")
    url = f"{URL}{principal.pk}/reprogramaciones/"

    first = _send(engineer, csrf, "post", url, {"fecha_inicio_programado": "2026-09-01"})
    # Re-programming a re-programming still hangs from the principal.
    second = _send(
        engineer,
        csrf,
        "post",
        f"{URL}{first.json()['id']}/reprogramaciones/",
        {"monto_mxn": "20.00"},
    )

    assert first.status_code == second.status_code == HTTPStatus.CREATED
    assert (first.json()["num_reprogramacion"], second.json()["num_reprogramacion"]) == (1, 2)
    assert first.json()["ot_principal_id"] == second.json()["ot_principal_id"] == principal.pk
    assert first.json()["orden_trabajo"] == "OT-77" and first.json()["monto_mxn"] == "10.00"
    assert second.json()["monto_mxn"] == "20.00"
    detail = engineer.get(f"{URL}{principal.pk}/").json()
    assert detail["reprogramaciones"] == [first.json()["id"], second.json()["id"]]
    listed = engineer.get(URL, {"solo_principales": "true"}).json()
    assert [o["id"] for o in listed["ots"]] == [principal.pk]
    refused = engineer.delete(f"{URL}{principal.pk}/", **csrf(engineer))
    assert refused.status_code == HTTPStatus.CONFLICT


def test_reprogramming_takes_the_estatus_it_is_given(engineer, csrf):
    principal = OTFactory(estatus=EstatusOT.EN_EJECUCION)
    url = f"{URL}{principal.pk}/reprogramaciones/"

    default = _send(engineer, csrf, "post", url)
    given = _send(engineer, csrf, "post", url, {"estatus": EstatusOT.SUSPENDIDA.value})

    assert default.status_code == given.status_code == HTTPStatus.CREATED
    assert default.json()["estatus"] == EstatusOT.ASIGNADA
    assert given.json()["estatus"] == EstatusOT.SUSPENDIDA


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({"estatus": "uno"}, {"estatus": ['"uno" is not a valid choice.']}),
        ({"estatus": 99}, {"estatus": ['"99" is not a valid choice.']}),
        ({"estatus": [1]}, {"estatus": ['"[1]" is not a valid choice.']}),
        ({"monto_mxn": []}, {"monto_mxn": ["A valid number is required."]}),
        ({"fecha_inicio_programado": 5}, {"fecha_inicio_programado": [ANY]}),
        ([{"estatus": 1}], {"non_field_errors": [ANY]}),
    ],
)
def test_reprogramming_with_wrong_types_is_400(engineer, csrf, caplog, body, fields):
    principal = OTFactory()

    response = engineer.post(
        f"{URL}{principal.pk}/reprogramaciones/",
        json.dumps(body),
        content_type="application/json",
        **csrf(engineer),
    )

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json() == invalid_input(fields)
    assert OT.objects.count() == 1
    assert [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info] == []


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"cliente": 0}, "cliente"),
        ({"monto_mxn": "-1"}, "monto_mxn"),
        ({"plazo_dias": 0}, "plazo_dias"),
        ({"fecha_termino_programado": "2026-06-01"}, "fecha_termino_programado"),
        ({"estatus": 3}, "estatus"),  # an old code, gone with the client's list
    ],
)
def test_create_validation(engineer, csrf, change, field):
    response = _send(engineer, csrf, "post", URL, _body(**change))

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert list(response.json()["fields"]) == [field]
    assert not OT.objects.exists()


def test_site_must_belong_to_frente(engineer, csrf):
    response = _send(engineer, csrf, "post", URL, _body(frente=FrenteFactory().pk))

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert list(response.json()["fields"]) == ["sitio"]


def test_stale_etag_is_412_and_nothing_changes(engineer, csrf):
    ot = OTFactory(comentario="original")
    etag = engineer.get(f"{URL}{ot.pk}/")["ETag"]
    assert (
        _send(
            engineer, csrf, "patch", f"{URL}{ot.pk}/", {"comentario": "nuevo"}, HTTP_IF_MATCH=etag
        ).status_code
        == 200
    )

    stale = _send(
        engineer, csrf, "patch", f"{URL}{ot.pk}/", {"comentario": "pisado"}, HTTP_IF_MATCH=etag
    )

    assert stale.status_code == HTTPStatus.PRECONDITION_FAILED
    ot.refresh_from_db()
    assert ot.comentario == "nuevo"


def test_step_dates(engineer, csrf, pasos_ot):
    ot_id = _send(engineer, csrf, "post", URL, _body(estatus=8)).json()["id"]
    detalle = OTDetalle.objects.filter(ot_id=ot_id).first()

    with time_machine.travel("2026-07-16T10:00:00-06:00", tick=False):
        done = _send(engineer, csrf, "patch", f"{URL}{ot_id}/pasos/{detalle.pk}/", {"estatus": 3})
        detail = engineer.get(f"{URL}{ot_id}/").json()

    assert done.json()["fecha_entrega"] == "2026-07-16"
    # Half the plan (15 of 30 days) and half the steps: 0.7 x 50 + 0.3 x 50.
    assert (detail["progreso"], detail["dias_transcurridos"], detail["dias_restantes"]) == (
        50.0,
        15,
        15,
    )


def test_soft_delete(engineer, csrf):
    ot = OTFactory()

    assert engineer.delete(f"{URL}{ot.pk}/", **csrf(engineer)).status_code == HTTPStatus.NO_CONTENT
    assert engineer.get(f"{URL}{ot.pk}/").status_code == HTTPStatus.NOT_FOUND
    assert OT.all_objects.filter(pk=ot.pk).exists()


def test_list_filters_and_constant_queries(viewer, assert_same_queries):
    cliente = ClienteFactory()
    match = OTFactory(cliente=cliente, estatus=8, descripcion_trabajo="Soldadura hiperbárica")
    OTFactory.create_batch(12)
    viewer.get(URL)  # with Redis the user row and the total are cached after a first request

    assert [o["id"] for o in viewer.get(URL, {"cliente": cliente.pk}).json()["ots"]] == [match.pk]
    assert [o["id"] for o in viewer.get(URL, {"buscar": "hiperbárica"}).json()["ots"]] == [match.pk]
    assert_same_queries(
        lambda: viewer.get(URL, {"elementos_por_pagina": 2}),
        lambda: viewer.get(URL, {"elementos_por_pagina": 13}),
    )


def test_readers_cannot_write(viewer, csrf):
    response = _send(viewer, csrf, "post", URL, _body())

    assert response.status_code == HTTPStatus.FORBIDDEN
    assert viewer.get(URL).status_code == HTTPStatus.OK
