"""The concept list and detail, PUE creation and authorisation."""

from __future__ import annotations

import datetime
from http import HTTPStatus
from unittest.mock import ANY

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sascop.actividad.models import RegistroActividad
from sascop.ots.tests.factories import OTFactory
from sascop.precios.models import Concepto
from sascop.precios.tests.factories import AnexoFactory, ConceptoFactory, PUEFactory
from sascop.ptes.tests.factories import PTEFactory
from tests.envelope import invalid_input

pytestmark = pytest.mark.django_db
URL = "/operaciones/api/precios/conceptos/"


@pytest.fixture
def libro():
    c5 = AnexoFactory(clave="C-5")
    c51 = AnexoFactory(clave="C-5-1", contrato=c5.contrato)
    c10 = AnexoFactory(clave="C-10", contrato=c5.contrato)
    return {
        "2.10": ConceptoFactory(anexo=c5, partida="2.10", concepto="Tubo de 12 pulgadas"),
        "2.9": ConceptoFactory(
            anexo=c5,
            partida="2.9",
            concepto="Tubo de 8 pulgadas",
            unidad="M",
            pu_mn="1234.50",
            pu_usd="10.25",
            cantidad_referencia="120.5000",
            seccion="Tubos",
        ),
        "5.1": ConceptoFactory(anexo=c51, partida="5.1", concepto="Buzo de saturación"),
        "5.1 C-5": ConceptoFactory(anexo=c5, partida="5.1", concepto="Buzo de saturación"),
        "PUE-1": PUEFactory(
            anexo=c10,
            partida="PUE-1",
            concepto="Grapa de reparación",
            unidad="PZA",
            pte=PTEFactory(oficio_pte="PTE-2026-0001"),
        ),
    }


def ids(response):
    return [c["id"] for c in response.json()["conceptos"]]


def test_list_body_in_book_order(viewer, libro):
    response = viewer.get(URL, {"anexo": "C-5"})

    assert response.status_code == HTTPStatus.OK
    assert ids(response) == [libro["2.9"].pk, libro["2.10"].pk, libro["5.1 C-5"].pk]
    concepto = libro["2.9"]
    assert response.json() == {
        "conceptos": [
            {
                "id": concepto.pk,
                "contrato": "640857800",
                "anexo": "C-5",
                "anexo_id": concepto.anexo_id,
                "partida": "2.9",
                "concepto": "Tubo de 8 pulgadas",
                "unidad": "M",
                "pu_mn": "1234.50",
                "pu_usd": "10.25",
                "cantidad_referencia": "120.5000",
                "seccion": "Tubos",
                "tipo": "ordinaria",
                "estatus": "AUTORIZADO",
                "estatus_texto": "Autorizado",
                "pte": None,
                "pte_id": None,
                "ot": None,
                "ot_id": None,
                "autorizado_en": None,
            },
            ANY,
            ANY,
        ],
        "total": 3,
        "total_paginas": 1,
        "pagina_actual": 1,
        "elementos_por_pagina": 10,
        "total_aproximado": False,
    }


@pytest.mark.parametrize(
    ("params", "esperados"),
    [
        ({}, ["PUE-1", "2.9", "2.10", "5.1 C-5", "5.1"]),
        ({"anexo": "c-5-1"}, ["5.1"]),
        ({"anexo": "Anexo C-5-1"}, ["5.1"]),
        ({"buscar": "saturación"}, ["5.1 C-5", "5.1"]),
        ({"buscar": "2.9."}, ["2.9"]),
        ({"buscar": "tubos"}, ["2.9"]),
        ({"tipo": "extraordinaria"}, ["PUE-1"]),
        ({"estatus": "EN_ELABORACION"}, ["PUE-1"]),
        ({"estatus": ["EN_ELABORACION", "AUTORIZADO"], "anexo": "C-5-1"}, ["5.1"]),
        ({"contrato": "otro"}, []),
    ],
)
def test_list_filters(viewer, libro, params, esperados):
    response = viewer.get(URL, params)

    assert response.status_code == HTTPStatus.OK
    assert ids(response) == [libro[k].pk for k in esperados]


def test_list_names_the_pte_of_a_pue(viewer, libro):
    (pue,) = viewer.get(URL, {"tipo": "extraordinaria"}).json()["conceptos"]

    assert (pue["pte"], pue["pte_id"], pue["estatus"], pue["estatus_texto"]) == (
        "PTE-2026-0001",
        libro["PUE-1"].pte_id,
        "EN_ELABORACION",
        "En elaboración",
    )


def test_list_rejects_unknown_choices(viewer):
    response = viewer.get(URL, {"tipo": "rara", "estatus": "LISTO", "pte": "0.5"})

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json() == invalid_input(
        {
            "tipo": ["Select a valid choice. rara is not one of the available choices."],
            "estatus": ["Select a valid choice. LISTO is not one of the available choices."],
            "pte": ["Enter a whole number."],
        }
    )


def test_list_pages(viewer):
    anexo = AnexoFactory(clave="C")
    for n in range(1, 26):
        ConceptoFactory(anexo=anexo, partida=str(n))

    response = viewer.get(URL, {"pagina": 3, "elementos_por_pagina": 10})

    body = response.json()
    assert [c["partida"] for c in body["conceptos"]] == [str(n) for n in range(21, 26)]
    assert (body["total"], body["total_paginas"], body["pagina_actual"]) == (25, 3, 3)


def test_list_queries_do_not_grow_with_page_size(viewer, django_assert_num_queries):
    anexo = AnexoFactory(clave="C")
    for n in range(1, 31):
        PUEFactory(anexo=anexo, partida=str(n), pte=PTEFactory(), ot=OTFactory())
    viewer.get(URL)  # with Redis the user row and the total are cached after a first request

    with CaptureQueriesContext(connection) as primera:
        viewer.get(URL, {"elementos_por_pagina": 2})
    for size in (2, 30):
        with django_assert_num_queries(len(primera)):
            response = viewer.get(URL, {"elementos_por_pagina": size})
        assert len(response.json()["conceptos"]) == size


def test_every_role_reads_and_anonymous_cannot(client, role_client, libro):
    for role in ("Consulta", "Captura de producción", "Ingeniería", "Administración"):
        assert role_client(role).get(URL).status_code == HTTPStatus.OK, role
    assert client.get(URL).status_code == HTTPStatus.UNAUTHORIZED


def test_detail_with_etag(viewer, libro):
    concepto = libro["2.9"]

    response = viewer.get(f"{URL}{concepto.pk}/")

    assert response.status_code == HTTPStatus.OK
    assert response["ETag"] == f'"{concepto.pk}-1"'
    assert response.json() == {
        **viewer.get(URL, {"buscar": "2.9"}).json()["conceptos"][0],
        "creado_en": ANY,
        "actualizado_en": ANY,
    }


def test_detail_of_an_unknown_concept(viewer):
    response = viewer.get(f"{URL}999999/")

    assert response.status_code == HTTPStatus.NOT_FOUND
    assert response.json() == {
        "error": "Not found",
        "code": "not_found",
        "detail": "Concepto 999999 does not exist.",
    }


# --- PUE: draw up, then authorise ------------------------------------------------------------


def test_admin_draws_up_a_pue_for_an_ot(admin, csrf):
    anexo = AnexoFactory(clave="C-10")
    ot = OTFactory(orden_trabajo="OT-0042")

    response = admin.post(
        URL,
        {
            "anexo": anexo.pk,
            "partida": "PUE-3.",
            "concepto": "Retiro de lastre",
            "unidad": "Jornada",
            "pu_mn": "15000.00",
            "ot": ot.pk,
        },
        content_type="application/json",
        **csrf(admin),
    )

    assert response.status_code == HTTPStatus.CREATED, response.content
    concepto = Concepto.objects.get()
    assert response["ETag"] == f'"{concepto.pk}-1"'
    assert response.json() == {
        "id": concepto.pk,
        "contrato": "640857800",
        "anexo": "C-10",
        "anexo_id": anexo.pk,
        "partida": "PUE-3",
        "concepto": "Retiro de lastre",
        "unidad": "JORNADA",
        "pu_mn": "15000.00",
        "pu_usd": "0.00",
        "cantidad_referencia": None,
        "seccion": "",
        "tipo": "extraordinaria",
        "estatus": "EN_ELABORACION",
        "estatus_texto": "En elaboración",
        "pte": None,
        "pte_id": None,
        "ot": "OT-0042",
        "ot_id": ot.pk,
        "autorizado_en": None,
        "creado_en": ANY,
        "actualizado_en": ANY,
    }
    assert RegistroActividad.objects.filter(
        accion="crear", entidad="concepto", entidad_id=str(concepto.pk)
    ).exists()


def test_a_pue_key_the_anexo_has_is_a_409(admin, csrf):
    existente = ConceptoFactory(partida="7.1")

    response = admin.post(
        URL,
        {"anexo": existente.anexo_id, "partida": "7.1.", "concepto": "Otra", "unidad": "DIA"},
        content_type="application/json",
        **csrf(admin),
    )

    assert response.status_code == HTTPStatus.CONFLICT
    assert response.json() == {
        "error": "Conflict",
        "code": "conflict",
        "detail": f"Anexo {existente.anexo.clave} already has partida 7.1.",
    }


def test_engineers_cannot_draw_up_pues(engineer, csrf):
    anexo = AnexoFactory()

    response = engineer.post(
        URL,
        {"anexo": anexo.pk, "partida": "1", "concepto": "X", "unidad": "DIA"},
        content_type="application/json",
        **csrf(engineer),
    )

    assert response.status_code == HTTPStatus.FORBIDDEN


def autorizar(client, csrf, concepto, **headers):
    return client.post(
        f"{URL}{concepto.pk}/autorizar/", content_type="application/json", **csrf(client), **headers
    )


def test_admin_authorises_a_pue(admin, csrf, libro):
    pue = libro["PUE-1"]

    with time_machine.travel(
        datetime.datetime(2026, 5, 4, 17, 30, tzinfo=datetime.UTC), tick=False
    ):
        response = autorizar(admin, csrf, pue, HTTP_IF_MATCH=f'"{pue.pk}-1"')

    assert response.status_code == HTTPStatus.OK, response.content
    assert response["ETag"] == f'"{pue.pk}-2"'
    body = response.json()
    assert (body["estatus"], body["estatus_texto"], body["autorizado_en"]) == (
        "AUTORIZADO",
        "Autorizado",
        "2026-05-04T17:30:00Z",
    )
    pue.refresh_from_db()
    assert pue.autorizado_por is not None
    cambios = RegistroActividad.objects.filter(
        accion="modificar", entidad="concepto", entidad_id=str(pue.pk)
    )
    assert sorted(cambios.values_list("campo", "valor_anterior", "valor_nuevo")) == [
        ("autorizado_en", "", "2026-05-04T17:30:00Z"),
        ("autorizado_por", "", str(pue.autorizado_por_id)),
        ("estatus", "EN_ELABORACION", "AUTORIZADO"),
    ]


def test_authorising_with_a_stale_etag_is_a_412_and_changes_nothing(admin, csrf, libro):
    pue = libro["PUE-1"]

    response = autorizar(admin, csrf, pue, HTTP_IF_MATCH=f'"{pue.pk}-0"')

    assert response.status_code == HTTPStatus.PRECONDITION_FAILED
    assert response.json() == {
        "error": "Precondition failed",
        "code": "precondition_failed",
        "detail": f'The resource has changed (now at "{pue.pk}-1"); fetch it again and retry.',
    }
    pue.refresh_from_db()
    assert (pue.estatus, pue.version) == ("EN_ELABORACION", 1)


def test_authorising_twice_or_an_ordinary_concept_is_a_409(admin, csrf, libro):
    assert autorizar(admin, csrf, libro["PUE-1"]).status_code == HTTPStatus.OK

    otra_vez = autorizar(admin, csrf, libro["PUE-1"])
    ordinario = autorizar(admin, csrf, libro["2.9"])

    assert otra_vez.status_code == ordinario.status_code == HTTPStatus.CONFLICT
    assert ordinario.json() == {
        "error": "Conflict",
        "code": "conflict",
        "detail": f"Concepto {libro['2.9'].pk} is already authorised.",
    }


def test_only_holders_of_the_authorise_permission_authorise(role_client, csrf, libro):
    for role in ("Consulta", "Ingeniería", "Captura de producción"):
        c = role_client(role)
        response = autorizar(c, csrf, libro["PUE-1"])
        assert response.status_code == HTTPStatus.FORBIDDEN, role
    libro["PUE-1"].refresh_from_db()
    assert libro["PUE-1"].estatus == "EN_ELABORACION"


def test_authorising_an_unknown_concept_is_a_404(admin, csrf):
    response = admin.post(f"{URL}999999/autorizar/", content_type="application/json", **csrf(admin))

    assert response.status_code == HTTPStatus.NOT_FOUND


def test_schema_documents_the_price_book(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    paths = schema["paths"]

    importar = paths["/operaciones/api/precios/importar/"]["post"]
    assert list(importar["requestBody"]["content"]) == ["multipart/form-data"]
    assert {"200", "400", "401", "403", "409", "413", "422"} <= set(importar["responses"])
    assert importar["responses"]["422"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/LibroError"
    }
    lista = paths["/operaciones/api/precios/conceptos/"]
    assert {p["name"] for p in lista["get"]["parameters"]} >= {
        "pagina",
        "elementos_por_pagina",
        "anexo",
        "buscar",
        "tipo",
        "estatus",
    }
    autorizar = paths["/operaciones/api/precios/conceptos/{concepto_id}/autorizar/"]["post"]
    assert {"200", "403", "404", "409", "412"} <= set(autorizar["responses"])
