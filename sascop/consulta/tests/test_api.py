from __future__ import annotations

import io
from http import HTTPStatus
from unittest.mock import ANY

import pytest
from django.conf import settings
from django.db import connection
from openpyxl import load_workbook

from sascop.consulta import indice
from sascop.ots.tests.factories import OTFactory
from sascop.ptes.models import PTE
from sascop.ptes.tests.factories import PTEFactory

URL = "/operaciones/api/consulta/"
# Unfiltered, each indexed kind (PTE, OT, concept, activity) is one query to its index on
# either engine; a filter adds one on SQLite (FTS5, then the ORM keeps what the filter allows).
QUERIES_COMPRESION = 15 - (1 if settings.REDIS_URL else 0)
pytestmark = pytest.mark.django_db


def _grupos(cuerpo):
    return {g["tipo"]: [r["id"] for r in g["resultados"]] for g in cuerpo["grupos"]}


def test_without_accents_it_finds_every_kind(admin, datos):
    response = admin.get(URL, {"q": "compresion"})

    assert response.status_code == HTTPStatus.OK
    ot, pte = datos["ot"], datos["pte"]
    assert response.json() == {
        "q": "compresion",
        "grupos": [
            {
                "tipo": "pte",
                "total": 1,
                "pagina": 1,
                "paginas": 1,
                "resultados": [
                    {
                        "id": pte.pk,
                        "titulo": "PEP-SUB-0815",
                        "extracto": "REHABILITACIÓN DE MÓDULO DE <mark>COMPRESIÓN</mark> EN "
                        "OLEOGASODUCTO DE ABK-A · PEMEX Exploración · "
                        f"{pte.responsable_proyecto.nombre}",
                        "url": f"/ptes/{pte.pk}/",
                    }
                ],
            },
            {
                "tipo": "ot",
                "total": 1,
                "pagina": 1,
                "paginas": 1,
                "resultados": [
                    {
                        "id": ot.pk,
                        "titulo": "OT-2026-015",
                        "extracto": "<mark>Compresión</mark> y pruebas en el oleogasoducto de "
                        f"ABK-A · OF-77 · {ot.sitio.descripcion}",
                        "url": f"/ots/{ot.pk}/",
                    }
                ],
            },
            {
                "tipo": "concepto",
                "total": 1,
                "pagina": 1,
                "paginas": 1,
                "resultados": [
                    {
                        "id": datos["concepto"].pk,
                        "titulo": f"{datos['concepto'].anexo.clave} 4.7.3",
                        "extracto": "SOLDADOR DE TUBERÍA PARA <mark>COMPRESIÓN</mark>",
                        "url": "/precios/?buscar=4.7.3",
                    }
                ],
            },
            {
                "tipo": "linea_anexo",
                "total": 1,
                "pagina": 1,
                "paginas": 1,
                "resultados": [
                    {
                        "id": datos["linea"].pk,
                        "titulo": f"OT-2026-015 · {datos['concepto'].anexo.clave} 4.7.3",
                        "extracto": "SOLDADOR DE TUBERÍA PARA <mark>COMPRESIÓN</mark>",
                        "url": f"/ots/{ot.pk}/anexo/",
                    }
                ],
            },
            {
                "tipo": "actividad",
                "total": 1,
                "pagina": 1,
                "paginas": 1,
                "resultados": [
                    {
                        "id": datos["comentario"].pk,
                        "titulo": ANY,
                        "extracto": "Se espera la <mark>compresión</mark> del cliente",
                        "url": f"/actividad/?entidad=pte&entidad_id={datos['otra'].pk}",
                    }
                ],
            },
        ],
        "indicadores": {
            "por_tipo": {
                "pte": 1,
                "ot": 1,
                "concepto": 1,
                "linea_anexo": 1,
                "produccion": 0,
                "actividad": 1,
            },
            "ots_monto_mxn": "1500000.00",
            "ots_monto_usd": "2500.00",
            "ots_atrasadas": 1,
            "ots_por_estatus": [{"estatus": 8, "estatus_texto": "En ejecución", "total": 1}],
            "ptes_por_estatus": [{"estatus": 1, "estatus_texto": "Pendiente", "total": 1}],
            # 10.5 produced and 20 authorised on the line, at $100.00 and USD 5.00.
            "ejecutado_mxn": "1050.00",
            "ejecutado_usd": "52.50",
            "autorizado_mxn": "2000.00",
            "autorizado_usd": "100.00",
            "por_cliente": [
                {
                    "cliente": datos["pemex"].pk,
                    "cliente_texto": "PEMEX Exploración",
                    "ptes": 1,
                    "ots": 1,
                }
            ],
            "ots_por_sitio": [
                {"sitio": ot.sitio.pk, "sitio_texto": ot.sitio.descripcion, "total": 1}
            ],
            "por_mes": [
                {"mes": "2019-12", "ptes": 0, "ots": 1},
                {"mes": f"{pte.fecha_solicitud:%Y-%m}", "ptes": 1, "ots": 0},
            ],
        },
    }


def test_several_words_all_match_across_hyphens_and_case(admin, datos):
    cuerpo = admin.get(URL, {"q": "oleogasoducto abk"}).json()

    assert _grupos(cuerpo) == {"pte": [datos["pte"].pk], "ot": [datos["ot"].pk]}


def test_a_client_a_responsible_and_a_place_find_what_points_to_them(admin, datos):
    assert _grupos(admin.get(URL, {"q": "exploracion"}).json()) == {
        "pte": [datos["pte"].pk],
        "ot": [datos["ot"].pk],
    }
    assert _grupos(admin.get(URL, {"q": "abkatun"}).json()) == {
        "ot": [datos["ot_plataforma"].pk],
    }
    nombre = datos["otra"].responsable_proyecto.nombre
    assert datos["otra"].pk in _grupos(admin.get(URL, {"q": nombre}).json())["pte"]


def test_production_is_found_by_ot_number_partida_and_date(admin, datos):
    produccion = [datos["produccion"].pk]

    assert _grupos(admin.get(URL, {"q": "OT-2026-015 31/03/2026"}).json())["produccion"] == (
        produccion
    )
    assert _grupos(admin.get(URL, {"q": "4.7.3 2026-03-31"}).json())["produccion"] == produccion
    assert "produccion" not in _grupos(admin.get(URL, {"q": "OT-2026-015 01/04/2026"}).json())
    # A plain word is no production's.
    assert "produccion" not in _grupos(admin.get(URL, {"q": "compresion"}).json())


def test_the_best_match_comes_first(admin, db):
    en_texto = PTEFactory(descripcion_trabajo="Trabajos varios; al final, ducto 7B")
    en_oficio = PTEFactory(oficio_pte="DUCTO-7B", descripcion_trabajo="Ducto 7B: ducto nuevo")

    cuerpo = admin.get(URL, {"q": "ducto 7b"}).json()

    assert _grupos(cuerpo) == {"pte": [en_oficio.pk, en_texto.pk]}


def test_filters_narrow_and_leave_out_the_kinds_without_them(admin, datos):
    cuerpo = admin.get(URL, {"q": "compresion", "cliente": datos["pemex"].pk}).json()
    assert _grupos(cuerpo) == {
        "pte": [datos["pte"].pk],
        "ot": [datos["ot"].pk],
        "linea_anexo": [datos["linea"].pk],
    }

    cuerpo = admin.get(URL, {"q": "compresion", "estatus": 10}).json()
    assert cuerpo["grupos"] == []

    cuerpo = admin.get(URL, {"q": "compresion", "tipo": "ot", "hasta": "2026-12-31"}).json()
    assert _grupos(cuerpo) == {"ot": [datos["ot"].pk]}


def test_the_index_follows_every_write(admin, datos):
    # An update through the ORM's QuerySet (no service, no signal) and a bulk import.
    PTE.objects.filter(pk=datos["otra"].pk).update(descripcion_trabajo="Tendido de umbilical")
    pte = datos["pte"]
    nueva = PTEFactory.build(
        oficio_pte="BULK-1",
        descripcion_trabajo="Umbilical",
        cliente=pte.cliente,
        responsable_proyecto=pte.responsable_proyecto,
        tipo=pte.tipo,
    )
    PTE.objects.bulk_create([nueva])

    cuerpo = admin.get(URL, {"q": "umbilical", "tipo": "pte"}).json()
    assert [r["titulo"] for r in cuerpo["grupos"][0]["resultados"]] == ["BULK-1", "PEP-SUB-0900"]

    PTE.all_objects.filter(oficio_pte="BULK-1").delete()
    PTE.objects.filter(pk=datos["otra"].pk).update(eliminado_en="2026-01-01T00:00:00Z")
    assert admin.get(URL, {"q": "umbilical"}).json()["grupos"] == []

    # Restored, it is found again (a deleted PTE leaves the index; see indice.py).
    PTE.all_objects.filter(pk=datos["otra"].pk).update(eliminado_en=None)
    assert _grupos(admin.get(URL, {"q": "umbilical"}).json()) == {"pte": [datos["otra"].pk]}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's TRUNCATE trigger")
def test_a_truncated_source_empties_its_index(datos):
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM consulta_indice_ot")
        assert cursor.fetchone() == (2,)
        # The foreign keys' checks of the rows just written run first (they are deferred).
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("TRUNCATE ots_ot CASCADE")
        cursor.execute("SELECT count(*) FROM consulta_indice_ot")
        assert cursor.fetchone() == (0,)


def test_groups_are_paged(admin, db):
    ots = OTFactory.create_batch(3, descripcion_trabajo="Buceo saturado")

    cuerpo = admin.get(URL, {"q": "buceo", "elementos_por_pagina": 2, "pagina": 2}).json()

    assert cuerpo["grupos"] == [
        {"tipo": "ot", "total": 3, "pagina": 2, "paginas": 2, "resultados": [ANY]}
    ]
    assert cuerpo["grupos"][0]["resultados"][0]["id"] in {o.pk for o in ots}


def test_bad_filters_are_a_400_in_the_envelope(admin, db):
    response = admin.get(URL, {"q": "x", "tipo": "factura", "cliente": "uno", "desde": "ayer"})

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json() == {
        "error": "Invalid input",
        "code": "invalid",
        "detail": "The submitted data is not valid.",
        "fields": {"tipo": [ANY], "cliente": [ANY], "desde": [ANY]},
    }


def test_anonymous_is_a_401_and_a_user_without_roles_a_403(client, json_login, user):
    assert client.get(URL, {"q": "x"}).status_code == HTTPStatus.UNAUTHORIZED
    json_login()
    assert client.get(URL, {"q": "x"}).status_code == HTTPStatus.FORBIDDEN


def test_a_reader_sees_only_the_kinds_of_its_role(viewer, datos):
    tipos = {g["tipo"] for g in viewer.get(URL, {"q": "compresion"}).json()["grupos"]}

    assert "actividad" not in tipos
    assert "pte" in tipos


def test_the_workbook_holds_exactly_what_was_found_as_text(admin, datos):
    formula = PTEFactory(oficio_pte="=HYPERLINK(1)", descripcion_trabajo="Compresión: =1+1")
    pte = datos["pte"]

    response = admin.get(URL, {"q": "compresion", "tipo": "pte", "formato": "xlsx"})

    assert response.status_code == HTTPStatus.OK
    libro = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    hoja = libro.active
    assert hoja is not None
    filas = list(hoja.iter_rows(values_only=True))
    # The API speaks English; the page's workbook is in Spanish (test_pagina.py).
    assert filas[0] == ("Kind", "Title", "Excerpt", "Link")
    assert set(filas[1:]) == {
        (
            "PTEs",
            "PEP-SUB-0815",
            "REHABILITACIÓN DE MÓDULO DE COMPRESIÓN EN OLEOGASODUCTO DE ABK-A · PEMEX "
            f"Exploración · {pte.responsable_proyecto.nombre}",
            f"http://testserver/ptes/{pte.pk}/",
        ),
        (
            "PTEs",
            "=HYPERLINK(1)",
            f"Compresión: =1+1 · {formula.cliente.descripcion} · "
            f"{formula.responsable_proyecto.nombre}",
            f"http://testserver/ptes/{formula.pk}/",
        ),
    }
    celda = next(c for c in hoja["B"] if c.value == "=HYPERLINK(1)")
    assert celda.data_type == "s"


def test_queries_do_not_grow_with_the_results(admin, datos, assert_same_queries):
    # Session and user, the catalogs (clients, responsibles and sites: one query), per kind its
    # search and its page; the KPIs over the OTs (with their active anexos' totals and their
    # production priced by its anexo lines) and the PTEs found: one query.
    admin.get(URL, {"q": "compresion"})  # with Redis, the first read copies the user there
    primera = assert_same_queries(
        lambda: admin.get(URL, {"q": "compresion"}),
        lambda: admin.get(URL, {"q": "compresion"}),
    )
    PTEFactory.create_batch(3, descripcion_trabajo="Compresión adicional")
    OTFactory.create_batch(3, descripcion_trabajo="Compresión adicional")

    assert (
        assert_same_queries(
            lambda: admin.get(URL, {"q": "compresion"}),
            lambda: admin.get(URL, {"q": "compresion", "pagina": 1}),
        )
        == primera
        == QUERIES_COMPRESION
    )


def test_the_search_is_documented_in_the_openapi_schema(admin):
    esquema = admin.get("/api/schema/", {"format": "json"}).json()

    operacion = esquema["paths"][URL]["get"]
    assert sorted(p["name"] for p in operacion["parameters"]) == [
        "cliente",
        "desde",
        "elementos_por_pagina",
        "estatus",
        "formato",
        "hasta",
        "pagina",
        "q",
        "sitio",
        "tipo",
    ]
    assert operacion["responses"]["400"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Error"
    }
    grupo = esquema["components"]["schemas"]["Grupo"]["properties"]
    assert grupo["tipo"]["$ref"] == "#/components/schemas/GrupoTipoEnum"
    assert esquema["components"]["schemas"]["GrupoTipoEnum"]["enum"] == [
        "pte",
        "ot",
        "concepto",
        "linea_anexo",
        "produccion",
        "actividad",
    ]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's query plan")
def test_postgresql_reads_the_gin_index(admin, datos):
    from django.contrib.postgres.search import SearchQuery

    from sascop.consulta.models import IndicePTE

    consulta = SearchQuery("'compresion':*", config="spanish", search_type="raw")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
    plan = IndicePTE.objects.filter(vector=consulta).explain()

    assert "consulta_indice_pte_gin" in plan


def test_triggers_reinstalled_after_a_migration_rebuild_what_they_missed(admin, db):
    # What a migration does to them on SQLite (a rebuilt table loses its triggers).
    indice.DISPARADORES.desinstalar()
    assert indice.faltantes() != []
    perdida = PTEFactory(descripcion_trabajo="Escrita sin disparadores: riser")

    indice.despues_de_migrar()

    assert indice.faltantes() == []
    assert _grupos(admin.get(URL, {"q": "riser"}).json()) == {"pte": [perdida.pk]}


def test_codes_are_found_whole_or_by_their_parts(admin, datos):
    assert _grupos(admin.get(URL, {"q": "OT-2026-015", "tipo": "ot"}).json()) == {
        "ot": [datos["ot"].pk]
    }
    assert _grupos(admin.get(URL, {"q": "2026 015", "tipo": "ot"}).json()) == {
        "ot": [datos["ot"].pk]
    }
    assert _grupos(admin.get(URL, {"q": "4.7.3", "tipo": "concepto"}).json()) == {
        "concepto": [datos["concepto"].pk]
    }
    assert _grupos(admin.get(URL, {"q": "pep-sub-0815", "tipo": "pte"}).json()) == {
        "pte": [datos["pte"].pk]
    }
