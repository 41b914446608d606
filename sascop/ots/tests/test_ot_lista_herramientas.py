"""The OT pages on the generic layer: bulk actions through the OT services (one with
re-programmings is not deleted, and the page says why), and edit and delete pages that
read the OT alone, not its steps, re-programmings and progress."""

from __future__ import annotations

import re
from html import unescape
from http import HTTPStatus
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from sascop.catalogos.estatus import EstatusOT
from sascop.ots.models import OT
from sascop.ots.tests.factories import OTFactory

pytestmark = pytest.mark.django_db


def _post(c: Client, url: str, datos: dict) -> Any:
    return c.post(url, {**datos, "csrfmiddlewaretoken": c.cookies["csrftoken"].value})


def _confirmar(c: Client, pedido: dict) -> Any:
    html = _post(c, "/ots/", pedido).content.decode()
    versiones = re.findall(r'name="version-(\d+)" value="([^"]*)"', html)
    return _post(
        c,
        "/ots/",
        {**pedido, "confirmar": "1", **{f"version-{k}": unescape(v) for k, v in versiones}},
    )


def test_a_bulk_delete_leaves_an_ot_with_reprogrammings_and_says_why(engineer):
    principal = OTFactory(orden_trabajo="P")
    reprogramada = OTFactory(orden_trabajo="P", ot_principal=principal, num_reprogramacion=1)
    suelta = OTFactory(orden_trabajo="S")

    response = _confirmar(engineer, {"accion": "eliminar", "pk": [principal.pk, suelta.pk]})

    assert response.status_code == HTTPStatus.FOUND
    assert set(OT.objects.values_list("pk", flat=True)) == {principal.pk, reprogramada.pk}
    html = engineer.get("/ots/").content.decode()
    assert "1 OT eliminadas." in html
    assert "Sin cambios: P (" in html


def test_a_bulk_status_change_goes_through_the_service(engineer):
    ots = [OTFactory(estatus=EstatusOT.ASIGNADA) for _ in range(2)]

    _confirmar(
        engineer,
        {"accion": "estatus", "estatus": EstatusOT.TERMINADA, "pk": [o.pk for o in ots]},
    )

    for ot in OT.objects.all():
        assert ot.estatus == EstatusOT.TERMINADA
        assert ot.fecha_termino_real is not None  # the service stamps it


def test_the_edit_and_delete_pages_read_the_ot_alone(engineer):
    ot = OTFactory()

    for url in (f"/ots/{ot.pk}/editar/", f"/ots/{ot.pk}/eliminar/"):
        with CaptureQueriesContext(connection) as consultas:
            assert engineer.get(url).status_code == HTTPStatus.OK
        sql = " ".join(q["sql"] for q in consultas.captured_queries)
        assert "ots_otdetalle" not in sql
        assert '"ot_principal_id" =' not in sql
