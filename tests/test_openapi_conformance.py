"""The running service against its own OpenAPI document, with schemathesis.

gunicorn serves a freshly migrated PostgreSQL database with demo data; schemathesis reads
`/api/schema/` from it and sends generated requests (boundary values, then random ones, with a
fixed seed) as a logged-in administrator, with the CSRF header on unsafe methods. Every answer
must be documented (status, content type, body schema), none may be a 5xx, and every
date-time must be in UTC with `Z`.
"""

from __future__ import annotations

import json
import os
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest
import requests
import schemathesis
from django.db import connection
from django.utils import translation
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from psycopg import sql

from tests.server import gunicorn, manage

if connection.vendor != "postgresql":
    pytest.skip(
        "runs in the PostgreSQL + Redis pass: gunicorn's workers need a database of their own "
        "that several processes can write at once",
        allow_module_level=True,
    )

SEED = 20260520
# Random cases per operation, after the boundary cases of the coverage phase.
MAX_EXAMPLES = 40
MIN_CASES = 4000
ADMIN = ("admin", "sascop-demo-2026")  # ensure_demo_admin's defaults
THROWAWAY = ("desechable", "Conformidad-2026-openapi")

# These end or change the session they run in: each of their cases gets a fresh session of a
# user made for the purpose, so the administrator's session lives through the whole run.
SESSION_ENDING = {"POST /api/logout/", "POST /accounts/logout/", "POST /api/password/change/"}

OPERATION_SETTINGS: list[dict[str, Any]] = [
    {
        # A body can be valid for its schema and still be refused with a 400 naming the
        # field: ids of rows that must exist, dates that must not run backwards, password
        # validators, the current password. No JSON Schema can say those, so 400 is a fair
        # answer to a schema-valid body; every other check still applies to these operations.
        "include-method-regex": "^(POST|PUT|PATCH)$",
        "checks": {
            "positive_data_acceptance": {
                "expected-statuses": ["2xx", "3xx", "400", "401", "403", "404", "409", "429"]
            }
        },
    },
    {
        # DELETE on a catalog entry deactivates it, by design (old records keep it), so the
        # entry can still be read afterwards: use_after_free would take that for a bug.
        "include-path": "/operaciones/api/catalogos/{nombre}/{id}/",
        "include-method": "DELETE",
        "checks": {"use_after_free": {"enabled": False}},
    },
]

_DATE_TIME = re.compile(r'"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?([^"]*)"')


def utc_date_times(ctx: Any, response: Any, case: Any) -> None:
    """Every date-time the API writes is in UTC with a `Z` suffix (README, "Using the API")."""
    if "json" not in response.headers.get("content-type", [""])[0]:
        return
    for match in _DATE_TIME.finditer(response.text):
        if match.group(1) != "Z":
            raise AssertionError(f"A date-time not in UTC with Z: {match.group(0)}")


def _database_url(name: str) -> str:
    return urlunsplit(urlsplit(os.environ["DATABASE_URL"])._replace(path=f"/{name}"))


def _recreate_database(name: str, *, drop_only: bool = False) -> None:
    with psycopg.connect(_database_url("postgres"), autocommit=True) as connection:
        connection.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        if not drop_only:
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def _login(url: str, username: str, password: str) -> requests.Session:
    session = requests.Session()
    response = session.post(
        f"{url}/api/login/", json={"username": username, "password": password}, timeout=30
    )
    response.raise_for_status()
    return session


# Requests sent per operation, over the whole module.
CASES: Counter[str] = Counter()


@dataclass
class LiveService:
    url: str
    admin: requests.Session


# The service under test, once the module's fixture has started it.
LIVE: list[LiveService] = []


@pytest.fixture(scope="module")
def live_service() -> Iterator[LiveService]:
    name = f"{urlsplit(os.environ['DATABASE_URL']).path.lstrip('/')}_openapi"
    _recreate_database(name)
    env = {
        "DATABASE_URL": _database_url(name),
        "REDIS_URL": os.environ.get("REDIS_URL", ""),
        "SASCOP_ENV": "development",
        "DEBUG": "false",
    }
    try:
        manage("migrate", "--noinput", env=env)
        manage("cargar_demo", "--ptes", "30", "--produccion", "300", env=env)
        manage("ensure_demo_admin", env=env)
        with gunicorn(env, workers=2) as url:
            username, password = THROWAWAY
            registered = requests.post(
                f"{url}/api/register/",
                json={
                    "username": username,
                    "email": f"{username}@sascop.local",
                    "password": password,
                    "password2": password,
                },
                timeout=30,
            )
            registered.raise_for_status()
            LIVE.append(LiveService(url=url, admin=_login(url, *ADMIN)))
            yield LIVE[0]
            LIVE.clear()
    finally:
        _recreate_database(name, drop_only=True)


def _document() -> dict[str, Any]:
    # The document as /api/schema/ serves it; test_the_live_document_is_the_one_tested checks
    # that the running service serves exactly this.
    generator = SchemaGenerator()
    # In the API's language for a client that names none (labels of choices are translated).
    with translation.override("en"):
        return json.loads(OpenApiJsonRenderer().render(generator.get_schema(None, public=True)))


schema = schemathesis.openapi.from_dict(
    _document(),
    config=schemathesis.Config.from_dict(
        {
            "seed": SEED,
            # No state carried between runs: the same seed sends the same requests.
            "cache": {"enabled": False},
            # Hypothesis times its own data generation; on a busy CI machine that says nothing
            # about the API.
            "suppress-health-check": ["too_slow"],
            "generation": {
                "max-examples": MAX_EXAMPLES,
                "database": "none",
                # Unknown query parameters and body keys are ignored, as HTTP APIs do; they
                # are not "invalid data" that must be refused.
                "allow-extra-parameters": False,
            },
            "phases": {"stateful": {"enabled": False}},
            # Registering would log the run into a new, permission-less account.
            "auth": {"auto-signup": False},
            "operations": OPERATION_SETTINGS,
        }
    ),
)


# Cases are generated (some while collecting) before the service runs: they carry a
# stand-in for the session cookie, swapped for a real session just before the call.
ADMIN_SESSION, OWN_SESSION = "<administrator's session>", "<a session of its own>"


@schema.auth(refresh_interval=None)
class SessionCookie:
    """The administrator's session, or a fresh one for the operations that end sessions."""

    def get(self, case: schemathesis.Case, context: Any) -> str:
        return OWN_SESSION if case.operation.label in SESSION_ENDING else ADMIN_SESSION

    def set(self, case: schemathesis.Case, data: str, context: Any) -> None:
        case.cookies = {**(case.cookies or {}), "sessionid": data}


def _call(case: schemathesis.Case) -> None:
    live = LIVE[0]
    cookies = dict(case.cookies or {})
    if cookies.get("sessionid") == ADMIN_SESSION:
        cookies["sessionid"] = live.admin.cookies["sessionid"]
    elif cookies.get("sessionid") == OWN_SESSION:
        cookies["sessionid"] = _login(live.url, *THROWAWAY).cookies["sessionid"]
    # Any valid token pair passes Django's CSRF check, whoever's session it comes with.
    csrf = live.admin.cookies["csrftoken"]
    case.cookies = {**cookies, "csrftoken": csrf}
    CASES[case.operation.label] += 1
    case.call_and_validate(
        base_url=live.url,
        headers={"X-CSRFToken": csrf},
        additional_checks=[utc_date_times],
        # A redirect is an answer to check, not something to follow.
        allow_redirects=False,
        timeout=30,
    )


def test_the_live_document_is_the_one_tested(live_service: LiveService) -> None:
    response = requests.get(
        f"{live_service.url}/api/schema/", params={"format": "json"}, timeout=30
    )

    assert response.status_code == HTTPStatus.OK
    assert response.json() == schema.raw_schema


@schema.exclude(method="DELETE").parametrize()
def test_api_answers_as_documented(case: schemathesis.Case, live_service: LiveService) -> None:
    _call(case)


# Deletions run last, so that the other operations find the demo rows in place.
@schema.exclude(method=["GET", "POST", "PUT", "PATCH"]).parametrize()
def test_deletions_answer_as_documented(case: schemathesis.Case, live_service: LiveService) -> None:
    _call(case)


def test_enough_cases_were_sent() -> None:
    if not CASES:
        pytest.skip("the conformance tests did not run in this session")
    total = sum(CASES.values())
    print(f"{total} generated requests over {len(CASES)} operations")
    assert total >= MIN_CASES, CASES
