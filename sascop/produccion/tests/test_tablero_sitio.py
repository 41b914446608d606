"""The site board (`/produccion/sitios/`) and the guard calendar (`/produccion/guardias/`)."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal
from http import HTTPStatus

import pytest

from sascop.catalogos.tests.factories import (
    CicloGuardiaFactory,
    SitioFactory,
    SuperintendenteFactory,
)
from sascop.ots.tests.factories import OTFactory
from sascop.precios.tests.factories import linea_de
from sascop.produccion import tablero_sitio
from sascop.produccion.models import Produccion, ReporteDiario
from sascop.produccion.tests.factories import ProduccionFactory

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def sitio():
    return SitioFactory(descripcion="Akal-C")


def _ot(sitio, **fechas):
    return OTFactory(sitio=sitio, **fechas)


def _filas(tablero):
    return {str(f.ot): f for f in tablero.filas}


def test_the_ots_active_at_the_site_that_month_and_only_those(sitio):
    otro = SitioFactory()
    programada = _ot(
        sitio,
        orden_trabajo="OT-PROG",
        fecha_inicio_programado=D(2026, 2, 20),
        fecha_termino_programado=D(2026, 3, 5),
    )
    # Real dates overlapping the month, programmed ones long past; at the site as its vessel.
    real = OTFactory(
        sitio=otro,
        embarcacion=sitio,
        orden_trabajo="OT-REAL",
        fecha_inicio_programado=D(2025, 1, 1),
        fecha_termino_programado=D(2025, 2, 1),
        fecha_inicio_real=D(2026, 3, 25),
    )
    # Elsewhere, but it reported production here this month.
    de_paso = _ot(otro, orden_trabajo="OT-PASO")
    ProduccionFactory(ot=de_paso, sitio=sitio, fecha_produccion=D(2026, 3, 10))
    _ot(sitio, orden_trabajo="OT-ANTES", fecha_inicio_programado=D(2026, 1, 1),
        fecha_termino_programado=D(2026, 2, 28))  # fmt: skip
    _ot(otro, orden_trabajo="OT-OTRO", fecha_inicio_programado=D(2026, 3, 1),
        fecha_termino_programado=D(2026, 3, 31))  # fmt: skip
    borrada = _ot(sitio, orden_trabajo="OT-BORRADA", fecha_inicio_programado=D(2026, 3, 1),
                  fecha_termino_programado=D(2026, 3, 31))  # fmt: skip
    borrada.eliminado_en = datetime.datetime(2026, 3, 2, tzinfo=datetime.UTC)
    borrada.save()

    tablero = tablero_sitio.tablero_sitio(sitio=sitio, anio=2026, mes=3)

    filas = _filas(tablero)
    assert list(filas) == ["OT-PASO", "OT-PROG", "OT-REAL"]
    dentro = {n: [d.dia for d in f.dias if d.dentro] for n, f in filas.items()}
    assert dentro["OT-PROG"] == [1, 2, 3, 4, 5]
    assert dentro["OT-REAL"] == list(range(25, 32))  # begun, not finished: still running
    assert dentro["OT-PASO"] == []  # no dates: every day outside, the amount still shown
    assert [d.dia for d in filas["OT-PASO"].dias if d.importe] == [10]
    assert programada.pk and real.pk


def test_executed_amount_per_day_is_volume_times_the_lines_price(sitio):
    ot = _ot(sitio, fecha_inicio_programado=D(2026, 3, 1), fecha_termino_programado=D(2026, 3, 31))
    cara = linea_de(ot, pu_mn=Decimal("1234.50"))
    barata = linea_de(ot, pu_mn=Decimal("10.00"))
    fila = dict(ot=ot, sitio=sitio, fecha_produccion=D(2026, 3, 4))
    ProduccionFactory(**fila, partida_anexo=cara, volumen_produccion=Decimal("2"))
    ProduccionFactory(
        **fila,
        partida_anexo=cara,
        volumen_produccion=Decimal("0.5"),
        tipo_tiempo=Produccion.TipoTiempo.CMA,
    )
    ProduccionFactory(**fila, partida_anexo=barata, volumen_produccion=Decimal("3.3333"))
    # Another site's and another month's production count for nothing here.
    ProduccionFactory(
        ot=ot, partida_anexo=cara, sitio=SitioFactory(), fecha_produccion=D(2026, 3, 4)
    )
    ProduccionFactory(ot=ot, partida_anexo=cara, sitio=sitio, fecha_produccion=D(2026, 4, 1))

    tablero = tablero_sitio.tablero_sitio(sitio=sitio, anio=2026, mes=3)

    (fila_ot,) = tablero.filas
    # 2.5 by 1,234.50, plus 3.3333 by 10 (33.333 rounds to 33.33)
    assert fila_ot.dias[3].importe == Decimal("3086.25") + Decimal("33.33")
    assert [d.importe for d in fila_ot.dias if d.dia != 4] == [None] * 30
    assert fila_ot.total == Decimal("3119.58") == tablero.total
    assert tablero.totales[3] == Decimal("3119.58")


def test_the_daily_report_state_of_each_day(sitio, user):
    ot = _ot(sitio, fecha_inicio_programado=D(2026, 3, 10), fecha_termino_programado=D(2026, 3, 20))
    ReporteDiario.objects.create(ot=ot, sitio=sitio, fecha=D(2026, 3, 11), estatus="FIRMADO")
    ReporteDiario.objects.create(ot=ot, sitio=sitio, fecha=D(2026, 3, 12), estatus="PROCESO")
    ReporteDiario.objects.create(
        ot=ot, sitio=SitioFactory(), fecha=D(2026, 3, 13), estatus="FIRMADO"
    )

    (fila,) = tablero_sitio.tablero_sitio(sitio=sitio, anio=2026, mes=3).filas

    estados = {d.dia: d.estado for d in fila.dias}
    assert estados[9] is None  # outside the OT's dates: no day to report
    assert estados[10] == "PENDIENTE"
    assert estados[11] == "FIRMADO" and estados[12] == "PROCESO"
    assert estados[13] == "PENDIENTE"  # the other site's report is not this one's


def _board(c, sitio, anio=2026, mes=3):
    return c.get(f"/produccion/sitios/?sitio={sitio.pk}&anio={anio}&mes={mes}")


def test_the_page_shows_each_ot_linked_to_its_sheet_with_shaded_days(viewer, sitio):
    ot = _ot(
        sitio,
        orden_trabajo="OT-777",
        fecha_inicio_programado=D(2026, 3, 3),
        fecha_termino_programado=D(2026, 3, 4),
    )
    linea = linea_de(ot, pu_mn=Decimal("25000.00"))
    ProduccionFactory(
        ot=ot, partida_anexo=linea, sitio=sitio, fecha_produccion=D(2026, 3, 3),
        volumen_produccion=Decimal("2"),
    )  # fmt: skip

    response = _board(viewer, sitio)

    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    sabana = f"/produccion/sabana/?ot={ot.pk}&amp;anio=2026&amp;mes=3&amp;sitio={sitio.pk}"
    assert f'<a href="{sabana}" class="ot-enlace">OT-777</a>' in html
    celdas = re.findall(r'<td class="celda-sitio( fuera)?"', html.split("<tfoot>")[0])
    assert len(celdas) == 31
    assert [n + 1 for n, c in enumerate(celdas) if not c] == [3, 4]
    assert '<span aria-hidden="true" class="importe">50.0</span>' in html
    assert '<span class="visually-hidden">$50,000.00</span>' in html
    assert "Tablero del sitio" in html and "Marzo 2026" in html
    assert 'title="Pendiente"' in html
    # The board takes nothing: no form posts from it.
    assert 'method="post"' not in html.split("<main")[1].split("</main>")[0].replace(
        'method="post" action="/accounts/logout/"', ""
    )


def test_the_header_row_shows_who_is_on_duty_in_his_colour(viewer, sitio):
    a = SuperintendenteFactory(nombre="Ing. Alberto Pérez", color=3)
    b = SuperintendenteFactory(nombre="Ing. Beatriz Soto", color=4)
    CicloGuardiaFactory(
        sitio=sitio, superintendente_a=a, superintendente_b=b, fecha_inicio=D(2026, 3, 10)
    )
    _ot(sitio, fecha_inicio_programado=D(2026, 3, 1), fecha_termino_programado=D(2026, 3, 31))

    html = _board(viewer, sitio).content.decode()

    fila = html.split('<tr class="fila-guardias">')[1].split("</tr>")[0]
    celdas = re.findall(r'<td class="guardia( guardia-(\d))?">', fila)
    colores = [c[1] for c in celdas]
    assert colores == [""] * 9 + ["3"] * 14 + ["4"] * 8
    assert '<abbr title="Ing. Alberto Pérez">AP</abbr>' in fila


def test_the_page_costs_the_same_queries_for_one_ot_or_many(viewer, sitio, assert_same_queries):
    def con_ots(lugar, n):
        CicloGuardiaFactory(sitio=lugar)
        for _ in range(n):
            ot = _ot(
                lugar, fecha_inicio_programado=D(2026, 3, 1), fecha_termino_programado=D(2026, 3, 9)
            )
            ProduccionFactory(ot=ot, sitio=lugar, fecha_produccion=D(2026, 3, 2))
            ReporteDiario.objects.create(ot=ot, sitio=lugar, fecha=D(2026, 3, 2), estatus="FIRMADO")
        return lugar

    uno, varios = con_ots(sitio, 1), con_ots(SitioFactory(), 6)
    viewer.get("/api/user/")

    assert_same_queries(lambda: _board(viewer, uno), lambda: _board(viewer, varios))


def test_query_count_of_the_board(viewer, sitio, django_assert_max_num_queries):
    CicloGuardiaFactory(sitio=sitio)
    for _ in range(5):
        ot = _ot(
            sitio, fecha_inicio_programado=D(2026, 3, 1), fecha_termino_programado=D(2026, 3, 9)
        )
        ProduccionFactory(ot=ot, sitio=sitio, fecha_produccion=D(2026, 3, 2))
    viewer.get("/api/user/")

    with django_assert_max_num_queries(12):
        assert _board(viewer, sitio).status_code == HTTPStatus.OK


def test_without_a_site_the_page_asks_for_one_and_a_bad_month_is_a_400(viewer, sitio):
    inicio = viewer.get("/produccion/sitios/")
    malo = viewer.get(f"/produccion/sitios/?sitio={sitio.pk}&anio=2026&mes=13")

    assert inicio.status_code == HTTPStatus.OK
    assert 'name="sitio"' in inicio.content.decode()
    assert malo.status_code == HTTPStatus.BAD_REQUEST


def test_the_board_needs_the_production_permission(client, json_login, sitio):
    from django.test import Client

    from sascop.accounts.tests.factories import UserFactory

    anonimo = client.get(f"/produccion/sitios/?sitio={sitio.pk}")
    sin_rol = UserFactory()
    c = Client()
    json_login(sin_rol.username, c=c)

    assert anonimo.status_code == HTTPStatus.FOUND
    assert anonimo["Location"].startswith("/accounts/login/")
    assert _board(c, sitio).status_code == HTTPStatus.FORBIDDEN
    assert c.get(f"/produccion/guardias/?sitio={sitio.pk}").status_code == HTTPStatus.FORBIDDEN


def test_the_guard_calendar_shows_the_month_in_each_superintendents_colour(viewer, sitio):
    a = SuperintendenteFactory(nombre="Ing. Alberto Pérez", color=1)
    b = SuperintendenteFactory(nombre="Ing. Beatriz Soto", color=2)
    CicloGuardiaFactory(
        sitio=sitio, superintendente_a=a, superintendente_b=b, fecha_inicio=D(2026, 11, 20)
    )

    response = viewer.get(f"/produccion/guardias/?sitio={sitio.pk}&anio=2026&mes=12")

    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    dias = re.findall(
        r'<td class="guardia-(\d)[^"]*"[^>]*>\s*<span class="numero-dia">(\d+)</span>', html
    )
    # 20 Nov + 14 = 4 Dec (B), + 28 = 18 Dec (A); 1 Dec 2026 is a Tuesday.
    assert [int(d) for _, d in dias] == list(range(1, 32))
    assert [c for c, _ in dias] == ["1"] * 3 + ["2"] * 14 + ["1"] * 14
    assert html.count('<td class="fuera-del-mes">') == 1 + 3  # Monday 30 Nov; 1-3 Jan
    assert "Ing. Alberto Pérez" in html and "(17 días)" in html and "(14 días)" in html
    assert "Diciembre 2026" in html


def test_the_guard_calendar_without_a_cycle_says_so(viewer, sitio):
    html = viewer.get(f"/produccion/guardias/?sitio={sitio.pk}&anio=2026&mes=12").content
    assert "no tiene ciclo de guardias" in html.decode()
