"""Two-factor login across two app servers (gunicorn), sharing the database and, when
REDIS_URL is set, Redis, as in production: a login started on one finishes on the other, a
code used on one is refused on the other, and sessions ended on one are refused on the other.
"""

from __future__ import annotations

import os
import time
from http import HTTPStatus

import pyotp
import requests

from tests.server import gunicorn, manage

USER, PASSWORD = "ana", "Clave-De-Prueba-77"


def _env(tmp_path) -> dict[str, str]:
    return {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "REDIS_URL": os.environ.get("REDIS_URL", ""),
        "CACHE_KEY_PREFIX": f"e2e-mfa-{os.getpid()}",
        "SASCOP_ENV": "development",
        "DEBUG": "false",
    }


def _csrf(session: requests.Session) -> dict[str, str]:
    return {"X-CSRFToken": session.cookies["csrftoken"]}


def _password(url: str, session: requests.Session) -> requests.Response:
    return session.post(
        f"{url}/api/login/", json={"username": USER, "password": PASSWORD}, timeout=15
    )


def _code(secret: str, steps: int = 0) -> str:
    return pyotp.TOTP(secret).at(time.time() + 30 * steps)


def test_two_factor_and_session_ends_hold_across_app_servers(tmp_path):
    env = _env(tmp_path)
    manage("migrate", "--noinput", env=env)
    manage("ensure_demo_admin", "--username", USER, "--password", PASSWORD, env=env)

    with gunicorn(env) as first, gunicorn(env) as second:
        # Enrol on the first server.
        laptop = requests.Session()
        assert _password(first, laptop).json()["message"] == "Login successful"
        secret = laptop.post(
            f"{first}/api/mfa/totp/setup/",
            json={"password": PASSWORD},
            headers=_csrf(laptop),
            timeout=15,
        ).json()["secret"]
        confirmed = laptop.post(
            f"{first}/api/mfa/totp/confirm/",
            json={"code": _code(secret), "password": PASSWORD},
            headers=_csrf(laptop),
            timeout=15,
        )
        assert confirmed.status_code == HTTPStatus.OK

        # Password on the first server, code on the second: one shared pending login.
        phone = requests.Session()
        assert _password(first, phone).json() == {"mfa_required": True, "message": "MFA required"}
        code = _code(secret, +1)
        done = phone.post(f"{second}/api/login/mfa/", json={"code": code}, timeout=15)
        assert done.status_code == HTTPStatus.OK, done.text
        assert done.json()["message"] == "Login successful"
        assert phone.get(f"{first}/api/user/", timeout=15).json()["username"] == USER

        # The same code again, the other way round: refused.
        thief = requests.Session()
        assert _password(second, thief).json()["mfa_required"] is True
        replay = thief.post(f"{first}/api/login/mfa/", json={"code": code}, timeout=15)
        assert replay.status_code == HTTPStatus.UNAUTHORIZED
        assert replay.json()["code"] == "invalid_mfa_code"

        # End every other session from the first server: the phone is refused on the second.
        ended = laptop.post(
            f"{first}/api/sessions/revoke-others/", headers=_csrf(laptop), timeout=15
        )
        assert ended.json() == {"revoked": 1}
        refused = phone.get(f"{second}/api/user/", timeout=15)
        assert refused.status_code == HTTPStatus.UNAUTHORIZED
        assert laptop.get(f"{second}/api/user/", timeout=15).status_code == HTTPStatus.OK
