"""The real server under gunicorn when a backing service is missing."""

from __future__ import annotations

from http import HTTPStatus

import requests

from tests.server import gunicorn, manage

DOWN = {"error": "Service unavailable", "code": "service_unavailable"}


def _base_env(tmp_path) -> dict[str, str]:
    return {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "REDIS_URL": "",
        "SASCOP_ENV": "development",
        "DEBUG": "false",
    }


def test_database_unreachable_answers_503_json(tmp_path):
    env = {**_base_env(tmp_path), "DATABASE_URL": "sqlite:////nonexistent-dir/sub/db.sqlite3"}

    with gunicorn(env) as url:
        health = requests.get(f"{url}/healthz", timeout=10)
        # With a session cookie the session middleware meets the database before the view.
        health_with_cookie = requests.get(
            f"{url}/healthz", cookies={"sessionid": "x" * 32}, timeout=10
        )
        login = requests.post(
            f"{url}/api/login/", json={"username": "a", "password": "b"}, timeout=10
        )
        with_cookie = requests.get(f"{url}/api/user/", cookies={"sessionid": "x" * 32}, timeout=10)
        page = requests.get(
            f"{url}/", cookies={"sessionid": "x" * 32}, headers={"Accept": "text/html"}, timeout=10
        )

    assert health.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    assert health.json() == {
        **DOWN,
        "detail": "A backing service is not answering.",
        "checks": {"database": "unavailable", "redis": "not_configured"},
    }
    assert health.headers["Retry-After"] == "5"
    for response in (login, with_cookie, health_with_cookie):
        assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE
        assert response.headers["Content-Type"] == "application/json"
        assert response.json() == {
            **DOWN,
            "detail": "A backing service (the database) is not answering. Try again shortly.",
        }
        assert response.headers["Retry-After"] == "5"
    assert page.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    assert "Servicio no disponible" in page.text
    assert page.headers["Retry-After"] == "5"


def test_redis_down_degrades_to_the_database(tmp_path):
    env = {**_base_env(tmp_path), "REDIS_URL": "redis://127.0.0.1:1/0"}
    manage("migrate", "--noinput", env=env)
    manage(
        "ensure_demo_admin",
        "--username",
        "ana",
        "--password",
        "Clave-De-Prueba-77",
        env={**env, "REDIS_URL": ""},
    )

    with gunicorn(env) as url:
        session = requests.Session()
        login = session.post(
            f"{url}/api/login/",
            json={"username": "ana", "password": "Clave-De-Prueba-77"},
            timeout=10,
        )
        user = session.get(f"{url}/api/user/", timeout=10)
        health = session.get(f"{url}/healthz", timeout=10)
        logout = session.post(
            f"{url}/api/logout/",
            headers={"X-CSRFToken": session.cookies["csrftoken"], "Referer": url},
            timeout=10,
        )
        still_in = session.get(f"{url}/api/user/", timeout=10)
        failures = [
            requests.post(
                f"{url}/api/login/", json={"username": "ana", "password": "mala"}, timeout=10
            )
            for _ in range(5)
        ]

    assert login.status_code == HTTPStatus.OK
    assert user.status_code == HTTPStatus.OK and user.json()["username"] == "ana"
    assert health.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    assert health.json()["checks"] == {"database": "ok", "redis": "unavailable"}
    # A logout that Redis cannot record is refused and undone, never half done.
    assert logout.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    assert logout.json() == {
        "error": "Service unavailable",
        "code": "service_unavailable",
        "detail": "The session store is not answering, so the change was not made. "
        "Try again shortly.",
    }
    assert logout.headers["Retry-After"] == "5"
    assert still_in.status_code == HTTPStatus.OK
    # Failed logins are still counted (in the database) and still lock the account out.
    assert [r.status_code for r in failures] == [401, 401, 401, 401, 429]
    assert failures[0].json()["code"] == "invalid_credentials"
    assert failures[-1].headers["Retry-After"] == "900"
