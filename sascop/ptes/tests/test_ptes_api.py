"""Contract B's PTE endpoints and the rest of the PTE API."""

from __future__ import annotations

import datetime
from http import HTTPStatus
from unittest.mock import ANY

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sascop.actividad.models import RegistroActividad
from sascop.catalogos.tests.factories import (
    ClienteFactory,
    PasoFactory,
)
from sascop.ptes.models import PTE, PTEDetalle
from sascop.ptes.tests.factories import PTEFactory, catalogos_de_pte
from tests.envelope import assert_error, invalid_input

pytestmark = pytest.mark.django_db
URL = "/operaciones/api/ptes/"


@pytest.fixture
def catalogos():
    cat = catalogos_de_pte(
        [
            {"orden": 2, "descripcion": "Visita técnica"},
            {"orden": 1, "descripcion": "Recepción de solicitud"},
            {"orden": 3, "descripcion": "Retirado", "activo": False},
        ],
        cliente={"descripcion": "PEP Cantarell"},
        responsable={"nombre": "Ing. Laura Méndez"},
        tipo={"descripcion": "Inspección submarina"},
    )
    cat["pasos"].append(PasoFactory(descripcion="De otro tipo de cliente"))
    return cat


def _body(cat, **extra):
    return {
        "oficio_pte": "PTE-2026-0042",
        "oficio_solicitud": "SOL-77",
        "descripcion_trabajo": "Inspección de ducto de 36 pulgadas",
        "fecha_solicitud": "2026-03-15",
        "plazo_dias": 20,
        "responsable_proyecto": cat["responsable"].pk,
        "cliente": cat["cliente"].pk,
        "tipo": cat["tipo"].pk,
        "total_homologado": "1250000.75",
        **extra,
    }


def _post(client, csrf, body):
    return client.post(URL, body, content_type="application/json", **csrf(client))


# --- list -------------------------------------------------------------------------------------


def test_list_contract_b_body(viewer):
    older = PTEFactory(fecha_solicitud=datetime.date(2026, 1, 5))
    newer = PTEFactory(fecha_solicitud=datetime.date(2026, 2, 5))

    response = viewer.get(URL, {"pagina": 1, "elementos_por_pagina": 10})

    assert response.status_code == HTTPStatus.OK
    body = response.json()
    assert [p["id"] for p in body["ptes"]] == [newer.pk, older.pk]
    assert body["ptes"][0] == {
        "id": newer.pk,
        "oficio_pte": newer.oficio_pte,
        "oficio_solicitud": "",
        "descripcion_trabajo": newer.descripcion_trabajo,
        "fecha_solicitud": "2026-02-05",
        "fecha_entrega": None,
        "plazo_dias": 15,
        "responsable_proyecto": newer.responsable_proyecto.nombre,
        "responsable_proyecto_id": newer.responsable_proyecto_id,
        "cliente": newer.cliente.descripcion,
        "cliente_id": newer.cliente_id,
        "tipo": newer.tipo.descripcion,
        "tipo_id": newer.tipo_id,
        "prioridad": 2,
        "total_homologado": "125000.50",
        "estatus": 1,
        "estatus_texto": "Pendiente",
        "progreso": 0.0,
    }
    assert {k: v for k, v in body.items() if k != "ptes"} == {
        "total": 2,
        "total_paginas": 1,
        "pagina_actual": 1,
        "elementos_por_pagina": 10,
        "total_aproximado": False,
    }


def test_list_pages(viewer):
    PTEFactory.create_batch(25)

    page3 = viewer.get(URL, {"pagina": 3, "elementos_por_pagina": 10}).json()

    assert len(page3["ptes"]) == 5
    assert (page3["total"], page3["total_paginas"], page3["pagina_actual"]) == (25, 3, 3)


def test_list_defaults_to_first_page_of_ten(viewer):
    PTEFactory.create_batch(12)

    body = viewer.get(URL).json()

    assert len(body["ptes"]) == 10 and body["pagina_actual"] == 1


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"pagina": "dos"}, "pagina", "Must be a whole number, got 'dos'."),
        ({"pagina": 0}, "pagina", "Must be 1 or more."),
        ({"elementos_por_pagina": -3}, "elementos_por_pagina", "Must be 1 or more."),
        ({"elementos_por_pagina": 101}, "elementos_por_pagina", "At most 100 items per page."),
    ],
)
def test_list_rejects_bad_page_numbers(viewer, params, field, message):
    response = viewer.get(URL, params)

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json() == invalid_input({field: [message]})


def test_page_past_the_end_is_404(viewer):
    PTEFactory.create_batch(3)

    response = viewer.get(URL, {"pagina": 2})

    assert response.status_code == HTTPStatus.NOT_FOUND
    assert response.json() == {
        "error": "Not found",
        "code": "not_found",
        "detail": "Page 2 does not exist; there are 1 pages.",
    }


def test_empty_list_has_one_empty_page(viewer):
    body = viewer.get(URL).json()

    assert body["ptes"] == [] and body["total"] == 0 and body["total_paginas"] == 1


def test_list_filters(viewer):
    cliente = ClienteFactory()
    match = PTEFactory(
        cliente=cliente,
        estatus=2,
        descripcion_trabajo="Reparación de riser en Akal-C",
        fecha_solicitud=datetime.date(2026, 4, 1),
    )
    PTEFactory(cliente=cliente, estatus=1, fecha_solicitud=datetime.date(2026, 4, 2))
    PTEFactory(estatus=2, fecha_solicitud=datetime.date(2026, 4, 3))

    def ids(**params):
        return [p["id"] for p in viewer.get(URL, params).json()["ptes"]]

    assert ids(cliente=cliente.pk, estatus=2) == [match.pk]
    assert ids(buscar="akal-c") == [match.pk]
    assert ids(fecha_desde="2026-04-01", fecha_hasta="2026-04-01") == [match.pk]
    assert ids(responsable=match.responsable_proyecto_id) == [match.pk]


def test_list_ordering(viewer):
    a = PTEFactory(oficio_pte="B-2")
    b = PTEFactory(oficio_pte="A-1")

    body = viewer.get(URL, {"orden": "oficio_pte"}).json()

    assert [p["id"] for p in body["ptes"]] == [b.pk, a.pk]
    bad = viewer.get(URL, {"orden": "password"})
    assert bad.status_code == HTTPStatus.BAD_REQUEST
    assert list(bad.json()["fields"]) == ["orden"]


def test_list_query_count_does_not_grow_with_page_size(viewer, catalogos, assert_same_queries):
    for _ in range(30):
        pte = PTEFactory(cliente=catalogos["cliente"])
        PTEDetalle.objects.create(pte=pte, paso=catalogos["pasos"][0], estatus=3)

    viewer.get(URL)  # with Redis the user row and the total are cached after a first request
    assert_same_queries(
        lambda: viewer.get(URL, {"elementos_por_pagina": 2}),
        lambda: viewer.get(URL, {"elementos_por_pagina": 30}),
    )


def test_list_reports_progress(viewer, catalogos):
    pte = PTEFactory(cliente=catalogos["cliente"])
    PTEDetalle.objects.create(pte=pte, paso=catalogos["pasos"][0], estatus=3)
    PTEDetalle.objects.create(pte=pte, paso=catalogos["pasos"][1], estatus=14)
    PTEDetalle.objects.create(pte=pte, paso=catalogos["pasos"][3], estatus=2)

    assert viewer.get(URL).json()["ptes"][0]["progreso"] == 66.67


# --- create -----------------------------------------------------------------------------------


def test_create_returns_pte_with_steps_from_active_pasos_of_client_type(engineer, csrf, catalogos):
    response = _post(engineer, csrf, _body(catalogos))

    assert response.status_code == HTTPStatus.CREATED
    body = response.json()
    pte = PTE.objects.get()
    assert response["ETag"] == f'"{pte.pk}-1"'
    assert body == {
        "id": pte.pk,
        "oficio_pte": "PTE-2026-0042",
        "oficio_solicitud": "SOL-77",
        "descripcion_trabajo": "Inspección de ducto de 36 pulgadas",
        "fecha_solicitud": "2026-03-15",
        "fecha_entrega": None,
        "plazo_dias": 20,
        "responsable_proyecto": "Ing. Laura Méndez",
        "responsable_proyecto_id": catalogos["responsable"].pk,
        "cliente": "PEP Cantarell",
        "cliente_id": catalogos["cliente"].pk,
        "tipo": "Inspección submarina",
        "tipo_id": catalogos["tipo"].pk,
        "prioridad": 2,
        "total_homologado": "1250000.75",
        "estatus": 1,
        "estatus_texto": "Pendiente",
        "progreso": 0.0,
        "comentario": "",
        "creado_en": ANY,
        "actualizado_en": ANY,
        # The client type's active steps in their order, each pending.
        "detalles": [
            {
                "id": ANY,
                "paso_id": paso.pk,
                "paso_descripcion": descripcion,
                "orden": orden,
                "estatus_pte": 1,
                "estatus_texto": "Pendiente",
                "fecha_inicio": None,
                "fecha_termino": None,
                "fecha_entrega": None,
                "comentario": "",
                "archivo": "",
            }
            for paso, descripcion, orden in (
                (catalogos["pasos"][1], "Recepción de solicitud", 1),
                (catalogos["pasos"][0], "Visita técnica", 2),
            )
        ],
    }
    assert pte.creado_por is not None
    assert pte.total_homologado == __import__("decimal").Decimal("1250000.75")


@pytest.mark.parametrize(
    ("change", "fields"),
    [
        ({"plazo_dias": 0}, ["plazo_dias"]),
        ({"plazo_dias": -5}, ["plazo_dias"]),
        ({"cliente": 999999}, ["cliente"]),
        ({"responsable_proyecto": None}, ["responsable_proyecto"]),
        ({"tipo": "x"}, ["tipo"]),
        ({"fecha_solicitud": "15/03/2026"}, ["fecha_solicitud"]),
        ({"total_homologado": "-1"}, ["total_homologado"]),
        ({"total_homologado": "1.234"}, ["total_homologado"]),
        ({"estatus": 7}, ["estatus"]),
    ],
)
def test_create_validation(engineer, csrf, catalogos, change, fields):
    response = _post(engineer, csrf, _body(catalogos, **change))

    assert_error(response, HTTPStatus.BAD_REQUEST, "invalid")
    assert sorted(response.json()["fields"]) == fields
    assert not PTE.objects.exists()
    assert not RegistroActividad.objects.filter(entidad="pte").exists()


def test_create_missing_fields(engineer, csrf):
    response = _post(engineer, csrf, {})

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert set(response.json()["fields"]) == {
        "oficio_pte",
        "descripcion_trabajo",
        "fecha_solicitud",
        "plazo_dias",
        "responsable_proyecto",
        "cliente",
        "tipo",
    }


def test_inactive_catalog_entries_are_refused_as_new_choices(engineer, csrf, catalogos):
    catalogos["cliente"].activo = False
    catalogos["cliente"].save()

    response = _post(engineer, csrf, _body(catalogos))

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert list(response.json()["fields"]) == ["cliente"]


def test_duplicate_oficio_is_refused(engineer, csrf, catalogos):
    assert _post(engineer, csrf, _body(catalogos)).status_code == HTTPStatus.CREATED

    response = _post(engineer, csrf, _body(catalogos))
    en_espanol = engineer.post(
        URL,
        _body(catalogos),
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="es-MX",
        **csrf(engineer),
    )

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert PTE.objects.count() == 1
    # The database's rule speaks the API's language, as its other messages do.
    assert response.json()["fields"] == {"__all__": ["A PTE with that oficio already exists."]}
    assert en_espanol.json()["fields"] == {"__all__": ["Ya existe una PTE con ese oficio."]}


def test_create_is_logged(engineer, csrf, catalogos):
    _post(engineer, csrf, _body(catalogos))

    row = RegistroActividad.objects.get(entidad="pte")
    assert (row.accion, row.entidad_id, row.valor_nuevo) == (
        "crear",
        str(PTE.objects.get().pk),
        "PTE-2026-0042",
    )
    assert row.usuario is not None


# --- detail, edit, delete ---------------------------------------------------------------------


def _created(engineer, csrf, catalogos):
    response = _post(engineer, csrf, _body(catalogos))
    return response.json()["id"], response["ETag"]


def test_detail(viewer, engineer, csrf, catalogos):
    pte_id, etag = _created(engineer, csrf, catalogos)

    response = viewer.get(f"{URL}{pte_id}/")

    assert response.status_code == HTTPStatus.OK
    assert response["ETag"] == etag
    assert [d["paso_descripcion"] for d in response.json()["detalles"]] == [
        "Recepción de solicitud",
        "Visita técnica",
    ]


def test_unknown_pte_is_404(viewer):
    response = viewer.get(f"{URL}987654/")

    assert_error(response, HTTPStatus.NOT_FOUND, "not_found")


def test_patch_with_current_etag_changes_and_logs_each_field(engineer, csrf, catalogos):
    pte_id, etag = _created(engineer, csrf, catalogos)

    response = engineer.patch(
        f"{URL}{pte_id}/",
        {"plazo_dias": 30, "comentario": "Urgente"},
        content_type="application/json",
        HTTP_IF_MATCH=etag,
        **csrf(engineer),
    )

    assert response.status_code == HTTPStatus.OK
    assert response.json()["plazo_dias"] == 30
    assert response["ETag"] == f'"{pte_id}-2"'
    rows = RegistroActividad.objects.filter(entidad="pte", accion="modificar").order_by("campo")
    assert [(r.campo, r.valor_anterior, r.valor_nuevo) for r in rows] == [
        ("comentario", "", "Urgente"),
        ("plazo_dias", "20", "30"),
    ]


def test_two_editors_the_second_is_refused_and_nothing_is_lost(
    engineer, role_client, csrf, catalogos
):
    other = role_client("Ingeniería")
    pte_id, etag = _created(engineer, csrf, catalogos)

    first = engineer.patch(
        f"{URL}{pte_id}/",
        {"comentario": "Primera edición"},
        content_type="application/json",
        HTTP_IF_MATCH=etag,
        **csrf(engineer),
    )
    second = other.patch(
        f"{URL}{pte_id}/",
        {"plazo_dias": 99},
        content_type="application/json",
        HTTP_IF_MATCH=etag,
        **csrf(other),
    )

    assert first.status_code == HTTPStatus.OK
    assert second.status_code == HTTPStatus.PRECONDITION_FAILED
    assert second.json() == {
        "error": "Precondition failed",
        "code": "precondition_failed",
        "detail": f'The resource has changed (now at "{pte_id}-2"); fetch it again and retry.',
    }
    pte = PTE.objects.get(pk=pte_id)
    assert (pte.comentario, pte.plazo_dias) == ("Primera edición", 20)
    assert not RegistroActividad.objects.filter(campo="plazo_dias").exists()


def test_put_replaces_and_requires_every_field(engineer, csrf, catalogos):
    pte_id, etag = _created(engineer, csrf, catalogos)

    partial = engineer.put(
        f"{URL}{pte_id}/", {"plazo_dias": 3}, content_type="application/json", **csrf(engineer)
    )
    full = engineer.put(
        f"{URL}{pte_id}/",
        _body(catalogos, plazo_dias=3),
        content_type="application/json",
        HTTP_IF_MATCH=etag,
        **csrf(engineer),
    )

    assert partial.status_code == HTTPStatus.BAD_REQUEST
    assert full.status_code == HTTPStatus.OK and full.json()["plazo_dias"] == 3


def test_delivered_status_stamps_and_clears_fecha_entrega(engineer, csrf, catalogos):
    pte_id, _ = _created(engineer, csrf, catalogos)

    def patch(**fields):
        return engineer.patch(
            f"{URL}{pte_id}/", fields, content_type="application/json", **csrf(engineer)
        ).json()

    with time_machine.travel("2026-06-10T12:00:00-06:00", tick=False):
        assert patch(estatus=3)["fecha_entrega"] == "2026-06-10"
    assert patch(estatus=2)["fecha_entrega"] is None
    assert patch(estatus=3, fecha_entrega="2026-06-01")["fecha_entrega"] == "2026-06-01"


def test_step_update_rules(engineer, csrf, catalogos):
    pte_id, _ = _created(engineer, csrf, catalogos)
    detalle = PTEDetalle.objects.filter(pte_id=pte_id).order_by("paso__orden").first()
    url = f"{URL}{pte_id}/pasos/{detalle.pk}/"

    with time_machine.travel("2026-06-11T09:00:00-06:00", tick=False):
        done = engineer.patch(
            url, {"estatus": 3}, content_type="application/json", **csrf(engineer)
        )
    assert done.status_code == HTTPStatus.OK
    assert done.json()["fecha_entrega"] == "2026-06-11"
    assert engineer.get(f"{URL}{pte_id}/").json()["progreso"] == 50.0
    back = engineer.patch(url, {"estatus": 2}, content_type="application/json", **csrf(engineer))
    assert back.json()["fecha_entrega"] is None
    stale = engineer.patch(
        url,
        {"comentario": "x"},
        content_type="application/json",
        HTTP_IF_MATCH=done["ETag"],
        **csrf(engineer),
    )
    assert stale.status_code == HTTPStatus.PRECONDITION_FAILED
    other_pte = PTEFactory()
    wrong = engineer.patch(
        f"{URL}{other_pte.pk}/pasos/{detalle.pk}/",
        {"estatus": 3},
        content_type="application/json",
        **csrf(engineer),
    )
    assert wrong.status_code == HTTPStatus.NOT_FOUND


def test_delete_is_soft_and_logged(engineer, csrf, catalogos):
    pte_id, etag = _created(engineer, csrf, catalogos)

    response = engineer.delete(f"{URL}{pte_id}/", HTTP_IF_MATCH=etag, **csrf(engineer))

    assert response.status_code == HTTPStatus.NO_CONTENT
    assert engineer.get(f"{URL}{pte_id}/").status_code == HTTPStatus.NOT_FOUND
    assert engineer.get(URL).json()["total"] == 0
    assert PTE.all_objects.filter(pk=pte_id, eliminado_en__isnull=False).exists()
    assert RegistroActividad.objects.filter(entidad="pte", accion="eliminar").count() == 1
    # The oficio is free again for a new PTE.
    assert _post(engineer, csrf, _body(catalogos)).status_code == HTTPStatus.CREATED


# --- permissions --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "can_read", "can_write"),
    [
        ("Consulta", True, False),
        ("Captura de producción", True, False),
        ("Ingeniería", True, True),
        ("Administración", True, True),
        (None, False, False),
    ],
)
def test_permission_matrix(
    role_client, client, json_login, csrf, catalogos, role, can_read, can_write
):
    if role is None:
        from sascop.accounts.tests.factories import UserFactory

        UserFactory(username="sin_rol")
        json_login("sin_rol")
        c = client
    else:
        c = role_client(role)

    read = c.get(URL)
    write = _post(c, csrf, _body(catalogos))

    assert read.status_code == (HTTPStatus.OK if can_read else HTTPStatus.FORBIDDEN)
    assert write.status_code == (HTTPStatus.CREATED if can_write else HTTPStatus.FORBIDDEN)
    if not can_write:
        assert write.json()["code"] == "permission_denied"


def test_anonymous_gets_401(client):
    response = client.get(URL)

    assert_error(response, HTTPStatus.UNAUTHORIZED, "not_authenticated")


def test_list_total_follows_every_write(viewer):
    PTEFactory.create_batch(3)
    assert viewer.get(URL).json()["total"] == 3

    PTEFactory()
    gone = PTEFactory()
    gone.delete()

    assert viewer.get(URL).json()["total"] == 4
    assert viewer.get(URL, {"estatus": 3}).json()["total"] == 0


def test_a_long_list_is_not_counted_in_full_and_says_its_total_is_approximate(viewer, monkeypatch):
    from sascop.core.api import pagination

    monkeypatch.setattr(pagination, "LIMITE_CONTEO", 3)
    PTEFactory.create_batch(3)
    assert viewer.get(URL).json()["total_aproximado"] is False
    PTEFactory.create_batch(2)

    with CaptureQueriesContext(connection) as queries:
        body = viewer.get(URL, {"pagina": 2, "elementos_por_pagina": 2}).json()

    assert body["total_aproximado"] is True
    assert body["pagina_actual"] == 2
    assert body["total"] >= 4  # SQLite has no estimate: at least what was counted
    assert [p["id"] for p in body["ptes"]]
    counts = [q["sql"] for q in queries.captured_queries if "COUNT(*)" in q["sql"].upper()]
    assert counts and all("LIMIT 4" in sql.upper() for sql in counts)
    # Past the estimate, a page is served while it has rows, then 404.
    assert viewer.get(URL, {"pagina": 3, "elementos_por_pagina": 2}).status_code == 200
    assert viewer.get(URL, {"pagina": 9, "elementos_por_pagina": 2}).status_code == 404


def test_a_deep_page_loads_its_rows_by_id(viewer, monkeypatch):
    from sascop.core.api import pagination

    monkeypatch.setattr(pagination, "DESPLAZAMIENTO_DIFERIDO", 2)
    ptes = PTEFactory.create_batch(5)
    newest_first = [p.pk for p in sorted(ptes, key=lambda p: (p.fecha_solicitud, p.pk))][::-1]

    body = viewer.get(URL, {"pagina": 2, "elementos_por_pagina": 2}).json()

    assert [p["id"] for p in body["ptes"]] == newest_first[2:4]
