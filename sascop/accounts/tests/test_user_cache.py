"""The user row behind a session is cached only with Redis, and never outlives a change."""

from __future__ import annotations

from http import HTTPStatus

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

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


def test_the_user_read_with_the_session_is_taken_once(client, user, json_login):
    from sascop.core.session_store import SessionStore, usuario_leido_con_la_sesion

    json_login()
    store = SessionStore(client.cookies["sessionid"].value)
    store._get_session_from_db()  # what a load does without Redis (or a missing copy)
    owner = user.pk

    assert usuario_leido_con_la_sesion(int(user.pk) + 1) is None  # another user: not this row
    row = usuario_leido_con_la_sesion(owner)
    assert row is not None and user.username in row
    assert usuario_leido_con_la_sesion(user.pk) is None  # taken


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
    # A session's read brings its user's copy along for the same request. A copy a request
    # read along but did not use must not answer for the user after that request ended.
    from django.core.signals import request_finished
    from django.db import close_old_connections

    from sascop.core import leido, revocable

    json_login()
    client.get("/api/user/")  # both copies cached
    revocable.read_session(revocable.key("session", client.cookies["sessionid"].value))
    assert isinstance(leido._local.filas.get(revocable.user_key(user.pk)), bytes)

    # The end of a request (without closing the test's database connection, as the test
    # client does too).
    request_finished.disconnect(close_old_connections)
    try:
        request_finished.send(sender=None)
    finally:
        request_finished.connect(close_old_connections)
    user.is_active = False
    user.save()  # revokes the copy in Redis

    assert revocable.read(revocable.user_key(user.pk)) is revocable.REVOKED
    assert client.get("/api/user/").status_code == HTTPStatus.UNAUTHORIZED


def test_the_row_read_for_a_session_is_the_orm_s_row(user):
    from django.utils import timezone

    from sascop.accounts.selectors import _user_from_database

    user.last_login = timezone.now()
    user.is_staff = True
    user.save()

    read = _user_from_database(user.pk)

    expected = User.objects.get(pk=user.pk)
    for field in User._meta.concrete_fields:
        assert getattr(read, field.attname) == getattr(expected, field.attname), field.name
        assert type(getattr(read, field.attname)) is type(getattr(expected, field.attname))
    assert _user_from_database(user.pk + 1000) is None


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
