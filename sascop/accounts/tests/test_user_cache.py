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
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/api/user/").status_code == HTTPStatus.OK
    table = User._meta.db_table
    return sum(f'FROM "{table}"' in q["sql"] for q in queries.captured_queries)


@pytest.mark.skipif(not WITH_REDIS, reason="the user cache needs a cache shared by processes")
def test_user_row_is_read_once_then_cached(client, user, json_login):
    json_login()

    assert _user_queries(client) == 1
    assert _user_queries(client) == 0


@pytest.mark.skipif(WITH_REDIS, reason="without Redis every request reads the row")
def test_without_redis_the_user_row_is_read_every_time(client, user, json_login):
    json_login()

    assert [_user_queries(client) for _ in range(3)] == [1, 1, 1]


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
