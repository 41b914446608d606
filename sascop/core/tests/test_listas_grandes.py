"""The generic pages at scale: a list's count stops at a bound and says when it is an
estimate, a deep page reads its ids before its rows, the year filters come from an index,
and every list and detail page costs a fixed number of queries (pinned here, beyond what any
authenticated request costs, so that one more shows)."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from sascop.accounts.models import User
from sascop.catalogos.tests.factories import ClienteFactory, SitioFactory
from sascop.core.pages import preferencias
from sascop.core.pages.comunes import Paginador
from sascop.ots import selectors as ots
from sascop.ots.tests.factories import OTFactory
from sascop.precios.tests.factories import AnexoOTFactory, ConceptoFactory
from sascop.produccion.tests.factories import ProduccionFactory
from sascop.ptes import selectors as ptes
from sascop.ptes.models import PTE
from sascop.ptes.tests.factories import PTEFactory

pytestmark = pytest.mark.django_db
# The years of a list's filter are one statement on PostgreSQL, two queries elsewhere.
OTRA_BASE = 0 if connection.vendor == "postgresql" else 1


def _oficios(c: Client, url: str) -> list[str]:
    response = c.get(url)
    assert response.status_code == 200
    return re.findall(r'<a href="/ptes/\d+/">([^<]+)</a>', response.content.decode())


def _consultas(c: Client, url: str) -> list[str]:
    """The queries of a second GET of `url` (the first may refresh the session)."""
    assert c.get(url).status_code == 200
    with CaptureQueriesContext(connection) as consultas:
        assert c.get(url).status_code == 200
    return [q["sql"] for q in consultas.captured_queries]


@pytest.fixture
def de_mas(viewer) -> Callable[[Client, str], int]:
    """How many queries a page costs beyond an authenticated `GET /api/user/` (reading the
    session and its user costs one query on the database, none from Redis)."""

    def contar(c: Client, url: str) -> int:
        return len(_consultas(c, url)) - len(_consultas(c, "/api/user/"))

    return contar


def test_a_long_list_is_counted_up_to_a_bound_and_says_its_total_is_approximate(
    viewer, monkeypatch
):
    monkeypatch.setattr(Paginador, "limite", 3)
    PTEFactory.create_batch(25)

    consultas = _consultas(viewer, "/ptes/?por_pagina=10")
    html = viewer.get("/ptes/?por_pagina=10").content.decode()

    cuentas = [sql for sql in consultas if "COUNT(*)" in sql.upper()]
    assert cuentas and all("LIMIT 4" in sql.upper() for sql in cuentas)
    # SQLite has no estimate: at least what was counted, marked as not exact.
    assert "<strong>≈ 4</strong> PTEs" in html
    assert len(_oficios(viewer, "/ptes/?por_pagina=10")) == 10
    # Past the estimate a page is served while it has rows; past the rows, the last page.
    segunda = _oficios(viewer, "/ptes/?por_pagina=10&pagina=2")
    assert len(segunda) == 10 and not set(segunda) & set(_oficios(viewer, "/ptes/?por_pagina=10"))
    assert _oficios(viewer, "/ptes/?por_pagina=10&pagina=9") == _oficios(
        viewer, "/ptes/?por_pagina=10"
    )


def test_an_exact_count_says_nothing_of_estimates(viewer):
    PTEFactory.create_batch(12)

    html = viewer.get("/ptes/?por_pagina=10").content.decode()

    assert "<strong>12</strong> PTEs · página 1 de 2" in html
    assert "≈" not in html


def test_a_deep_page_reads_its_ids_then_its_rows_in_the_same_order(viewer, monkeypatch):
    PTEFactory.create_batch(25)
    url = "/ptes/?por_pagina=10&pagina=2&orden=oficio_pte"
    seguidas = _oficios(viewer, url)
    monkeypatch.setattr(Paginador, "diferido", 5)

    consultas = _consultas(viewer, url)

    assert _oficios(viewer, url) == seguidas
    ids = [sql for sql in consultas if sql.startswith('SELECT "ptes_pte"."id" AS "pk" FROM')]
    assert len(ids) == 1 and "OFFSET 10" in ids[0].upper()


def _ordenes(c: Client, url: str) -> list[str]:
    response = c.get(url)
    assert response.status_code == 200
    return re.findall(r'<a href="/ots/\d+/">([^<]+)</a>', response.content.decode())


@pytest.mark.parametrize(
    ("orden", "sin_anexos"),
    [("", True), ("orden_trabajo", True), ("-dias_atraso", False)],
)
def test_a_deep_ot_page_picks_its_ids_without_the_computed_columns_when_it_can(
    viewer, monkeypatch, orden, sin_anexos
):
    for n, ot in enumerate(OTFactory.create_batch(25)):
        if n % 3 == 0:
            AnexoOTFactory(ot=ot)
    url = f"/ots/?por_pagina=10&pagina=2&orden={orden}"
    seguidas = _ordenes(viewer, url)
    monkeypatch.setattr(Paginador, "diferido", 5)

    consultas = _consultas(viewer, url)

    assert len(seguidas) == 10 and _ordenes(viewer, url) == seguidas
    ids = [sql for sql in consultas if sql.startswith('SELECT "ots_ot"."id" AS "pk" FROM')]
    assert len(ids) == 1 and "OFFSET 10" in ids[0].upper()
    # Ordered by a computed column, the ids come from the list's own query.
    assert ("precios_anexoot" not in ids[0]) == sin_anexos


def test_the_years_of_the_pte_filter_come_from_one_query(django_assert_num_queries):
    for anio in (2019, 2022, 2024, 2026):
        PTEFactory(fecha_solicitud=datetime.date(anio, 6, 1))
    PTEFactory(fecha_solicitud=datetime.date(2023, 3, 1)).delete()  # hidden: not offered

    # PostgreSQL: a walk down the index, one probe a year; elsewhere the ORM's two queries.
    with django_assert_num_queries(1 + OTRA_BASE):
        assert ptes.anios_de_solicitud() == [2026, 2024, 2022, 2019]


def test_the_years_of_the_ot_filter_skip_ots_without_a_date(django_assert_num_queries):
    OTFactory(fecha_inicio_programado=None)
    assert ots.anios_de_inicio() == []
    OTFactory(fecha_inicio_programado=datetime.date(2025, 12, 31))

    with django_assert_num_queries(1):
        assert ots.anios_de_inicio() == [2025]


def test_the_ot_list_reads_the_places_of_its_page_in_one_query(viewer):
    barco, plataforma = SitioFactory(descripcion="Barco Uno"), SitioFactory(descripcion="P-7")
    OTFactory(embarcacion=barco, plataforma=plataforma)
    OTFactory(embarcacion=barco)

    consultas = _consultas(viewer, "/ots/")
    html = viewer.get("/ots/").content.decode()

    assert "Barco Uno · P-7" in html
    lista = next(sql for sql in consultas if sql.startswith('SELECT "ots_ot"."id"'))
    assert "catalogos_sitio" in lista and lista.count("JOIN") <= 6
    assert sum('FROM "catalogos_sitio"' in sql and " IN (" in sql for sql in consultas) == 1


def test_the_ot_list_reads_the_ptes_of_its_page_in_one_query(viewer, de_mas):
    otra = PTEFactory(oficio_pte="PTE-BORRADA")
    for oficio in ("PTE-UNO", "PTE-DOS"):
        OTFactory(pte=PTEFactory(oficio_pte=oficio))
    OTFactory(pte=otra)
    OTFactory()
    # Deleted (hidden): the OT still names the PTE it came from.
    PTE.all_objects.filter(pk=otra.pk).update(eliminado_en=timezone.now())
    usuario = viewer.get("/api/user/").json()["id"]
    preferencias.guardar_columnas(
        usuario=User.objects.get(pk=usuario), tabla="ots", columnas=["orden_trabajo", "oficio_pte"]
    )

    consultas = _consultas(viewer, "/ots/")
    html = viewer.get("/ots/").content.decode()

    assert all(f">{oficio}<" in html for oficio in ("PTE-UNO", "PTE-DOS", "PTE-BORRADA"))
    lista = next(sql for sql in consultas if sql.startswith('SELECT "ots_ot"."id"'))
    assert '"ptes_pte"' not in lista
    assert sum('FROM "ptes_pte"' in sql for sql in consultas) == 1
    # One query more than a page whose OTs have no PTE (see below), whatever their number.
    assert de_mas(viewer, "/ots/") == 9


def test_the_ot_list_reads_neither_ptes_nor_places_for_columns_it_does_not_show(viewer, de_mas):
    barco = SitioFactory(descripcion="Barco Uno")
    for oficio in ("PTE-UNO", "PTE-DOS"):
        OTFactory(pte=PTEFactory(oficio_pte=oficio), embarcacion=barco)
    usuario = User.objects.get(pk=viewer.get("/api/user/").json()["id"])

    # By default the list shows its places, not the PTE's letter.
    consultas = _consultas(viewer, "/ots/")
    html = viewer.get("/ots/").content.decode()

    assert "Barco Uno" in html and "PTE-UNO" not in html
    assert not [sql for sql in consultas if 'FROM "ptes_pte"' in sql]
    assert sum('FROM "catalogos_sitio"' in sql and " IN (" in sql for sql in consultas) == 1
    # The pin's page (below), whose OTs have no place, and one query for the places.
    assert de_mas(viewer, "/ots/") == 9

    preferencias.guardar_columnas(usuario=usuario, tabla="ots", columnas=["orden_trabajo"])
    consultas = _consultas(viewer, "/ots/")

    assert not [sql for sql in consultas if 'FROM "ptes_pte"' in sql]
    assert not [sql for sql in consultas if 'FROM "catalogos_sitio"' in sql and " IN (" in sql]
    assert de_mas(viewer, "/ots/") == 8


def test_the_ot_list_counts_its_rows_without_joining_their_anexos(viewer):
    con_anexo = OTFactory(cliente__descripcion="Alfa")
    AnexoOTFactory(ot=con_anexo)
    AnexoOTFactory(ot=con_anexo, version=2, activo=False)
    OTFactory(cliente=con_anexo.cliente)
    OTFactory()

    for url, filas in [
        ("/ots/", 3),
        (f"/ots/?cliente={con_anexo.cliente_id}&orden=-dias_atraso", 2),
    ]:
        consultas = _consultas(viewer, url)
        html = viewer.get(url).content.decode()

        cuenta = next(sql for sql in consultas if "COUNT(*)" in sql.upper())
        assert "precios_anexoot" not in cuenta
        assert f"<strong>{filas}</strong> OTs" in html


def test_the_filters_read_all_their_catalogs_choices_in_one_query(viewer):
    OTFactory(cliente__descripcion="Zeta", sitio__descripcion="Base B")
    ot = OTFactory(cliente__descripcion="Alfa", sitio__descripcion="Base A")

    consultas = _consultas(viewer, f"/ots/?cliente={ot.cliente_id}")
    html = viewer.get(f"/ots/?cliente={ot.cliente_id}").content.decode()

    opciones = [sql for sql in consultas if '"campo_filtro"' in sql]
    assert len(opciones) == 1 and not [sql for sql in consultas if "DECLARE" in sql]
    clientes = re.search(r'<select name="cliente".*?</select>', html, re.S)
    assert clientes is not None
    assert re.findall(r">([^<]+)</option>", clientes.group(0)) == ["Todos", "Alfa", "Zeta"]
    assert f'<option value="{ot.cliente_id}" selected>Alfa</option>' in clientes.group(0)


def test_the_filters_offer_the_catalogs_as_they_are_on_each_page(viewer):
    """Their joint query is built once per form class, never its rows: an entry added or
    renamed since the last page is offered as it is now."""
    ot = OTFactory(cliente__descripcion="Alfa")

    def clientes() -> list[str]:
        html = viewer.get("/ots/").content.decode()
        select = re.search(r'<select name="cliente".*?</select>', html, re.S)
        assert select is not None
        return re.findall(r">([^<]+)</option>", select.group(0))

    assert clientes() == ["Todos", "Alfa"]
    ClienteFactory(descripcion="Beta")
    ot.cliente.descripcion = "Aleph"
    ot.cliente.save()

    assert clientes() == ["Todos", "Aleph", "Beta"]


@pytest.fixture
def datos():
    for anio in (2022, 2024, 2026):
        PTEFactory(fecha_solicitud=datetime.date(anio, 2, 1))
    ot = OTFactory(fecha_inicio_programado=datetime.date(2026, 3, 1))
    ProduccionFactory.create_batch(3, ot=ot)
    ConceptoFactory.create_batch(3)
    SitioFactory.create_batch(3)
    return ot


@pytest.mark.parametrize(
    ("url", "consultas"),
    [
        # The running totals, the anexos' adjustments to the amounts (read for the totals
        # and again for the amounts by client), the overdue PTEs and the late OTs (a count
        # and the first ten each), and the estimaciones panel (executed; claimed and
        # authorised by month, in one query).
        ("/", 14),
        # The years: one query on PostgreSQL, two elsewhere (`core.db.queries.anios`).
        ("/ptes/", 8 + OTRA_BASE),
        ("/ptes/?pagina=2&por_pagina=10&estatus=1&anio=2026", 9 + OTRA_BASE),
        ("/ots/", 8),
        # The page joined to its OTs only, then its lines (with their concepts and
        # anexos) and its sites: two queries more, each planned in a fraction of the time
        # the six joined tables took.
        ("/produccion/", 8),
        ("/precios/", 7),
    ],
)
def test_each_list_page_costs_a_fixed_number_of_queries(viewer, datos, de_mas, url, consultas):
    assert de_mas(viewer, url) == consultas


def test_the_detail_pages_cost_a_fixed_number_of_queries(viewer, datos, de_mas):
    pte = ptes.pte_lista({}).first()
    assert pte is not None

    assert de_mas(viewer, f"/ptes/{pte.pk}/") == 6
    # The OT has an anexo: its homologated total reads the exchange rate in force.
    assert de_mas(viewer, f"/ots/{datos.pk}/") == 8


def test_the_activity_and_catalog_lists_cost_a_fixed_number_of_queries(role_client, datos):
    admin = role_client("Administración")
    base = len(_consultas(admin, "/api/user/"))

    assert len(_consultas(admin, "/actividad/")) - base == 5
    assert len(_consultas(admin, "/catalogos/sitios/")) - base == 5
