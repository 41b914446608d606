"""Catalogs: read by any role, written by administrators, deactivated instead of deleted."""

from __future__ import annotations

from http import HTTPStatus

import pytest

from sascop.actividad.models import RegistroActividad
from sascop.catalogos.models import Frente, ResponsableProyecto
from sascop.catalogos.tests.factories import FrenteFactory, ResponsableFactory, SitioFactory
from sascop.ots.tests.factories import OTFactory
from sascop.ptes.tests.factories import cuerpo_pte_nueva

pytestmark = pytest.mark.django_db
URL = "/operaciones/api/catalogos/"


@pytest.fixture
def admin_client(role_client):
    return role_client("Administración")


def _json(c, csrf, method, url, body=None):
    return getattr(c, method)(url, body or {}, content_type="application/json", **csrf(c))


def test_list_shows_active_and_inactive_with_filter(viewer):
    active = FrenteFactory(descripcion="Sonda de Campeche")
    FrenteFactory(descripcion="Viejo", activo=False)

    everything = viewer.get(f"{URL}frentes/").json()
    only_active = viewer.get(f"{URL}frentes/", {"activo": "true"}).json()

    assert everything["total"] == 2
    assert only_active["frentes"] == [
        {
            "id": active.pk,
            "descripcion": "Sonda de Campeche",
            "clave_anterior": None,
            "activo": True,
        }
    ]
    assert viewer.get(f"{URL}frentes/", {"buscar": "campeche"}).json()["total"] == 1


def test_unknown_catalog_is_404(viewer):
    response = viewer.get(f"{URL}planetas/")

    assert response.status_code == HTTPStatus.NOT_FOUND
    assert "frentes" in response.json()["detail"]


def test_admin_creates_edits_and_deactivates(admin_client, csrf):
    created = _json(admin_client, csrf, "post", f"{URL}frentes/", {"descripcion": "Litoral"})
    assert created.status_code == HTTPStatus.CREATED
    pk = created.json()["id"]

    edited = _json(admin_client, csrf, "patch", f"{URL}frentes/{pk}/", {"descripcion": "Litoral T"})
    deactivated = admin_client.delete(f"{URL}frentes/{pk}/", **csrf(admin_client))

    assert edited.json()["descripcion"] == "Litoral T"
    assert deactivated.status_code == HTTPStatus.NO_CONTENT
    assert Frente.objects.get(pk=pk).activo is False  # still there
    actions = list(
        RegistroActividad.objects.filter(entidad="frente").values_list("accion", "campo")
    )
    assert sorted(actions) == [("crear", ""), ("modificar", "activo"), ("modificar", "descripcion")]


def test_readers_cannot_write_catalogs(viewer, engineer, csrf):
    for c in (viewer, engineer):
        response = _json(c, csrf, "post", f"{URL}frentes/", {"descripcion": "X"})
        assert response.status_code == HTTPStatus.FORBIDDEN


def test_deactivated_entry_stays_on_old_records_but_is_refused_for_new(engineer, csrf):
    sitio = SitioFactory()
    ot = OTFactory(sitio=sitio, frente=sitio.frente)
    sitio.activo = False
    sitio.save()

    # The old OT keeps it, and can still be edited in other fields.
    edit = _json(engineer, csrf, "patch", f"/operaciones/api/ots/{ot.pk}/", {"comentario": "ok"})
    assert edit.status_code == HTTPStatus.OK
    assert edit.json()["sitio_id"] == sitio.pk
    # A new OT cannot choose it.
    new = _json(
        engineer,
        csrf,
        "post",
        "/operaciones/api/ots/",
        {
            "orden_trabajo": "OT-NUEVA",
            "descripcion_trabajo": "x",
            "responsable_proyecto": ot.responsable_proyecto_id,
            "cliente": ot.cliente_id,
            "sitio": sitio.pk,
        },
    )
    assert new.status_code == HTTPStatus.BAD_REQUEST
    assert list(new.json()["fields"]) == ["sitio"]


def test_api_messages_name_a_catalog_by_its_spanish_name_in_english_too(
    admin_client, engineer, csrf
):
    """A catalog's name (its model's verbose name) is translated on the pages, but the API's
    messages keep the Spanish word they have always said, whatever the client's language."""
    cuerpo = cuerpo_pte_nueva(oficio_pte="PTE-1")
    ResponsableProyecto.objects.filter(pk=cuerpo["responsable_proyecto"]).update(activo=False)
    pk = ResponsableFactory().pk + 1000

    for idioma in ("en", "es-MX"):
        refused = engineer.post(
            "/operaciones/api/ptes/",
            cuerpo,
            content_type="application/json",
            HTTP_ACCEPT_LANGUAGE=idioma,
            **csrf(engineer),
        )
        missing = admin_client.patch(
            f"{URL}responsables/{pk}/",
            {"nombre": "X"},
            content_type="application/json",
            HTTP_ACCEPT_LANGUAGE=idioma,
            **csrf(admin_client),
        )

        assert refused.status_code == HTTPStatus.BAD_REQUEST
        assert refused.json()["fields"] == {
            "responsable_proyecto": [
                f"responsable de proyecto {cuerpo['responsable_proyecto']} is inactive."
            ]
        }
        assert missing.status_code == HTTPStatus.NOT_FOUND
        assert missing.json()["detail"] == f"Responsable de proyecto {pk} does not exist."


def test_estatus_lists_fixed_workflow_statuses(viewer):
    body = viewer.get(f"{URL}estatus/").json()

    assert body["pte"] == [
        {"valor": 1, "texto": "Pendiente"},
        {"valor": 2, "texto": "En proceso"},
        {"valor": 3, "texto": "Entregada"},
        {"valor": 4, "texto": "Cancelada"},
        {"valor": 9, "texto": "Suspendida"},
    ]
    assert [e["valor"] for e in body["paso"]] == [1, 2, 3, 4, 14, 15]


def test_catalog_and_activity_lists_cost_constant_queries(role_client, assert_same_queries):
    admin = role_client("Administración")
    SitioFactory.create_batch(12)
    from sascop.actividad.models import RegistroActividad as R

    R.objects.bulk_create([R(accion="crear", entidad="pte", entidad_id=str(n)) for n in range(12)])
    for url in (f"{URL}sitios/", "/operaciones/api/actividad/"):
        admin.get(url)  # with Redis the user row and the total are cached after a first request
        assert_same_queries(
            lambda url=url: admin.get(url, {"elementos_por_pagina": 2}),
            lambda url=url: admin.get(url, {"elementos_por_pagina": 12}),
        )
