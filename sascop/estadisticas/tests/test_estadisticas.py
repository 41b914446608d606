"""Contract B's dashboard statistics."""

from __future__ import annotations

import datetime
from decimal import Decimal
from http import HTTPStatus

import pytest
from django.utils import timezone

from sascop.catalogos.estatus import EstatusOT
from sascop.core.cache.datacache import bump
from sascop.ots.tests.factories import OTFactory
from sascop.produccion.tests.factories import ProduccionFactory
from sascop.ptes.models import PTE
from sascop.ptes.tests.factories import PTEFactory
from tests.envelope import assert_error

pytestmark = pytest.mark.django_db
URL = "/operaciones/api/estadisticas/"


def _data(n: int) -> None:
    today = timezone.localdate()
    for i in range(n):
        PTEFactory(estatus=1 + i % 3)
        ot = OTFactory(
            estatus=EstatusOT.EN_EJECUCION, monto_mxn=Decimal("100.10"), monto_usd=Decimal("5.05")
        )
        ProduccionFactory(ot=ot, fecha_produccion=today, volumen_produccion=Decimal("1.25"))


def test_contract_b_totals_and_breakdowns(viewer, time_machine):
    time_machine.move_to("2026-05-20T12:00:00-06:00", tick=False)
    _data(3)
    deleted_pte = PTEFactory()
    deleted_pte.eliminado_en = timezone.now()
    deleted_pte.save()
    deleted_ot = OTFactory(monto_mxn=Decimal("999"))
    ProduccionFactory(ot=deleted_ot, volumen_produccion=Decimal("1000"))
    deleted_ot.eliminado_en = timezone.now()
    deleted_ot.save()

    response = viewer.get(URL)

    assert response.status_code == HTTPStatus.OK
    meses = [{"mes": f"2025-{m:02}", "volumen": "0.0000"} for m in range(6, 13)] + [
        {"mes": f"2026-{m:02}", "volumen": "0.0000"} for m in range(1, 5)
    ]
    assert response.json() == {
        "total_ptes": 3,
        "total_otes": 3,
        "total_produccion": 3,
        # Contract B's one number; every other amount or volume is a decimal string.
        "volumen_total": 3.75,
        "ptes_por_estatus": [
            {"estatus": 1, "estatus_texto": "Pendiente", "total": 1},
            {"estatus": 2, "estatus_texto": "En proceso", "total": 1},
            {"estatus": 3, "estatus_texto": "Entregada", "total": 1},
            {"estatus": 4, "estatus_texto": "Cancelada", "total": 0},
            {"estatus": 9, "estatus_texto": "Suspendida", "total": 0},
        ],
        # The client's codes, in its order.
        "otes_por_estatus": [
            {"estatus": 5, "estatus_texto": "Asignada", "total": 0},
            {"estatus": 6, "estatus_texto": "Cancelada", "total": 0},
            {"estatus": 7, "estatus_texto": "Diferida", "total": 0},
            {"estatus": 8, "estatus_texto": "En ejecución", "total": 3},
            {"estatus": 9, "estatus_texto": "Suspendida", "total": 0},
            {"estatus": 10, "estatus_texto": "Terminada", "total": 0},
            {"estatus": 11, "estatus_texto": "Por cancelar", "total": 0},
            {"estatus": 16, "estatus_texto": "Diferida (sin iniciar)", "total": 0},
        ],
        # Each OT's production made it an anexo (one line, 100 x $1,000.00): its contracted
        # amount is the anexo's, not the amount typed.
        "montos_ot": {"mxn": "300000.00", "usd": "0.00"},
        "produccion_por_mes": [*meses, {"mes": "2026-05", "volumen": "3.7500"}],
    }


def test_empty_database(viewer):
    body = viewer.get(URL).json()

    assert (body["total_ptes"], body["total_otes"], body["total_produccion"]) == (0, 0, 0)
    assert body["volumen_total"] == 0


def test_query_count_is_constant(viewer, django_assert_max_num_queries, django_assert_num_queries):
    _data(1)
    viewer.get("/api/user/")  # the user row is cached after the first request with Redis

    with django_assert_max_num_queries(100) as small:
        viewer.get(URL)
    _data(8)
    bump(PTE)  # measure a computation, not a cached answer
    with django_assert_num_queries(len(small)):
        viewer.get(URL)


def test_every_write_refreshes_the_numbers(viewer, engineer, csrf):
    _data(1)
    assert viewer.get(URL).json()["total_ptes"] == 1
    pte = PTEFactory()
    assert viewer.get(URL).json()["total_ptes"] == 2
    etag = engineer.get(f"/operaciones/api/ptes/{pte.pk}/")["ETag"]

    engineer.delete(f"/operaciones/api/ptes/{pte.pk}/", HTTP_IF_MATCH=etag, **csrf(engineer))

    assert viewer.get(URL).json()["total_ptes"] == 1


def test_requires_a_reading_role(client, user, json_login):
    json_login()

    response = client.get(URL)

    assert_error(response, HTTPStatus.FORBIDDEN, "permission_denied")


def test_month_window_handles_year_boundaries(viewer, time_machine):
    time_machine.move_to("2026-01-15T12:00:00-06:00", tick=False)
    ProduccionFactory(fecha_produccion=datetime.date(2025, 2, 1), volumen_produccion=Decimal("2"))
    ProduccionFactory(fecha_produccion=datetime.date(2025, 1, 31), volumen_produccion=Decimal("7"))

    meses = viewer.get(URL).json()["produccion_por_mes"]

    assert [m["mes"] for m in meses][:2] == ["2025-02", "2025-03"]
    assert meses[0]["volumen"] == "2.0000"


def test_volume_sums_keep_the_stored_precision(viewer):
    for volume in ("0.1", "0.2", "1234567.8901", "0.0003"):
        ProduccionFactory(volumen_produccion=Decimal(volume))

    assert viewer.get(URL).json()["volumen_total"] == 1234568.1904


def test_amounts_by_client_largest_first_without_deleted_ots(django_assert_num_queries):
    from sascop.catalogos.tests.factories import ClienteFactory
    from sascop.estadisticas.selectors import montos_por_cliente

    pemex, cfe, tercero = (
        ClienteFactory(descripcion="PEP"),
        ClienteFactory(descripcion="CFE"),
        (ClienteFactory(descripcion="Otro")),
    )
    OTFactory(cliente=pemex, monto_mxn=Decimal("1000.10"), monto_usd=Decimal("1"))
    OTFactory(cliente=pemex, monto_mxn=Decimal("2000.20"), monto_usd=Decimal("2.50"))
    OTFactory(cliente=cfe, monto_mxn=Decimal("5000"), monto_usd=Decimal("0"))
    OTFactory(cliente=tercero, monto_mxn=Decimal("1"), monto_usd=Decimal("0"))
    borrada = OTFactory(cliente=tercero, monto_mxn=Decimal("999999"))
    borrada.eliminado_en = timezone.now()
    borrada.save()

    # The running totals, and the anexos' adjustments to them (none here).
    with django_assert_num_queries(2):
        filas = montos_por_cliente(limite=2)

    assert filas == [
        {
            "cliente_id": cfe.pk,
            "cliente": "CFE",
            "total_otes": 1,
            "mxn": Decimal("5000.00"),
            "usd": Decimal("0.00"),
        },
        {
            "cliente_id": pemex.pk,
            "cliente": "PEP",
            "total_otes": 2,
            "mxn": Decimal("3000.30"),
            "usd": Decimal("3.50"),
        },
    ]


def test_amounts_by_client_cost_one_query_however_many_clients(django_assert_num_queries):
    from sascop.estadisticas.selectors import montos_por_cliente

    OTFactory.create_batch(12)

    with django_assert_num_queries(2):
        assert len(montos_por_cliente()) == 10
