"""The activity log: readable by administrators only; auth events and admin edits go in."""

from __future__ import annotations

from http import HTTPStatus

import pytest
from django.test import Client

from sascop.accounts.tests.factories import make_user
from sascop.actividad.models import RegistroActividad
from sascop.actividad.selectors import entidades
from sascop.ptes.tests.factories import PTEFactory

pytestmark = pytest.mark.django_db
URL = "/operaciones/api/actividad/"


def test_only_administrators_read_the_log(role_client):
    for role, expected in [
        ("Consulta", HTTPStatus.FORBIDDEN),
        ("Ingeniería", HTTPStatus.FORBIDDEN),
        ("Captura de producción", HTTPStatus.FORBIDDEN),
        ("Administración", HTTPStatus.OK),
    ]:
        assert role_client(role).get(URL).status_code == expected, role


def test_auth_events_are_logged(client, user, json_login, csrf, time_machine):
    time_machine.move_to("2026-05-04T08:00:00Z", tick=False)
    client.post(
        "/api/login/", {"username": "ana", "password": "mal"}, content_type="application/json"
    )
    json_login()
    client.post("/api/logout/", content_type="application/json", **csrf(client))
    json_login()
    time_machine.shift(7201)
    client.get("/api/user/")

    rows = list(RegistroActividad.objects.order_by("id").values_list("accion", "nombre_usuario"))
    assert rows == [
        ("login_fallido", "ana"),
        ("login", "ana"),
        ("logout", "ana"),
        ("login", "ana"),
        ("sesion_expirada", "ana"),
    ]


def test_lockout_is_logged(client, user):
    for _ in range(5):
        client.post(
            "/api/login/", {"username": "ana", "password": "x"}, content_type="application/json"
        )

    assert RegistroActividad.objects.filter(accion="bloqueo", nombre_usuario="ana").exists()


def test_filters(role_client):
    admin = role_client("Administración")
    RegistroActividad.objects.create(accion="crear", entidad="pte", entidad_id="7")
    RegistroActividad.objects.create(accion="crear", entidad="ot", entidad_id="7")

    body = admin.get(URL, {"entidad": "pte", "accion": "crear"}).json()

    assert [(r["entidad"], r["entidad_id"]) for r in body["actividad"]] == [("pte", "7")]
    assert admin.get(URL, {"accion": "bailar"}).status_code == HTTPStatus.BAD_REQUEST


def test_admin_site_edits_are_logged_per_field():
    superuser = make_user(username="root", is_staff=True, is_superuser=True)
    pte = PTEFactory(comentario="antes")
    browser = Client()
    browser.force_login(superuser)
    page = browser.get(f"/admin/ptes/pte/{pte.pk}/change/")
    form = page.context["adminform"].form
    data = {
        name: form[name].value() if form[name].value() is not None else "" for name in form.fields
    }
    data.update(
        comentario="después",
        fecha_solicitud=pte.fecha_solicitud.isoformat(),
        **{
            "detalles-TOTAL_FORMS": "0",
            "detalles-INITIAL_FORMS": "0",
            "detalles-MIN_NUM_FORMS": "0",
            "detalles-MAX_NUM_FORMS": "1000",
        },
    )

    response = browser.post(f"/admin/ptes/pte/{pte.pk}/change/", data)

    assert response.status_code == HTTPStatus.FOUND, response.content[:2000]
    row = RegistroActividad.objects.get(entidad="pte", accion="modificar")
    assert (row.campo, row.valor_anterior, row.valor_nuevo, row.usuario) == (
        "comentario",
        "antes",
        "después",
        superuser,
    )


def test_the_log_list_never_counts_all_its_rows(role_client, monkeypatch):
    # The log grows without bound: a page counts at most LIMITE_CONTEO + 1 rows, then says
    # its total is an estimate.
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from sascop.core.api import pagination

    monkeypatch.setattr(pagination, "LIMITE_CONTEO", 2)
    admin = role_client("Administración")
    RegistroActividad.objects.bulk_create(
        RegistroActividad(accion=RegistroActividad.Accion.LOGIN, nombre_usuario=f"u{i}")
        for i in range(5)
    )

    with CaptureQueriesContext(connection) as queries:
        body = admin.get(URL).json()

    assert body["total_aproximado"] is True
    counts = [q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"].upper()]
    assert counts and all("LIMIT 3" in sql.upper() for sql in counts)


def test_an_access_is_one_row_shown_by_the_log_and_the_login_history(
    client, user, json_login, role_client
):
    client.post(
        "/api/login/",
        {"username": "ANA@sascop.mx", "password": "mal"},
        content_type="application/json",
    )
    json_login()
    # The failure and the login, each once (the log is the login history).
    assert sorted(RegistroActividad.objects.values_list("accion", flat=True)) == [
        "login",
        "login_fallido",
    ]
    fila = RegistroActividad.objects.get(accion="login_fallido")

    log = role_client("Administración").get(URL, {"accion": "login_fallido"}).json()["actividad"]
    history = client.get("/api/login-history/", {"result": "failure"}).json()["events"]

    assert [(r["id"], r["usuario"], r["nombre_usuario"]) for r in log] == [
        (fila.pk, user.pk, "ANA@sascop.mx")
    ]
    assert [(e["id"], e["user_id"], e["identifier"]) for e in history] == [
        (fila.pk, user.pk, "ANA@sascop.mx")
    ]


def test_admin_bulk_deletes_are_logged_in_one_insert():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from sascop.precios.tests.factories import ContratoFactory

    superuser = make_user(username="root", is_staff=True, is_superuser=True)
    contratos = [ContratoFactory(numero=f"64085780{i}") for i in range(3)]
    browser = Client()
    browser.force_login(superuser)

    with CaptureQueriesContext(connection) as queries:
        response = browser.post(
            "/admin/precios/contrato/",
            {
                "action": "delete_selected",
                "_selected_action": [c.pk for c in contratos],
                "post": "yes",
            },
        )

    assert response.status_code == HTTPStatus.FOUND
    inserts = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].startswith("INSERT INTO") and "actividad_registroactividad" in q["sql"]
    ]
    assert len(inserts) == 1
    rows = RegistroActividad.objects.filter(
        accion="eliminar", entidad="contrato", usuario=superuser
    )
    assert sorted(rows.values_list("entidad_id", flat=True)) == sorted(str(c.pk) for c in contratos)


def test_the_kinds_of_record_have_one_name_each_in_a_fixed_order():
    """The log's "entidad" filter: no two options read alike (the catalog's step of an OT and
    an OT's own step share a model name), and every process lists them in one order."""
    nombres = [nombre for _, nombre in entidades()]

    assert len(set(nombres)) == len(nombres)
    assert nombres == sorted(nombres, key=str.lower)
    assert "Paso de OT (Catálogos)" in nombres
