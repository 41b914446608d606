"""Copies kept in Redis never answer for another database (the service under gunicorn).

Sessions and user rows are copied to Redis; their keys carry the identity of the database
they copy (sascop.core.cache.instalacion). A database dropped and created again, or another
deployment's database behind the same Redis database and key prefix, must not honour a
session cookie that only the copies still know.
"""

from __future__ import annotations

import os
from http import HTTPStatus
from pathlib import Path

import pytest
import requests

from tests.server import gunicorn, manage

pytestmark = pytest.mark.skipif(
    not os.environ.get("REDIS_URL"), reason="the copies exist only with Redis (REDIS_URL)"
)

USER = "ana"


def _deployment(database: Path, prefix: str) -> dict[str, str]:
    return {
        "DATABASE_URL": f"sqlite:///{database}",
        "REDIS_URL": os.environ["REDIS_URL"],
        "CACHE_KEY_PREFIX": prefix,
        "SASCOP_ENV": "development",
        "DEBUG": "false",
    }


def _install(env: dict[str, str], password: str) -> None:
    manage("migrate", "--noinput", env=env)
    manage("ensure_demo_admin", "--username", USER, "--password", password, env=env)


def _logged_in(url: str, password: str) -> requests.Session:
    session = requests.Session()
    answer = session.post(
        f"{url}/api/login/", json={"username": USER, "password": password}, timeout=15
    )
    assert answer.status_code == HTTPStatus.OK, answer.text
    assert session.get(f"{url}/api/user/", timeout=15).status_code == HTTPStatus.OK
    return session


def test_security_a_cookie_does_not_outlive_its_database(tmp_path):
    env = _deployment(tmp_path / "db.sqlite3", f"e2e-inst-{os.getpid()}")
    _install(env, "Primera-Clave-81")
    with gunicorn(env) as url:
        old = _logged_in(url, "Primera-Clave-81")

    # The database is dropped and created again, with an administrator of another password.
    (tmp_path / "db.sqlite3").unlink()
    _install(env, "Segunda-Clave-82")
    with gunicorn(env) as url:
        refused = old.get(f"{url}/api/user/", timeout=15)
        assert refused.status_code == HTTPStatus.UNAUTHORIZED, refused.text
        _logged_in(url, "Segunda-Clave-82")


def test_security_two_deployments_sharing_redis_do_not_accept_each_others_sessions(tmp_path):
    prefix = f"e2e-inst2-{os.getpid()}"  # the same Redis database and prefix for both
    staging = _deployment(tmp_path / "staging.sqlite3", prefix)
    production = _deployment(tmp_path / "production.sqlite3", prefix)
    _install(staging, "Clave-De-Pruebas-83")
    _install(production, "Clave-De-Produccion-84")
    with gunicorn(staging) as staging_url, gunicorn(production) as production_url:
        tester = _logged_in(staging_url, "Clave-De-Pruebas-83")
        operator = _logged_in(production_url, "Clave-De-Produccion-84")
        for session, other in ((tester, production_url), (operator, staging_url)):
            cookie = {"sessionid": session.cookies["sessionid"]}
            refused = requests.get(f"{other}/api/user/", cookies=cookie, timeout=15)
            assert refused.status_code == HTTPStatus.UNAUTHORIZED, refused.text
        # Each is still logged in where it logged in.
        assert tester.get(f"{staging_url}/api/user/", timeout=15).status_code == HTTPStatus.OK
        assert operator.get(f"{production_url}/api/user/", timeout=15).status_code == HTTPStatus.OK
