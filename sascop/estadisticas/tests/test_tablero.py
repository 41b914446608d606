"""The dashboard page people land on after logging in."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from http import HTTPStatus

import pytest
from django.conf import settings
from django.utils import timezone

from sascop.catalogos.tests.factories import ClienteFactory
from sascop.core.cache.datacache import bump
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
    # The production's OT has an anexo (one line, 100 x $1,000.00): its contracted amount is
    # the anexo's $100,000.00, not the $1,000.00 typed.
    assert "<strong>$1,334,567.89</strong><span>Monto de OTs (MXN)</span>" in page
    assert "<strong>$950.50</strong><span>Monto de OTs (USD)</span>" in page
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
    assert clientes["series"] == [{"nombre": "Monto MXN", "valores": ["1234567.89", "100000.00"]}]
    assert re.search(
        r'<script src="/static/vendor/chart.js/chart.umd.min.js" nonce="[^"]+" defer></script>',
        page,
    )


def test_dashboard_without_a_role_says_so(client, user, json_login):
    json_login()

    page = client.get("/").content.decode()

    assert "no tiene un rol asignado" in page
    assert "PTEs por estatus" not in page
    assert "chart.umd.min.js" not in page


# The session, the user's permissions (two), the running totals (PTEs, OTs, production,
# anexos, overdue PTEs, late OTs), the amounts by client, the first overdue PTEs and late OTs,
# the client filter's choices and the estimaciones panel (two); with Redis the user row comes
# from the cache. However many rows there are.
QUERIES_TABLERO = 15 - (1 if settings.REDIS_URL else 0)


def test_dashboard_queries_do_not_grow_with_the_data(viewer, django_assert_num_queries):
    PTEFactory(estatus=1)
    ProduccionFactory()
    viewer.get("/api/user/")  # the user row is cached after the first request with Redis
    with django_assert_num_queries(QUERIES_TABLERO):
        viewer.get("/")

    PTEFactory.create_batch(10, estatus=2)
    for _ in range(12):  # more clients than the chart shows
        ProduccionFactory()
    bump(PTE)  # measure the computation, not an answer cached with Redis
    bump(OT)
    with django_assert_num_queries(QUERIES_TABLERO):
        viewer.get("/")


# --- Filters and overdue PTEs ------------------------------------------------------------


def test_date_range_and_client_narrow_every_figure_and_link(viewer, time_machine):
    import datetime

    time_machine.move_to("2026-05-20T12:00:00-06:00", tick=False)
    uno, otro = ClienteFactory(descripcion="PEP Cantarell"), ClienteFactory(descripcion="PEP Ku")
    PTEFactory(cliente=uno, estatus=2, fecha_solicitud=datetime.date(2026, 3, 5))
    PTEFactory(cliente=uno, estatus=2, fecha_solicitud=datetime.date(2025, 1, 5))
    PTEFactory(cliente=otro, estatus=2, fecha_solicitud=datetime.date(2026, 3, 6))
    OTFactory(
        cliente=uno, monto_mxn=Decimal("100"), fecha_inicio_programado=datetime.date(2026, 3, 1)
    )
    OTFactory(
        cliente=otro, monto_mxn=Decimal("900"), fecha_inicio_programado=datetime.date(2026, 3, 1)
    )
    ProduccionFactory(
        ot=OT.objects.get(cliente=uno),
        volumen_produccion=Decimal("7"),
        fecha_produccion=datetime.date(2026, 3, 10),
    )

    page = viewer.get(f"/?desde=2026-02-01&hasta=2026-04-30&cliente={uno.pk}").content.decode()

    # Every count opens its list with every filter of the dashboard, the dates included.
    fechas = "fecha_desde=2026-02-01&amp;fecha_hasta=2026-04-30"
    assert (
        f'<a href="/ptes/?estatus=2&amp;{fechas}&amp;cliente={uno.pk}">'
        "En proceso: <strong>1</strong></a>" in page
    )
    assert f'<a class="cifra" href="/ptes/?{fechas}&amp;cliente={uno.pk}">' in page
    # The client's OT has production, so an anexo (100 x $1,000.00): its contracted amount.
    assert "<strong>$100,000.00</strong><span>Monto de OTs (MXN)</span>" in page
    assert _chart(page, "produccion")["etiquetas"] == ["feb 2026", "mar 2026", "abr 2026"]
    assert _chart(page, "produccion")["series"][0]["valores"] == ["0.0000", "7.0000", "0.0000"]
    assert _chart(page, "clientes")["etiquetas"] == ["PEP Cantarell"]
    assert 'value="2026-02-01"' in page and "Quitar filtros" in page

    todo = viewer.get("/").content.decode()
    assert '<a href="/ptes/?estatus=2">En proceso: <strong>3</strong></a>' in todo
    assert "Quitar filtros" not in todo


def test_a_filter_that_is_not_one_is_reported_and_left_out(viewer):
    PTEFactory(estatus=1)

    response = viewer.get("/?desde=ayer&cliente=999999")
    al_reves = viewer.get("/?desde=2026-05-01&hasta=2026-04-01").content.decode()

    page = response.content.decode()
    assert response.status_code == HTTPStatus.OK
    assert 'id="id_desde_error"' in page and 'id="id_cliente_error"' in page
    assert "Debe ser igual o posterior a «Desde»." in al_reves
    assert '<a href="/ptes/?estatus=1">Pendiente: <strong>1</strong></a>' in page


def test_overdue_ptes_are_listed_most_late_first(viewer, time_machine):
    import datetime

    time_machine.move_to("2026-05-20T12:00:00-06:00", tick=False)
    comun = {"fecha_solicitud": datetime.date(2026, 5, 1)}
    PTEFactory(oficio_pte="A-TARDE", estatus=2, plazo_dias=10, **comun)  # due 11/05
    PTEFactory(oficio_pte="B-MAS-TARDE", estatus=1, plazo_dias=5, **comun)  # due 06/05
    PTEFactory(oficio_pte="C-HOY", estatus=1, plazo_dias=19, **comun)  # due today: not late
    PTEFactory(oficio_pte="D-ENTREGADA", estatus=3, plazo_dias=1, **comun)
    PTEFactory(oficio_pte="E-CANCELADA", estatus=4, plazo_dias=1, **comun)
    PTEFactory(
        oficio_pte="F-CON-ENTREGA",
        estatus=2,
        plazo_dias=1,
        fecha_entrega=datetime.date(2026, 5, 2),
        **comun,
    )

    page = viewer.get("/").content.decode()

    assert "PTEs vencidas (2)" in page
    assert re.findall(r'<a href="/ptes/\d+/">([^<]+)</a>', page) == ["B-MAS-TARDE", "A-TARDE"]
    assert '<td class="nowrap">06/05/2026</td>\n                <td class="num">14</td>' in page


def test_overdue_selector_counts_in_the_database_on_every_backend():
    import datetime

    from sascop.ptes.selectors import ptes_vencidas

    cliente = ClienteFactory()
    late = PTEFactory(
        estatus=2, plazo_dias=30, fecha_solicitud=datetime.date(2026, 1, 31), cliente=cliente
    )
    PTEFactory(estatus=2, plazo_dias=30, fecha_solicitud=datetime.date(2026, 2, 28))

    # 31 Jan + 30 days = 2 Mar (across February's end): late on 3 Mar, not on 2 Mar.
    assert list(ptes_vencidas(datetime.date(2026, 3, 2))) == []
    assert list(ptes_vencidas(datetime.date(2026, 3, 3))) == [late]
    assert ptes_vencidas(datetime.date(2026, 3, 3)).get().vence == datetime.date(2026, 3, 2)
    assert list(ptes_vencidas(datetime.date(2026, 4, 1), cliente_id=cliente.pk)) == [late]


def test_filtered_dashboard_queries_do_not_grow_with_the_data(
    viewer, django_assert_max_num_queries, django_assert_num_queries
):
    import datetime

    cliente = ClienteFactory()
    url = f"/?desde=2026-01-01&hasta=2026-12-31&cliente={cliente.pk}"
    PTEFactory(cliente=cliente, fecha_solicitud=datetime.date(2025, 1, 1), plazo_dias=1)
    viewer.get("/api/user/")
    with django_assert_max_num_queries(100) as small:
        viewer.get(url)

    for _ in range(12):  # more overdue PTEs than listed, more OTs
        PTEFactory(cliente=cliente, fecha_solicitud=datetime.date(2025, 1, 1), plazo_dias=1)
        OTFactory(cliente=cliente, fecha_inicio_programado=datetime.date(2026, 3, 1))
    bump(PTE)
    bump(OT)
    with django_assert_num_queries(len(small)):
        viewer.get(url)
