"""The user row behind a session is cached only with Redis, and never outlives a change."""

from __future__ import annotations

from http import HTTPStatus

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from sascop.accounts.models import User

pytestmark = pytest.mark.django_db

WITH_REDIS = bool(django_settings.REDIS_URL)


def _user_queries(client) -> int:
    """How many queries of GET /api/user/ read the user table (alone or with the session)."""
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/api/user/").status_code == HTTPStatus.OK
    table = User._meta.db_table
    return sum(f'"{table}"' in q["sql"] for q in queries.captured_queries)


@pytest.mark.skipif(not WITH_REDIS, reason="the user cache needs a cache shared by processes")
def test_user_row_is_read_once_then_cached(client, user, json_login):
    json_login()

    assert _user_queries(client) == 1
    assert _user_queries(client) == 0


@pytest.mark.skipif(WITH_REDIS, reason="without Redis every request reads the row")
def test_without_redis_the_user_row_is_read_every_time(client, user, json_login):
    json_login()

    assert [_user_queries(client) for _ in range(3)] == [1, 1, 1]


@pytest.mark.skipif(WITH_REDIS, reason="with Redis the session comes from its copy")
def test_without_redis_the_session_and_its_user_are_one_query(client, user, json_login):
    json_login()

    with CaptureQueriesContext(connection) as queries:
        assert client.get("/api/user/").status_code == HTTPStatus.OK

    assert len(queries) == 1


def test_security_the_user_read_with_the_session_serves_only_its_request(client, user, json_login):
    # The row read along with the session is that request's: a password changed behind the
    # service's back (no signal, no revocation) ends the session on the very next request.
    json_login()
    assert client.get("/api/user/").status_code == HTTPStatus.OK
    User.objects.filter(pk=user.pk).update(password="argon2$otra")
    if WITH_REDIS:  # the cached copy is only dropped by the service's own writes
        from sascop.accounts.selectors import forget_user

        forget_user(user.pk)

    assert client.get("/api/user/").status_code == HTTPStatus.UNAUTHORIZED


def test_the_session_store_hands_over_the_user_row_it_read_along(client, user, json_login):
    from sascop.core.sessions.store import SessionStore

    json_login()
    key = client.cookies["sessionid"].value
    store = SessionStore(key)
    assert store.usuario_leido is None  # nothing read yet
    store.load()

    expected = User.objects.get(pk=user.pk)
    if WITH_REDIS:  # the user's copy is filled by the first request that reads the user
        assert store.usuario_leido is None
        client.get("/api/user/")
        store = SessionStore(key)
        store.load()
    read = store.usuario_leido
    assert read is not None
    for field in User._meta.concrete_fields:
        assert getattr(read, field.attname) == getattr(expected, field.attname), field.name
        assert type(getattr(read, field.attname)) is type(getattr(expected, field.attname))
    # Another store (another request) of the same session has read nothing.
    assert SessionStore(key).usuario_leido is None


def test_deactivating_a_user_ends_their_session_at_once(client, user, json_login):
    json_login()
    assert client.get("/api/user/").status_code == HTTPStatus.OK  # now cached, with Redis

    user.is_active = False
    user.save()

    assert client.get("/api/user/").status_code == HTTPStatus.UNAUTHORIZED


def test_profile_changes_show_at_once(client, user, json_login):
    json_login()
    client.get("/api/user/")

    user.email = "ana.nueva@sascop.mx"
    user.save()

    assert client.get("/api/user/").json()["email"] == "ana.nueva@sascop.mx"


def test_deleted_user_is_logged_out(client, user, json_login):
    json_login()
    client.get("/api/user/")

    user.delete()

    assert client.get("/api/user/").status_code == HTTPStatus.UNAUTHORIZED


def _redis_reads(monkeypatch) -> list[str]:
    """The Redis commands the next requests send (the connection's own, counted)."""
    from django_redis import get_redis_connection

    sent: list[str] = []
    redis = get_redis_connection("default")
    original = redis.execute_command

    def counted(*args, **kwargs):
        sent.append(str(args[0]))
        return original(*args, **kwargs)

    monkeypatch.setattr(redis, "execute_command", counted)
    return sent


@pytest.mark.skipif(not WITH_REDIS, reason="the copies live in Redis")
def test_an_authenticated_read_asks_redis_once_for_session_and_user(
    client, user, json_login, monkeypatch
):
    json_login()
    client.get("/api/user/")  # both copies cached
    sent = _redis_reads(monkeypatch)

    with CaptureQueriesContext(connection) as queries:
        response = client.get("/api/user/")

    assert response.status_code == HTTPStatus.OK
    assert response.json()["username"] == user.username
    assert len(sent) == 1, sent
    assert queries.captured_queries == []


@pytest.mark.skipif(not WITH_REDIS, reason="the copies live in Redis")
def test_security_a_user_copy_read_along_never_outlives_its_request(client, user, json_login):
    # A session's read brings its user's copy along for that request's store. A user changed
    # after that request must be read anew by the next one.
    json_login()
    client.get("/api/user/")  # both copies cached
    assert client.get("/api/user/").status_code == HTTPStatus.OK  # read along

    user.is_active = False
    user.save()  # revokes the copy in Redis

    assert client.get("/api/user/").status_code == HTTPStatus.UNAUTHORIZED


def test_the_user_read_without_the_session_is_the_orm_s_row(client, user, json_login):
    # Without a row read along (another user, or a copy missing), the backend reads it.
    from sascop.accounts.selectors import user_by_id

    user.last_login = timezone.now()
    user.is_staff = True
    user.save()

    read = user_by_id(user.pk)

    expected = User.objects.get(pk=user.pk)
    for field in User._meta.concrete_fields:
        assert getattr(read, field.attname) == getattr(expected, field.attname), field.name
        assert type(getattr(read, field.attname)) is type(getattr(expected, field.attname))
    assert user_by_id(user.pk + 1000) is None
    # A row read along for another user is not this one's.
    other = User.objects.create_user(username="otro", password="Clave-Larga-De-Otro-9")
    assert user_by_id(other.pk, leido=expected) == other
    assert user_by_id(other.pk, leido=expected).username == "otro"


@pytest.mark.skipif(not WITH_REDIS, reason="the copies live in Redis")
def test_a_login_keeps_the_cached_copy_and_the_account_page_shows_the_new_last_login(
    client, user, json_login, time_machine
):
    # A login only stamps last_login, which decides nothing: the copy is not revoked (a Redis
    # round trip less per login); the account page, which shows it, reads the database.
    from django.test import Client
    from django.utils import timezone
    from django.utils.dateformat import format as date_format

    def shown(when: str) -> str:
        return date_format(timezone.localtime(timezone.datetime.fromisoformat(when)), "d/m/Y H:i")

    time_machine.move_to("2026-06-01T12:00:00+00:00", tick=False)
    json_login()
    assert _user_queries(client) == 1  # cached now
    time_machine.move_to("2026-06-01T12:40:00+00:00", tick=False)
    json_login(c=Client())  # the same user, elsewhere

    assert _user_queries(client) == 0  # the copy stands
    page = client.get("/cuenta/").content.decode()
    assert shown("2026-06-01T12:40:00+00:00") in page
    assert shown("2026-06-01T12:00:00+00:00") not in page
