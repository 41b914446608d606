"""The KPIs and the charts' figures over what a search found, on a data set whose every
figure is worked out by hand: amounts, late OTs, executed against authorised (production
priced at the P.U. of the line it was captured on, including a line of an anexo version no
longer in force; authorised only by the active version), and the counts by client, site and
month. The same test runs on SQLite and on PostgreSQL."""

from __future__ import annotations

import datetime
import json
import re
from decimal import Decimal
from http import HTTPStatus
from typing import Any

import pytest
import time_machine

from sascop.catalogos.tests.factories import ClienteFactory, SitioFactory
from sascop.consulta.selectors import Busqueda, Filtro, indicadores
from sascop.ots.models import OT
from sascop.ots.tests.factories import OTFactory
from sascop.precios.tests.factories import (
    AnexoOTFactory,
    ConceptoFactory,
    PartidaAnexoOTFactory,
    linea_de,
)
from sascop.produccion.tests.factories import ProduccionFactory
from sascop.ptes.models import PTE
from sascop.ptes.tests.factories import PTEFactory

URL = "/operaciones/api/consulta/"
pytestmark = pytest.mark.django_db
HOY = datetime.datetime(2026, 12, 7, 12, 0, tzinfo=datetime.UTC)


def _linea(anexo: Any, volumen: str, pu_mn: str, pu_usd: str) -> Any:
    return PartidaAnexoOTFactory(
        anexo_ot=anexo,
        concepto=ConceptoFactory(),
        volumen=Decimal(volumen),
        pu_mn=Decimal(pu_mn),
        pu_usd=Decimal(pu_usd),
    )


def _produce(ot: Any, linea: Any, *volumenes: str) -> None:
    for volumen in volumenes:
        ProduccionFactory(
            ot=ot,
            partida_anexo=linea,
            sitio=ot.sitio or SitioFactory(),  # an OT without a site works at one
            volumen_produccion=Decimal(volumen),
        )


@pytest.fixture
def contrato(db: None) -> dict[str, Any]:
    alfa = ClienteFactory(descripcion="Cliente Alfa")
    beta = ClienteFactory(descripcion="Cliente Beta")
    akal = SitioFactory(descripcion="Akal-C")
    nohoch = SitioFactory(descripcion="Nohoch-A")
    atrasada = OTFactory(
        descripcion_trabajo="Riser de la plataforma",
        cliente=alfa,
        sitio=akal,
        estatus=8,
        fecha_inicio_programado=datetime.date(2026, 1, 15),
        fecha_termino_programado=datetime.date(2026, 2, 28),
        monto_mxn=Decimal("1000.00"),
        monto_usd=Decimal("10.00"),
    )
    terminada = OTFactory(
        descripcion_trabajo="Riser submarino",
        cliente=beta,
        sitio=None,
        frente=None,
        estatus=10,
        fecha_inicio_programado=datetime.date(2026, 3, 2),
        fecha_termino_programado=datetime.date(2026, 3, 30),
        monto_mxn=Decimal("2000.50"),
        monto_usd=Decimal("0.00"),
    )
    OTFactory(  # no programmed dates: no month, never late
        descripcion_trabajo="Riser nuevo",
        cliente=alfa,
        sitio=nohoch,
        estatus=5,
        fecha_inicio_programado=None,
        fecha_termino_programado=None,
        monto_mxn=Decimal("0.00"),
        monto_usd=Decimal("0.00"),
    )
    # Version 1 of the late OT's anexo, replaced by version 2: its line authorises nothing
    # any more, yet what was captured on it was executed at its price.
    anterior = AnexoOTFactory(ot=atrasada, version=1, activo=False)
    vieja = _linea(anterior, "50", "10.00", "1.00")
    vigente = AnexoOTFactory(ot=atrasada, version=2, activo=True)
    l1 = _linea(vigente, "40", "12.50", "0.75")
    l2 = _linea(vigente, "3.3333", "99.99", "0.33")
    _produce(atrasada, vieja, "2.5")  # 25.00 MN, 2.50 USD
    _produce(atrasada, l1, "1.25", "2.75")  # 4 * 12.50 = 50.00 MN, 4 * 0.75 = 3.00 USD
    _produce(atrasada, l2, "1.0001")  # 99.999999 → 100.00 MN, 0.330033 → 0.33 USD
    l3 = linea_de(terminada, volumen=Decimal("10"), pu_mn=Decimal("7.77"), pu_usd=Decimal("0.00"))
    _produce(terminada, l3, "1.5")  # 11.655 → 11.66 MN (half up)
    # An OT the search does not find: its production and anexo count for nothing.
    otra = OTFactory(descripcion_trabajo="Inspección de ductos", cliente=alfa)
    _produce(otra, linea_de(otra, pu_mn=Decimal("1000.00")), "999")
    PTEFactory(
        descripcion_trabajo="Riser de la plataforma",
        cliente=alfa,
        estatus=1,
        fecha_solicitud=datetime.date(2026, 1, 10),
    )
    PTEFactory(
        descripcion_trabajo="Riser submarino",
        cliente=beta,
        estatus=3,
        fecha_solicitud=datetime.date(2026, 3, 20),
    )
    return {"alfa": alfa, "beta": beta, "akal": akal, "nohoch": nohoch}


@time_machine.travel(HOY, tick=False)
def test_the_kpis_and_the_charts_figures_over_what_was_found(admin, contrato):
    response = admin.get(URL, {"q": "riser"})

    assert response.status_code == HTTPStatus.OK
    alfa, beta = contrato["alfa"], contrato["beta"]
    assert response.json()["indicadores"] == {
        "por_tipo": {
            "pte": 2,
            "ot": 3,
            "concepto": 0,
            "linea_anexo": 0,
            "produccion": 0,
            "actividad": 0,
        },
        "ots_monto_mxn": "3000.50",
        "ots_monto_usd": "10.00",
        "ots_atrasadas": 1,
        "ots_por_estatus": [
            {"estatus": 5, "estatus_texto": "Asignada", "total": 1},
            {"estatus": 8, "estatus_texto": "En ejecución", "total": 1},
            {"estatus": 10, "estatus_texto": "Terminada", "total": 1},
        ],
        "ptes_por_estatus": [
            {"estatus": 1, "estatus_texto": "Pendiente", "total": 1},
            {"estatus": 3, "estatus_texto": "Entregada", "total": 1},
        ],
        # 25.00 + 50.00 + 100.00 + 11.66; 2.50 + 3.00 + 0.33 + 0.00
        "ejecutado_mxn": "186.66",
        "ejecutado_usd": "5.83",
        # 500.00 + 333.30 + 77.70; 30.00 + 1.10 + 0.00 (the replaced version's line: nothing)
        "autorizado_mxn": "911.00",
        "autorizado_usd": "31.10",
        "por_cliente": [
            {"cliente": alfa.pk, "cliente_texto": "Cliente Alfa", "ptes": 1, "ots": 2},
            {"cliente": beta.pk, "cliente_texto": "Cliente Beta", "ptes": 1, "ots": 1},
        ],
        "ots_por_sitio": [
            {"sitio": contrato["akal"].pk, "sitio_texto": "Akal-C", "total": 1},
            {"sitio": contrato["nohoch"].pk, "sitio_texto": "Nohoch-A", "total": 1},
            {"sitio": None, "sitio_texto": "", "total": 1},
        ],
        "por_mes": [
            {"mes": "2026-01", "ptes": 1, "ots": 1},
            {"mes": "2026-03", "ptes": 1, "ots": 1},
        ],
    }


@time_machine.travel(HOY, tick=False)
def test_a_filter_narrows_every_figure(admin, contrato):
    cuerpo = admin.get(URL, {"q": "riser", "cliente": contrato["beta"].pk}).json()

    indicadores = cuerpo["indicadores"]
    assert (indicadores["ejecutado_mxn"], indicadores["autorizado_mxn"]) == ("11.66", "77.70")
    assert indicadores["ots_atrasadas"] == 0
    assert indicadores["por_cliente"] == [
        {"cliente": contrato["beta"].pk, "cliente_texto": "Cliente Beta", "ptes": 1, "ots": 1}
    ]
    assert indicadores["ots_por_sitio"] == [{"sitio": None, "sitio_texto": "", "total": 1}]
    assert indicadores["por_mes"] == [{"mes": "2026-03", "ptes": 1, "ots": 1}]


def test_nothing_found_is_zero_and_empty(admin, contrato):
    indicadores = admin.get(URL, {"q": "zzzz"}).json()["indicadores"]

    assert {k: v for k, v in indicadores.items() if k != "por_tipo"} == {
        "ots_monto_mxn": "0.00",
        "ots_monto_usd": "0.00",
        "ots_atrasadas": 0,
        "ots_por_estatus": [],
        "ptes_por_estatus": [],
        "ejecutado_mxn": "0.00",
        "ejecutado_usd": "0.00",
        "autorizado_mxn": "0.00",
        "autorizado_usd": "0.00",
        "por_cliente": [],
        "ots_por_sitio": [],
        "por_mes": [],
    }


def _grafica(html: str, nombre: str) -> dict[str, Any]:
    datos = re.search(rf'<script id="{nombre}" type="application/json">(.*?)</script>', html)
    assert datos is not None, nombre
    return dict(json.loads(datos.group(1)))


@time_machine.travel(HOY, tick=False)
def test_the_page_charts_by_client_site_and_month_with_their_numbers_as_text(admin, contrato):
    response = admin.get("/consulta/", {"q": "riser"})

    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    alfa, beta = contrato["alfa"].pk, contrato["beta"].pk
    akal, nohoch = contrato["akal"].pk, contrato["nohoch"].pk
    assert _grafica(html, "grafica-por-cliente") == {
        "etiquetas": ["Cliente Alfa", "Cliente Beta"],
        "series": [{"nombre": "PTEs", "valores": [1, 1]}, {"nombre": "OTs", "valores": [2, 1]}],
        "formato": "entero",
        "enlaces": [f"/consulta/?q=riser&cliente={alfa}", f"/consulta/?q=riser&cliente={beta}"],
        "horizontal": True,
    }
    assert _grafica(html, "grafica-por-sitio") == {
        "etiquetas": ["Akal-C", "Nohoch-A", "Sin sitio"],
        "series": [{"nombre": "OTs", "valores": [1, 1, 1]}],
        "formato": "entero",
        "enlaces": [
            f"/consulta/?q=riser&tipo=ot&sitio={akal}",
            f"/consulta/?q=riser&tipo=ot&sitio={nohoch}",
            None,
        ],
        "horizontal": True,
    }
    assert _grafica(html, "grafica-por-mes") == {
        "etiquetas": ["Ene 2026", "Mar 2026"],
        "series": [{"nombre": "PTEs", "valores": [1, 1]}, {"nombre": "OTs", "valores": [1, 1]}],
        "formato": "entero",
        "enlaces": [
            "/consulta/?q=riser&desde=2026-01-01&hasta=2026-01-31",
            "/consulta/?q=riser&desde=2026-03-01&hasta=2026-03-31",
        ],
        "horizontal": False,
    }
    # The same numbers as text under each chart, and the executed and authorised amounts.
    texto = re.sub(r"<[^>]+>", "", html)
    assert "Cliente Alfa: 1 PTEs, 2 OTs" in texto
    assert "Sin sitio: 1" in texto
    assert "Mar 2026: 1 PTEs, 1 OTs" in texto
    assert re.search(r"\$186\.66\s*Ejecutado \(MXN\)", texto)
    assert re.search(r"\$911\.00\s*Autorizado \(MXN\)", texto)


def test_a_chart_of_many_clients_keeps_twelve_bars_and_lists_them_all(admin, db):
    for n in range(14):
        OTFactory(descripcion_trabajo="Riser", cliente=ClienteFactory(descripcion=f"C{n:02d}"))

    html = admin.get("/consulta/", {"q": "riser"}).content.decode()

    grafica = _grafica(html, "grafica-por-cliente")
    assert grafica["etiquetas"] == [*(f"C{n:02d}" for n in range(11)), "Otros (3)"]
    assert grafica["series"][1] == {"nombre": "OTs", "valores": [1] * 11 + [3]}
    assert grafica["enlaces"][-1] is None
    texto = re.sub(r"<[^>]+>", "", html)
    assert "C13: 0 PTEs, 1 OTs" in texto  # the list under it names every client


def _riser() -> Busqueda:
    """What a search of «riser» finds (its ids; the KPIs read nothing else)."""
    return Busqueda(
        Filtro(q="riser"),
        {
            "ot": list(
                OT.objects.filter(descripcion_trabajo__icontains="riser").values_list(
                    "pk", flat=True
                )
            ),
            "pte": list(
                PTE.objects.filter(descripcion_trabajo__icontains="riser").values_list(
                    "pk", flat=True
                )
            ),
        },
    )


@time_machine.travel(HOY, tick=False)
def test_the_kpis_are_one_query_however_much_was_found(contrato, django_assert_num_queries):
    busqueda = _riser()
    with django_assert_num_queries(1):
        antes = indicadores(busqueda)
    otra = OTFactory(descripcion_trabajo="Riser adicional", cliente=contrato["beta"])
    _produce(otra, linea_de(otra, pu_mn=Decimal("3.00"), pu_usd=Decimal("1.00")), "2", "3")
    PTEFactory(descripcion_trabajo="Riser adicional", cliente=contrato["beta"])
    busqueda = _riser()

    with django_assert_num_queries(1):
        despues = indicadores(busqueda)
    assert antes["ejecutado_mxn"] == Decimal("186.66")
    assert (despues["por_tipo"]["ot"], despues["por_tipo"]["pte"]) == (4, 3)
    # 5 * 3.00 and 5 * 1.00 more than before.
    assert despues["ejecutado_mxn"] - antes["ejecutado_mxn"] == Decimal("15.00")
    assert despues["ejecutado_usd"] - antes["ejecutado_usd"] == Decimal("5.00")


def test_nothing_found_costs_no_kpi_query(db, django_assert_num_queries):
    with django_assert_num_queries(0):
        kpis = indicadores(Busqueda(Filtro(q="zzzz"), {"pte": [], "ot": [], "concepto": []}))
    assert kpis["por_tipo"] == {"pte": 0, "ot": 0, "concepto": 0}
    assert kpis["ejecutado_mxn"] == Decimal("0.00")
