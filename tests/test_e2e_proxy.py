"""Behind the reverse proxy: the forwarded client address and scheme are believed only from the
addresses in TRUSTED_PROXIES (sascop/core/http/proxy.py), and `check --deploy` wants
SECURE_PROXY_SSL_HEADER set when there is a proxy (sascop.E007). The service runs under
gunicorn; the test stands in for the proxy (or for a client that bypasses it) on loopback."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from collections.abc import Iterator
from http import HTTPStatus
from pathlib import Path

import pytest
import requests

from tests.server import ROOT, gunicorn, manage

USER, PASSWORD = "proxy", "Detras-Del-Proxy-2026"
FORWARDED = {"X-Forwarded-For": "203.0.113.7", "X-Forwarded-Proto": "https"}


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    url = f"sqlite:///{tmp_path_factory.mktemp('proxy') / 'db.sqlite3'}"
    env = {"DATABASE_URL": url, "REDIS_URL": "", "SASCOP_ENV": "development"}
    manage("migrate", "--noinput", env=env)
    manage("ensure_demo_admin", "--username", USER, "--password", PASSWORD, env=env)
    yield url


def _serve(database: str, trusted: str, *, redirect: bool = True) -> dict[str, str]:
    return {
        "DATABASE_URL": database,
        "REDIS_URL": "",
        "SASCOP_ENV": "development",
        "DEBUG": "false",
        "TRUSTED_PROXIES": trusted,
        "FORWARDED_ALLOW_IPS": "",
        # As in production: a request the proxy did not take over HTTPS is redirected.
        "SECURE_SSL_REDIRECT": str(redirect).lower(),
    }


def _address_seen(url: str) -> str:
    session = requests.Session()
    login = session.post(
        f"{url}/api/login/",
        json={"username": USER, "password": PASSWORD},
        headers=FORWARDED,
        timeout=30,
    )
    assert login.status_code == HTTPStatus.OK, login.text
    listed = session.get(f"{url}/api/sessions/", headers=FORWARDED, timeout=30)
    assert listed.status_code == HTTPStatus.OK, listed.text
    (current,) = [s for s in listed.json()["sessions"] if s["current"]]
    return str(current["ip"])


def test_security_forwarded_headers_are_believed_from_the_proxy(database: str) -> None:
    with gunicorn(_serve(database, "127.0.0.1,::1")) as url:
        assert _address_seen(url) == "203.0.113.7"
        plain = requests.get(f"{url}/api/csrf/", allow_redirects=False, timeout=30)
        assert plain.status_code == HTTPStatus.MOVED_PERMANENTLY  # to https://


def test_security_forwarded_headers_from_anyone_else_are_ignored(database: str) -> None:
    # The proxy is elsewhere: this client reached gunicorn directly and claims another
    # address and HTTPS.
    with gunicorn(_serve(database, "192.0.2.10", redirect=False)) as url:
        assert _address_seen(url) == "127.0.0.1"
    with gunicorn(_serve(database, "192.0.2.10")) as url:
        claimed = requests.get(
            f"{url}/api/csrf/", headers=FORWARDED, allow_redirects=False, timeout=30
        )
        assert claimed.status_code == HTTPStatus.MOVED_PERMANENTLY
        assert claimed.headers["Location"].startswith("https://")


def _check_deploy(**extra: str) -> str:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "DEBUG", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(
        SASCOP_ENV="production",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="sascop.example.com",
        CSRF_TRUSTED_ORIGINS="https://sascop.example.com",
        **extra,
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"],
        cwd=Path(ROOT),
        env=env,
        capture_output=True,
        text=True,
    )
    return result.stdout + result.stderr


def test_check_deploy_wants_the_proxy_ssl_header_behind_the_proxy() -> None:
    assert "sascop.E007" in _check_deploy(TRUSTED_PROXIES="10.0.0.5", SECURE_PROXY_SSL_HEADER="")
    assert "sascop.E007" not in _check_deploy(TRUSTED_PROXIES="10.0.0.5")
    assert "sascop.E007" not in _check_deploy(TRUSTED_PROXIES="", SECURE_PROXY_SSL_HEADER="")
