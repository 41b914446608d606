"""A session that ends stays ended: logout, password change, deactivation, races with it.

The database is the source of truth. With Redis, the cached copies of sessions and users
must never bring back what the database lost (see core.cache.revocable); when Redis cannot record
an end, the client is told the change failed (503) and nothing is half done.
"""

from __future__ import annotations

from http import HTTPStatus
from importlib import import_module

import pytest
import redis
from django.conf import settings as django_settings
from django.db.models.signals import post_save
from django.test import Client
from redis.backoff import NoBackoff
from redis.retry import Retry

from sascop.accounts.models import Sesion as Session
from sascop.accounts.models import User
from sascop.accounts.tests.factories import PASSWORD
from sascop.catalogos.tests.factories import (
    ClienteFactory,
    ResponsableFactory,
    TipoPTEFactory,
)
from sascop.core.cache import revocable
from sascop.ptes.models import PTE
from tests.envelope import NOT_AUTHENTICATED

pytestmark = pytest.mark.django_db

WITH_REDIS = bool(django_settings.REDIS_URL)
needs_redis = pytest.mark.skipif(not WITH_REDIS, reason="the Redis copy exists only with Redis")
STORE_DOWN = {
    "error": "Service unavailable",
    "code": "service_unavailable",
    "detail": "The session store is not answering, so the change was not made. Try again shortly.",
}


def _store(key: str | None = None):
    return import_module(django_settings.SESSION_ENGINE).SessionStore(session_key=key)


def _logout(c: Client):
    return c.post(
        "/api/logout/",
        content_type="application/json",
        HTTP_X_CSRFTOKEN=c.cookies["csrftoken"].value,
    )


@pytest.fixture
def redis_unreachable(monkeypatch):
    """Point the session and user copies at a Redis that refuses connections."""
    dead = redis.Redis(host="127.0.0.1", port=1, retry=Retry(NoBackoff(), 0))
    monkeypatch.setattr(revocable, "_client", lambda: dead)


# --- races between a refresh or a write and the end of the session --------------------------


def test_refresh_racing_a_logout_does_not_bring_the_session_back(client, user, json_login):
    json_login()
    key = client.cookies["sessionid"].value
    racing = _store(key)
    racing["seen"] = 1  # a request that loaded the session before the logout ...

    assert _logout(client).status_code == HTTPStatus.OK
    racing.save()  # ... and saves its refresh after it: dropped, not an error

    assert not Session.objects.filter(session_key=key).exists()
    assert _store(key).load() == {}
    replay = Client(enforce_csrf_checks=True)
    replay.cookies["sessionid"] = key
    response = replay.get("/api/user/")
    assert response.status_code == HTTPStatus.UNAUTHORIZED
    assert response.json() == NOT_AUTHENTICATED


@needs_redis
def test_a_stale_copy_written_after_logout_is_refused_by_redis(client, user, json_login):
    json_login()
    key = client.cookies["sessionid"].value
    copy = _store(key)._copy_of(_store(key).load())

    assert _logout(client).status_code == HTTPStatus.OK
    name = revocable.key("session", key)
    revocable.store(name, copy, 3600)  # a late write of the old copy, from any server
    revocable.fill(name, copy, 3600)

    assert revocable.read(name) is revocable.REVOKED
    assert _store(key).load() == {}


@pytest.fixture
def engineer(role_client):
    return role_client("Ingeniería")


def _pte_body(oficio: str) -> dict[str, object]:
    return {
        "oficio_pte": oficio,
        "descripcion_trabajo": "Inspección de ducto",
        "fecha_solicitud": "2026-03-15",
        "plazo_dias": 20,
        "responsable_proyecto": ResponsableFactory().pk,
        "cliente": ClienteFactory().pk,
        "tipo": TipoPTEFactory().pk,
    }


def test_a_write_whose_session_ends_meanwhile_answers_what_it_did(engineer, settings):
    # Every request refreshes the session, so the save at the end of this one finds its
    # row gone: the PTE is saved, and the client must hear so (not 400 "Malformed request").
    settings.SESSION_REFRESH_INTERVAL = 0
    key = engineer.cookies["sessionid"].value
    body = _pte_body("PTE-CARRERA-1")

    def logout_elsewhere(sender, instance, created, **kwargs):
        _store(key).delete()

    post_save.connect(logout_elsewhere, sender=PTE, dispatch_uid="test.logout_elsewhere")
    try:
        response = engineer.post(
            "/operaciones/api/ptes/",
            body,
            content_type="application/json",
            HTTP_X_CSRFTOKEN=engineer.cookies["csrftoken"].value,
        )
    finally:
        post_save.disconnect(sender=PTE, dispatch_uid="test.logout_elsewhere")

    assert response.status_code == HTTPStatus.CREATED, response.content
    assert response.json()["oficio_pte"] == "PTE-CARRERA-1"
    assert PTE.objects.filter(oficio_pte="PTE-CARRERA-1").exists()
    assert not Session.objects.filter(session_key=key).exists()
    assert engineer.get("/api/user/").status_code == HTTPStatus.UNAUTHORIZED


# --- deactivation and password changes count at once ------------------------------------------


def test_bulk_deactivation_ends_sessions_at_once(client, user, json_login):
    # An admin bulk action uses QuerySet.update(), which sends no signals.
    json_login()
    assert client.get("/api/user/").status_code == HTTPStatus.OK  # cached, with Redis

    User.objects.filter(pk=user.pk).update(is_active=False)

    response = client.get("/api/user/")
    assert response.status_code == HTTPStatus.UNAUTHORIZED
    assert response.json() == NOT_AUTHENTICATED


def test_bulk_password_reset_ends_sessions_at_once(client, user, json_login):
    json_login()
    client.get("/api/user/")
    other = User(username="x")
    other.set_password("Otra-Clave-Marina-5")

    User.objects.filter(pk=user.pk).update(password=other.password)

    assert client.get("/api/user/").status_code == HTTPStatus.UNAUTHORIZED


# --- when Redis cannot record the end ---------------------------------------------------------


@needs_redis
def test_logout_that_redis_cannot_record_is_refused_and_undone(
    client, user, json_login, redis_unreachable
):
    json_login()
    key = client.cookies["sessionid"].value

    response = _logout(client)

    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    assert response.json() == STORE_DOWN
    assert response["Retry-After"] == "5"
    # Nothing half done: the session row is still there and still works.
    assert Session.objects.filter(session_key=key).exists()
    assert client.get("/api/user/").status_code == HTTPStatus.OK


@needs_redis
def test_password_change_that_redis_cannot_record_is_refused_and_undone(
    client, user, json_login, redis_unreachable
):
    json_login()

    response = client.post(
        "/api/password/change/",
        {"current_password": PASSWORD, "new_password": "Nueva-Clave-Marina-9"},
        content_type="application/json",
        HTTP_X_CSRFTOKEN=client.cookies["csrftoken"].value,
    )

    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    assert response.json() == STORE_DOWN
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


@needs_redis
def test_reads_and_logins_go_on_from_the_database_while_redis_is_unreachable(
    client, user, json_login, redis_unreachable
):
    json_login()

    assert client.get("/api/user/").json()["username"] == "ana"
