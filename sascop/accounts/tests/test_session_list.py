"""Sessions a user can see and end: /api/sessions/ (both stores: the database, and with
REDIS_URL the revocable Redis copy)."""

from __future__ import annotations

from http import HTTPStatus
from typing import Any
from unittest.mock import ANY

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from sascop.accounts.models import Sesion
from sascop.accounts.tests.factories import PASSWORD, UserFactory
from tests.envelope import NOT_AUTHENTICATED, assert_error

pytestmark = pytest.mark.django_db

CHROME_WINDOWS = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36"
)
SAFARI_IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"
)


def _login(username: str = "ana", agent: str = "", ip: str = "10.0.0.1") -> Client:
    c = Client(enforce_csrf_checks=True, HTTP_USER_AGENT=agent, REMOTE_ADDR=ip)
    response = c.post(
        "/api/login/",
        {"username": username, "password": PASSWORD},
        content_type="application/json",
    )
    assert response.status_code == HTTPStatus.OK, response.content
    return c


def _csrf(c: Client) -> dict[str, Any]:
    return {"HTTP_X_CSRFTOKEN": c.cookies["csrftoken"].value}


def _list(c: Client, **params: str):
    response = c.get("/api/sessions/", params)
    assert response.status_code == HTTPStatus.OK, response.content
    return response.json()["sessions"]


def test_a_user_sees_each_live_session_with_device_and_the_current_one(user):
    laptop = _login(agent=CHROME_WINDOWS, ip="10.0.0.7")
    phone = _login(agent=SAFARI_IPHONE, ip="10.0.0.8")
    script = _login()

    listed = _list(phone)

    assert sorted(listed, key=lambda s: s["device"]) == [
        {
            "id": ANY,
            "created_at": ANY,
            "last_seen_at": ANY,
            "expires_at": ANY,
            "ip": "10.0.0.7",
            "user_agent": CHROME_WINDOWS,
            "device": "Chrome en Windows",
            "current": False,
        },
        {
            "id": ANY,
            "created_at": ANY,
            "last_seen_at": ANY,
            "expires_at": ANY,
            "ip": "10.0.0.8",
            "user_agent": SAFARI_IPHONE,
            "device": "Mobile Safari en iPhone",
            "current": True,
        },
        {
            "id": ANY,
            "created_at": ANY,
            "last_seen_at": ANY,
            "expires_at": ANY,
            "ip": "10.0.0.1",
            "user_agent": "",
            "device": "script",
            "current": False,
        },
    ]
    keys = {c.cookies["sessionid"].value for c in (laptop, phone, script)}
    assert not {s["id"] for s in listed} & keys  # the id is never the session key
    assert all(s["created_at"].endswith("Z") for s in listed)


def test_others_and_logged_out_sessions_are_not_listed(user):
    UserFactory(username="beto")
    mine = _login()
    _login("beto")
    gone = _login()
    gone.post("/api/logout/", content_type="application/json", **_csrf(gone))

    assert len(_list(mine)) == 1


def test_ending_a_session_stops_it_at_once(user):
    laptop = _login(agent=CHROME_WINDOWS)
    phone = _login(agent=SAFARI_IPHONE)
    laptop_id = next(s["id"] for s in _list(phone) if not s["current"])

    response = phone.delete(f"/api/sessions/{laptop_id}/", **_csrf(phone))

    assert response.status_code == HTTPStatus.NO_CONTENT
    refused = laptop.get("/api/user/")
    assert refused.status_code == HTTPStatus.UNAUTHORIZED
    assert refused.json() == NOT_AUTHENTICATED
    assert [s["current"] for s in _list(phone)] == [True]


def test_someone_elses_session_id_is_404(user):
    UserFactory(username="beto")
    mine = _login()
    beto = _login("beto")
    beto_id = _list(beto)[0]["id"]

    assert_error(
        mine.delete(f"/api/sessions/{beto_id}/", **_csrf(mine)), HTTPStatus.NOT_FOUND, "not_found"
    )
    assert beto.get("/api/user/").status_code == HTTPStatus.OK


def test_revoke_others_keeps_the_current_session(user):
    others = [_login() for _ in range(3)]
    current = _login()

    response = current.post(
        "/api/sessions/revoke-others/", content_type="application/json", **_csrf(current)
    )

    assert response.status_code == HTTPStatus.OK
    assert response.json() == {"revoked": 3}
    assert current.get("/api/user/").status_code == HTTPStatus.OK
    assert all(c.get("/api/user/").status_code == HTTPStatus.UNAUTHORIZED for c in others)


def test_administrators_see_and_end_anybodys_sessions(user):
    admin = UserFactory(username="jefa")
    admin.groups.add(Group.objects.get(name="Administración"))
    boss = _login("jefa")
    ana = _login()

    listed = _list(boss, user=str(user.pk))
    ended = boss.delete(f"/api/sessions/{listed[0]['id']}/?user={user.pk}", **_csrf(boss))

    assert [s["current"] for s in listed] == [False]
    assert ended.status_code == HTTPStatus.NO_CONTENT
    assert ana.get("/api/user/").status_code == HTTPStatus.UNAUTHORIZED


def test_only_administrators_name_another_user(user):
    beto = UserFactory(username="beto")
    mine = _login()

    assert_error(
        mine.get("/api/sessions/", {"user": beto.pk}),
        HTTPStatus.FORBIDDEN,
        "permission_denied",
    )
    assert_error(mine.get("/api/sessions/", {"user": "x"}), HTTPStatus.BAD_REQUEST, "invalid")


def test_the_list_needs_a_session_and_ending_needs_csrf(user):
    mine = _login()
    session_id = _list(mine)[0]["id"]

    assert_error(Client().get("/api/sessions/"), HTTPStatus.UNAUTHORIZED, "not_authenticated")
    assert_error(mine.delete(f"/api/sessions/{session_id}/"), HTTPStatus.FORBIDDEN, "csrf_failed")


def test_listing_is_an_indexed_read_that_writes_nothing(
    user, django_assert_max_num_queries, django_assert_num_queries
):
    for _ in range(2):
        _login()
    mine = _login()
    mine.get("/api/sessions/")  # the user row is cached after a first request with Redis

    with django_assert_max_num_queries(4) as queries:
        assert len(_list(mine)) == 3
    # Read now: the next request clears Django's query log.
    count = len(queries)
    writes = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
    ]
    for _ in range(5):
        _login()
    mine.get("/api/sessions/")  # logins touched the user row: let it be cached again
    with django_assert_num_queries(count):
        assert len(_list(mine)) == 8

    assert writes == []
    assert any(index.fields == ["user", "expire_date"] for index in Sesion._meta.indexes)
