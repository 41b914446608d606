"""The dashboard page people land on after logging in."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from http import HTTPStatus

import pytest
from django.utils import timezone

from sascop.catalogos.tests.factories import ClienteFactory
from sascop.core.datacache import bump
from sascop.ots.models import OT
from sascop.ots.tests.factories import OTFactory
from sascop.produccion.tests.factories import ProduccionFactory
from sascop.ptes.models import PTE
from sascop.ptes.tests.factories import PTEFactory

pytestmark = pytest.mark.django_db


def _chart(html: str, name: str) -> dict:
    found = re.search(rf'<script id="grafica-{name}" type="application/json">(.*?)</script>', html)
    assert found is not None
    return json.loads(found.group(1))


def test_dashboard_shows_the_figures_in_es_mx(viewer, time_machine):
    time_machine.move_to("2026-05-20T12:00:00-06:00", tick=False)
    PTEFactory.create_batch(3, estatus=2)
    cliente = ClienteFactory(descripcion="Pemex Exploración")
    OTFactory(cliente=cliente, monto_mxn=Decimal("1234567.89"), monto_usd=Decimal("950.5"))
    ProduccionFactory(volumen_produccion=Decimal("1234.5"), fecha_produccion=timezone.localdate())

    response = viewer.get("/")

    assert response.status_code == HTTPStatus.OK
    assert "no-store" in response["Cache-Control"]
    page = response.content.decode()
    assert '<a class="cifra" href="/ptes/">\n      <strong>3</strong><span>PTEs</span>' in page
    assert '<a href="/ptes/?estatus=2">En proceso: <strong>3</strong></a>' in page
    # Each OT status count opens the OT list filtered by it.
    assert _chart(page, "ots")["enlaces"] == [
        f"/ots/?estatus={e}" for e in (5, 6, 7, 8, 9, 10, 11, 16)
    ]
    assert "<strong>$1,235,567.89</strong><span>Monto de OTs (MXN)</span>" in page
    assert "<strong>$1,000.50</strong><span>Monto de OTs (USD)</span>" in page
    assert '<td>may 2026</td><td class="num">1,234.50</td>' in page
    assert "<td>Pemex Exploración</td>" in page
    assert _chart(page, "ptes") == {
        "etiquetas": ["Pendiente", "En proceso", "Entregada", "Cancelada", "Suspendida"],
        "series": [{"nombre": "PTEs", "valores": [0, 3, 0, 0, 0]}],
        "formato": "entero",
        "enlaces": [f"/ptes/?estatus={e}" for e in (1, 2, 3, 4, 9)],
        "horizontal": False,
    }
    produccion = _chart(page, "produccion")
    assert produccion["etiquetas"][-2:] == ["abr 2026", "may 2026"]
    assert produccion["series"][0]["valores"][-1] == "1234.5000"  # exact; the chart parses it
    clientes = _chart(page, "clientes")
    assert clientes["etiquetas"][0] == "Pemex Exploración"
    assert clientes["series"] == [{"nombre": "Monto MXN", "valores": ["1234567.89", "1000.00"]}]
    assert '<script src="/static/vendor/chart.js/chart.umd.min.js" defer></script>' in page


def test_dashboard_without_a_role_says_so(client, user, json_login):
    json_login()

    page = client.get("/").content.decode()

    assert "no tiene un rol asignado" in page
    assert "PTEs por estatus" not in page
    assert "chart.umd.min.js" not in page


def test_dashboard_queries_do_not_grow_with_the_data(
    viewer, django_assert_max_num_queries, django_assert_num_queries
):
    PTEFactory(estatus=1)
    ProduccionFactory()
    viewer.get("/api/user/")  # the user row is cached after the first request with Redis
    with django_assert_max_num_queries(100) as small:
        viewer.get("/")

    PTEFactory.create_batch(10, estatus=2)
    for _ in range(12):  # more clients than the chart shows
        ProduccionFactory()
    bump(PTE)  # measure the computation, not an answer cached with Redis
    bump(OT)
    with django_assert_num_queries(len(small)):
        viewer.get("/")
