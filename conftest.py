"""Fixtures shared by every app's tests."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from sascop.accounts.tests.factories import PASSWORD, UserFactory


def pytest_configure(config: pytest.Config) -> None:
    from django.conf import settings

    # Live-server threads open their own connections; persistent ones would outlive the
    # threads and keep PostgreSQL from dropping the test database at the end.
    for database in settings.DATABASES.values():
        database["CONN_MAX_AGE"] = 0
    # A process reads its database's identity again every few seconds of wall time; in a
    # suite that would land in some test's counted queries at random. The tests of it
    # (sascop/core/tests/test_instalacion.py) move the clock instead.
    settings.INSTALACION_VERIFICAR_SEGUNDOS = 24 * 3600


# The migrated test database's rows (roles, permissions, content types), as Django's test
# runner serialises them for `serialized_rollback`: see `migrated_rows`.
MIGRATED_ROWS: list[str] = []


@pytest.fixture(scope="session")
def django_db_setup(
    request: pytest.FixtureRequest, django_db_setup: None, django_db_blocker: Any
) -> Iterator[None]:
    """pytest-django's test databases, plus a copy of their migrated rows when browser tests
    will run (see tests/browser/conftest.py): taken here, before any test flushed them."""
    browser = Path(__file__).resolve().parent / "tests" / "browser"
    if any(item.path.is_relative_to(browser) for item in request.session.items):
        from django.db import connection

        with django_db_blocker.unblock():
            MIGRATED_ROWS.append(connection.creation.serialize_db_to_string())
    yield


@pytest.fixture(autouse=True)
def _clean_cache() -> Iterator[None]:
    # Redis outlives a test's transaction: lock-out counters and cached sessions must not
    # leak from one test into the next.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def client() -> Client:
    """Django's test client with CSRF checks on, like a real browser or script."""
    return Client(enforce_csrf_checks=True)


@pytest.fixture
def password() -> str:
    return PASSWORD


@pytest.fixture
def user(db):
    return UserFactory(username="ana", email="ana@sascop.mx")


@pytest.fixture
def json_login(client: Client) -> Callable[..., object]:
    """Log `client` in through the JSON API, as a script would."""

    def do(username: str = "ana", password: str = PASSWORD, c: Client | None = None):
        target = c or client
        response = target.post(
            "/api/login/",
            {"username": username, "password": password},
            content_type="application/json",
        )
        assert response.status_code == 200, response.content
        return response

    return do


@pytest.fixture
def csrf() -> Callable[[Client], dict[str, str]]:
    """The header a script adds to unsafe requests: the `csrftoken` cookie's value."""

    def header(c: Client) -> dict[str, str]:
        return {"HTTP_X_CSRFTOKEN": c.cookies["csrftoken"].value}

    return header


@pytest.fixture
def role_client(db, json_login) -> Callable[[str], Client]:
    """A logged-in client whose user holds one role (a group made by migration)."""
    from django.contrib.auth.models import Group

    def make(role: str) -> Client:
        member = UserFactory()
        member.groups.add(Group.objects.get(name=role))
        c = Client(enforce_csrf_checks=True)
        json_login(member.username, PASSWORD, c=c)
        return c

    return make


@pytest.fixture
def engineer(role_client) -> Client:
    return role_client("Ingeniería")


@pytest.fixture
def viewer(role_client) -> Client:
    return role_client("Consulta")


@pytest.fixture
def admin(role_client) -> Client:
    return role_client("Administración")


@pytest.fixture
def assert_same_queries(django_assert_max_num_queries, django_assert_num_queries):
    """`check(first, second)`: `second()` must run exactly as many queries as `first()` did
    (a page of 30 costs what a page of 2 costs). Returns that number."""

    def check(first: Callable[[], object], second: Callable[[], object]) -> int:
        with django_assert_max_num_queries(100) as captured:
            first()
        expected = len(captured)
        with django_assert_num_queries(expected):
            second()
        return expected

    return check
