"""The login history: what is recorded, who sees it, and how long it is kept."""

from __future__ import annotations

from http import HTTPStatus
from io import StringIO
from typing import Any
from unittest.mock import ANY

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.test import Client

from sascop.accounts import history
from sascop.accounts.tests.factories import PASSWORD, UserFactory
from sascop.actividad.selectors import accesos
from tests.envelope import assert_error

pytestmark = pytest.mark.django_db
AGENT = "Mozilla/5.0 (X11; Linux x86_64) Firefox/133.0"


def _client() -> Client:
    return Client(enforce_csrf_checks=True, HTTP_USER_AGENT=AGENT, REMOTE_ADDR="10.1.2.3")


def _login(c: Client, username: str = "ana", password: str = PASSWORD) -> int:
    return c.post(
        "/api/login/",
        {"username": username, "password": password},
        content_type="application/json",
    ).status_code


def _csrf(c: Client) -> dict[str, Any]:
    return {"HTTP_X_CSRFTOKEN": c.cookies["csrftoken"].value}


def _results() -> list[tuple[str, str, str | None]]:
    rows = accesos().order_by("id").select_related("usuario")
    return [
        (history.resultado(r).value, r.nombre_usuario, r.usuario.username if r.usuario else None)
        for r in rows
    ]


def test_every_kind_of_event_is_recorded_with_where_it_came_from(user, settings, time_machine):
    settings.AXES_FAILURE_LIMIT = 2
    time_machine.move_to("2026-06-01T12:00:00Z", tick=False)
    c = _client()
    _login(c, "nadie@sascop.mx", "x")
    _login(c, "ANA@sascop.mx", "mala")
    assert _login(c) == HTTPStatus.OK
    c.post("/api/logout/", content_type="application/json", **_csrf(c))
    _login(c, "ana", "mala")
    _login(c, "ana", "mala")  # the second failure locks the account for this client
    assert _login(c) == HTTPStatus.TOO_MANY_REQUESTS

    assert _results() == [
        ("failure", "nadie@sascop.mx", None),
        ("failure", "ANA@sascop.mx", "ana"),
        ("success", "ana", "ana"),
        ("logout", "ana", "ana"),
        ("failure", "ana", "ana"),
        ("locked", "ana", "ana"),
        ("locked", "ana", "ana"),
    ]
    assert set(accesos().values_list("ip", "agente_usuario")) == {("10.1.2.3", AGENT)}


def test_expiry_and_ended_sessions_are_recorded(user, time_machine):
    time_machine.move_to("2026-06-01T12:00:00Z", tick=False)
    old, current = _client(), _client()
    _login(old)
    _login(current)
    current.post("/api/sessions/revoke-others/", content_type="application/json", **_csrf(current))
    time_machine.shift(7201)
    current.get("/api/user/")

    assert [r for r, _i, _u in _results()] == ["success", "success", "revoked", "expired"]


def test_a_user_reads_their_own_history_newest_first(user):
    UserFactory(username="beto")
    c = _client()
    _login(c, "beto", "mala")
    _login(c, "ana", "mala")
    _login(c)

    response = c.get("/api/login-history/")

    assert response.status_code == HTTPStatus.OK
    assert response.json() == {
        "events": [
            {
                "id": ANY,
                "at": ANY,
                "user_id": user.pk,
                "identifier": "ana",
                "ip": "10.1.2.3",
                "user_agent": AGENT,
                "result": result,
            }
            for result in ("success", "failure")
        ],
        "total": 2,
        "total_paginas": 1,
        "pagina_actual": 1,
        "elementos_por_pagina": 10,
        "total_aproximado": False,
    }
    assert c.get("/api/login-history/", {"result": "failure"}).json()["total"] == 1
    assert_error(
        c.get("/api/login-history/", {"user": 999}), HTTPStatus.FORBIDDEN, "permission_denied"
    )


def test_administrators_see_everybodys_and_filter_by_user(user):
    beto = UserFactory(username="beto")
    jefa = UserFactory(username="jefa")
    jefa.groups.add(Group.objects.get(name="Administración"))
    c = _client()
    _login(c, "beto", "mala")
    _login(c, "ana", "mala")
    boss = _client()
    _login(boss, "jefa")

    everybody = boss.get("/api/login-history/").json()
    only_beto = boss.get("/api/login-history/", {"user": beto.pk}).json()

    assert everybody["total"] == 3
    assert [(e["user_id"], e["result"]) for e in only_beto["events"]] == [(beto.pk, "failure")]


def test_history_is_pruned_after_the_retention(user, settings, time_machine):
    settings.LOGIN_HISTORY_DAYS = 180
    time_machine.move_to("2026-01-01T12:00:00Z", tick=False)
    _login(_client(), "ana", "mala")
    time_machine.move_to("2026-06-01T12:00:00Z", tick=False)
    _login(_client(), "ana", "mala")
    time_machine.move_to("2026-07-15T12:00:00Z", tick=False)
    out = StringIO()

    call_command("prune_login_history", stdout=out)

    assert accesos().count() == 1
    assert out.getvalue().strip() == "Deleted 1 login-history events."
