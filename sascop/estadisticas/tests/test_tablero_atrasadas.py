"""The dashboard's late OTs: their figure, their list, and the OT list their count opens
(exactly the rows counted, under every filter of the dashboard)."""

from __future__ import annotations

import datetime
import html as html_lib
import re

import pytest

from sascop.catalogos.estatus import EstatusOT
from sascop.catalogos.tests.factories import ClienteFactory
from sascop.core.cache.datacache import bump
from sascop.ots.models import OT
from sascop.ots.tests.factories import OTFactory

pytestmark = pytest.mark.django_db
HOY = "2026-07-16T10:00:00-06:00"


def _ot(orden, cliente, inicio, fin, estatus=EstatusOT.EN_EJECUCION):
    return OTFactory(
        orden_trabajo=orden,
        cliente=cliente,
        estatus=estatus,
        fecha_inicio_programado=inicio,
        fecha_termino_programado=fin,
    )


@pytest.fixture
def ots(time_machine):
    time_machine.move_to(HOY, tick=False)
    uno, otro = ClienteFactory(descripcion="PEP Cantarell"), ClienteFactory(descripcion="PEP Ku")
    junio, julio = datetime.date(2026, 6, 1), datetime.date(2026, 7, 1)
    _ot("L-1", uno, junio, datetime.date(2026, 7, 15))  # 1 day late
    _ot("L-30", uno, junio, datetime.date(2026, 6, 16), EstatusOT.SUSPENDIDA)  # 30 days
    _ot("L-FUERA", uno, datetime.date(2026, 3, 1), datetime.date(2026, 4, 1))  # other dates
    _ot("L-OTRO", otro, junio, datetime.date(2026, 7, 1))  # another client
    _ot("HOY", uno, junio, datetime.date(2026, 7, 16))  # due today: not late
    _ot("FIN", uno, junio, datetime.date(2026, 6, 20), EstatusOT.TERMINADA)
    _ot("CAN", uno, julio, datetime.date(2026, 7, 2), EstatusOT.CANCELADA)
    return uno, otro


def _enlace_atrasadas(page: str) -> str:
    found = re.search(r'<a class="cifra" id="cifra-atrasadas" href="([^"]+)">', page)
    assert found is not None
    return html_lib.unescape(found.group(1))


def _ordenes(page: str) -> list[str]:
    tabla = page[page.index('id="tabla-ots"') :]
    return re.findall(r'href="/ots/\d+/">([^<]+)</a>', tabla)


def test_the_figure_counts_late_ots_and_opens_exactly_them(viewer, ots):
    uno, _otro = ots
    page = viewer.get("/", {"desde": "2026-06-01", "hasta": "2026-06-30", "cliente": uno.pk})
    page = page.content.decode()

    assert re.search(
        r'id="cifra-atrasadas"[^>]*>\s*<strong class="atraso">2</strong><span>OTs atrasadas', page
    )
    enlace = _enlace_atrasadas(page)
    assert enlace == (
        f"/ots/?atrasadas=true&fecha_desde=2026-06-01&fecha_hasta=2026-06-30&cliente={uno.pk}"
        "&orden=fecha_termino_programado"
    )
    lista = viewer.get(enlace).content.decode()
    assert _ordenes(lista) == ["L-30", "L-1"]  # by programmed end: the most late first
    assert "<strong>2</strong> OTs" in lista
    # The API answers the same rows for the same filters.
    api = viewer.get("/operaciones/api/ots/" + enlace[len("/ots/") :]).json()
    assert [o["orden_trabajo"] for o in api["ots"]] == ["L-30", "L-1"]


def test_the_dashboard_lists_the_late_ots_most_late_first(viewer, ots):
    page = viewer.get("/").content.decode()

    tabla = page[page.index('id="atrasadas"') :]
    tabla = tabla[: tabla.index("</table>")]
    filas = re.findall(r'href="/ots/\d+/">([^<]+)</a>.*?<td class="num">([\d,]+)</td>', tabla, re.S)
    assert filas == [("L-FUERA", "106"), ("L-30", "30"), ("L-OTRO", "15"), ("L-1", "1")]
    assert "OTs atrasadas (<a href=" in page
    assert _enlace_atrasadas(page) == "/ots/?atrasadas=true&orden=fecha_termino_programado"
    assert _ordenes(viewer.get(_enlace_atrasadas(page)).content.decode()) == [
        "L-FUERA",
        "L-30",
        "L-OTRO",
        "L-1",
    ]


def test_without_late_ots_the_dashboard_says_so(viewer, time_machine):
    time_machine.move_to(HOY, tick=False)
    _ot("HOY", ClienteFactory(), datetime.date(2026, 6, 1), datetime.date(2026, 7, 16))

    page = viewer.get("/").content.decode()

    assert "Ninguna OT atrasada." in page
    assert re.search(r'id="cifra-atrasadas"[^>]*>\s*<strong>0</strong>', page)


def test_status_and_client_counts_keep_the_dashboards_dates(viewer, ots):
    uno, _otro = ots
    page = viewer.get("/", {"desde": "2026-06-01", "hasta": "2026-06-30"}).content.decode()

    fechas = "fecha_desde=2026-06-01&amp;fecha_hasta=2026-06-30"
    assert f'<a href="/ots/?estatus=8&amp;{fechas}">En ejecución: <strong>3</strong></a>' in page
    assert f'href="/ots/?cliente={uno.pk}&amp;{fechas}"' in page
    en_ejecucion = viewer.get(
        "/ots/", {"estatus": 8, "fecha_desde": "2026-06-01", "fecha_hasta": "2026-06-30"}
    ).content.decode()
    assert sorted(_ordenes(en_ejecucion)) == ["HOY", "L-1", "L-OTRO"]


def test_the_dashboards_queries_do_not_grow_with_late_ots(
    viewer, time_machine, django_assert_max_num_queries, django_assert_num_queries
):
    time_machine.move_to(HOY, tick=False)
    cliente = ClienteFactory()
    inicio = datetime.date(2026, 6, 1)
    _ot("A", cliente, inicio, datetime.date(2026, 7, 1))
    viewer.get("/api/user/")
    for vez, url in enumerate(("/", f"/?desde=2026-01-01&cliente={cliente.pk}")):
        with django_assert_max_num_queries(100) as pocas:
            viewer.get(url)
        for n in range(15):  # more than the dashboard lists
            _ot(
                f"B{vez}-{n}",
                cliente,
                inicio,
                datetime.date(2026, 6, 1) + datetime.timedelta(days=n),
            )
        bump(OT)
        with django_assert_num_queries(len(pocas)):
            viewer.get(url)


def test_the_pte_list_keeps_the_dashboards_dates(viewer):
    from sascop.ptes.tests.factories import PTEFactory

    PTEFactory(oficio_pte="PTE-MARZO", estatus=2, fecha_solicitud=datetime.date(2026, 3, 5))
    PTEFactory(oficio_pte="PTE-ENERO", estatus=2, fecha_solicitud=datetime.date(2026, 1, 5))
    page = viewer.get("/", {"desde": "2026-02-01", "hasta": "2026-04-30"}).content.decode()
    enlace = re.search(r'<a href="([^"]+)">En proceso: <strong>1</strong></a>', page)
    assert enlace is not None

    lista = viewer.get(html_lib.unescape(enlace.group(1))).content.decode()

    assert "PTE-MARZO" in lista and "PTE-ENERO" not in lista
    assert 'value="2026-02-01"' in lista  # the dates show in the list's filters
