"""What a login writes: its rows, in one transaction, and nothing it does not need.

Transactional tests (real commits), so the statements are those a server sends: on
PostgreSQL every commit is a round trip and a flush of the write-ahead log.
"""

from __future__ import annotations

import re
from http import HTTPStatus

import pytest
from axes.models import AccessAttempt
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from sascop.accounts.models import Sesion
from sascop.accounts.tests.factories import PASSWORD
from sascop.accounts.tests.test_mfa import STEP, _code, _enrol, _post
from sascop.actividad.models import RegistroActividad

# Real commits; the flush after each test must leave the migrated rows (content types,
# roles) as the serialized copy has them, or a later serialized test could not restore them.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

_TABLE = re.compile(r'\b(?:FROM|INTO|UPDATE)\s+"?(\w+)"?', re.IGNORECASE)

# The two reads a login cannot do without, then its three rows in one transaction: the
# session is inserted once, with its final data (not inserted empty and updated), and the
# lock-out counters of a client with no failures are left alone.
WRITES = [
    "UPDATE accounts_user",  # last_login
    "INSERT actividad_registroactividad",  # the activity log, which is the login history
    "INSERT accounts_sesion",
]
ONE_TRANSACTION = [
    "SELECT accounts_user",  # the account the identifier names
    "SELECT axes_accessattempt",  # its recent failures from this client (lock-out)
    "BEGIN",
    *WRITES,
    "COMMIT",
]


def _statement(sql: str) -> str:
    verb = sql.split(None, 1)[0].upper()
    if verb in {"SELECT", "INSERT", "UPDATE", "DELETE"}:
        match = _TABLE.search(sql)
        return f"{verb} {match.group(1) if match else '?'}"
    return verb  # BEGIN (IMMEDIATE), COMMIT, SAVEPOINT, RELEASE


def _login(client: Client, username: str = "ana", password: str = PASSWORD):
    return client.post(
        "/api/login/",
        {"username": username, "password": password},
        content_type="application/json",
    )


def _statements_of_login(client: Client, **credentials: str) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        response = _login(client, **credentials)
    assert response.status_code == HTTPStatus.OK, response.content
    return [_statement(query["sql"]) for query in queries.captured_queries]


def test_a_login_writes_its_three_rows_in_one_commit(client, user):
    assert _statements_of_login(client) == ONE_TRANSACTION

    assert Sesion.objects.count() == 1
    row = RegistroActividad.objects.get(usuario=user)
    assert (row.accion, row.nombre_usuario) == (RegistroActividad.Accion.LOGIN, "ana")


def test_the_session_written_is_the_one_the_cookie_names(client, user):
    _login(client)

    row = Sesion.objects.get()
    assert client.cookies["sessionid"].value == row.session_key
    assert row.user_id == user.pk  # written with its final data, not an empty first version
    assert client.get("/api/user/").status_code == HTTPStatus.OK


def test_logging_in_again_on_one_client_rotates_the_key_in_the_same_commit(client, user):
    _login(client)
    first = client.cookies["sessionid"].value

    statements = _statements_of_login(client)

    assert client.cookies["sessionid"].value != first
    assert statements.count("COMMIT") == 1
    assert sum(s.count("INSERT accounts_sesion") for s in statements) == 1
    assert not Sesion.objects.filter(session_key=first).exists()


def test_a_login_after_failures_still_resets_them(client, user):
    assert _login(client, password="equivocada").status_code == HTTPStatus.UNAUTHORIZED
    assert AccessAttempt.objects.exists()

    statements = _statements_of_login(client)

    assert "DELETE axes_accessattempt" in statements
    assert not AccessAttempt.objects.exists()
    assert statements.count("COMMIT") >= 1


def test_a_login_by_e_mail_writes_the_same(client, user):
    assert _statements_of_login(client, username="ANA@sascop.mx") == ONE_TRANSACTION


def test_the_html_login_page_writes_the_same(client, user):
    client.get("/accounts/login/")
    token = client.cookies["csrftoken"].value

    with CaptureQueriesContext(connection) as queries:
        response = client.post(
            "/accounts/login/",
            {"username": "ana", "password": PASSWORD, "csrfmiddlewaretoken": token},
        )

    assert response.status_code == HTTPStatus.FOUND
    assert [_statement(query["sql"]) for query in queries.captured_queries] == ONE_TRANSACTION
    assert client.cookies["sessionid"].value == Sesion.objects.get().session_key


def test_the_two_factor_step_writes_the_login_in_one_commit(client, user, time_machine):
    time_machine.move_to("2026-11-23T16:00:00Z", tick=False)
    _login(client)
    secret, _codes = _enrol(client)
    assert _post(client, "/api/logout/").status_code == HTTPStatus.OK
    time_machine.shift(STEP)  # the code used to confirm is spent
    assert _login(client).json() == {"mfa_required": True, "message": "MFA required"}

    with CaptureQueriesContext(connection) as queries:
        response = _post(client, "/api/login/mfa/", {"code": _code(secret)})

    assert response.status_code == HTTPStatus.OK, response.content
    statements = [_statement(query["sql"]) for query in queries.captured_queries]
    login = statements[statements.index("BEGIN") :]
    assert login == [
        "BEGIN",
        # the anonymous session that waited for the code ends (Django's store reads, deletes)
        "SELECT accounts_sesion",
        "DELETE accounts_sesion",
        "UPDATE accounts_user",
        "INSERT actividad_registroactividad",
        "INSERT accounts_sesion",
        "COMMIT",
    ]
