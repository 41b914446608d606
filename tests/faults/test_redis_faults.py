"""The real service under gunicorn while its Redis is paused, killed and brought back.

What must hold: an acknowledged logout is never undone; a logout Redis cannot record is
refused (503 JSON) and undone; reads, logins and writes go on from the database; every
acknowledged write is there and nothing unacknowledged is; the lock-out survives Redis
loss in both directions; every answer is JSON.
"""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from http import HTTPStatus

import pytest
import requests

from tests.envelope import NOT_AUTHENTICATED
from tests.faults import redis_server
from tests.faults.app import (
    ADMIN,
    PASSWORD,
    app_database,
    install,
    login,
    pte_template,
    unique_oficio,
)
from tests.server import gunicorn

pytestmark = pytest.mark.skipif(not redis_server.available(), reason="needs redis-server")


@pytest.fixture
def redis(tmp_path):
    with redis_server.redis_server(tmp_path) as server:
        yield server


@pytest.fixture
def env(tmp_path, redis):
    with app_database(tmp_path) as database_url:
        env = {
            "DATABASE_URL": database_url,
            "REDIS_URL": redis.url,
            "SASCOP_ENV": "development",
            "DEBUG": "false",
            "REDIS_SOCKET_TIMEOUT": "0.3",
        }
        install(env)
        yield env


def _json(response: requests.Response) -> dict:
    assert response.headers["Content-Type"].startswith("application/json"), response.text[:200]
    return response.json()


def _logout(session: requests.Session, url: str) -> requests.Response:
    return session.post(f"{url}/api/logout/", timeout=15)


def _who(session: requests.Session, url: str) -> requests.Response:
    return session.get(f"{url}/api/user/", timeout=15)


def test_logout_while_redis_is_paused_is_refused_and_then_holds(env, redis):
    with gunicorn(env, workers=2) as url:
        session = login(url)
        assert _who(session, url).status_code == HTTPStatus.OK  # the copy is in Redis now
        key = session.cookies["sessionid"]

        with redis.paused():
            started = time.monotonic()
            refused = _logout(session, url)
            elapsed = time.monotonic() - started
            during = _who(session, url)

        assert refused.status_code == HTTPStatus.SERVICE_UNAVAILABLE
        assert _json(refused)["code"] == "service_unavailable"
        assert refused.headers["Retry-After"] == "5"
        assert elapsed < 5, elapsed
        assert during.status_code == HTTPStatus.OK  # read from the database meanwhile
        # Told it failed, and it did: nothing half done, the session still works ...
        assert _who(session, url).status_code == HTTPStatus.OK

        # ... until a logout is acknowledged; from then on it never works again.
        assert _logout(session, url).status_code == HTTPStatus.OK
        replay = requests.Session()
        replay.cookies.set("sessionid", key)
        assert _json(_who(replay, url)) == NOT_AUTHENTICATED
        with redis.paused():
            assert _who(replay, url).status_code == HTTPStatus.UNAUTHORIZED
        assert _who(replay, url).status_code == HTTPStatus.UNAUTHORIZED
        redis.kill()
        redis.start()
        assert _who(replay, url).status_code == HTTPStatus.UNAUTHORIZED


def test_session_refreshes_racing_logouts_never_bring_a_session_back(env):
    # Every request refreshes (writes) its session; threads in two workers race the logout.
    # Writes in the race answer what they did: 201 (and the row is there) or 401, never a
    # 400 "session interrupted" for a row that was saved.
    env = {**env, "SESSION_REFRESH_INTERVAL": "0"}
    resurrected, acknowledged, created = [], 0, []
    with gunicorn(env, workers=2, threads=4) as url, ThreadPoolExecutor(8) as pool:
        template = pte_template(login(url), url)
        for _ in range(25):
            session = login(url)
            key = session.cookies["sessionid"]

            def write(session=session):
                oficio = unique_oficio("PTE-CARRERA")
                response = session.post(
                    f"{url}/operaciones/api/ptes/",
                    json={**template, "oficio_pte": oficio},
                    timeout=15,
                )
                return oficio, response

            reads = [pool.submit(_who, session, url) for _ in range(4)]
            writes = [pool.submit(write) for _ in range(2)]
            logout = pool.submit(_logout, session, url)
            more = [pool.submit(_who, session, url) for _ in range(4)]
            assert {f.result().status_code for f in [*reads, *more]} <= {200, 401}
            for oficio, response in (f.result() for f in writes):
                assert response.status_code in {201, 401}, response.text
                _json(response)
                if response.status_code == HTTPStatus.CREATED:
                    created.append((oficio, response.json()["id"]))
            if logout.result().status_code != HTTPStatus.OK:
                continue
            acknowledged += 1
            replay = requests.Session()
            replay.cookies.set("sessionid", key)
            for _ in range(3):
                if _who(replay, url).status_code != HTTPStatus.UNAUTHORIZED:
                    resurrected.append(key)
        checker = login(url)
        missing = [
            oficio
            for oficio, pk in created
            if checker.get(f"{url}/operaciones/api/ptes/{pk}/", timeout=15).json()["oficio_pte"]
            != oficio
        ]
    assert acknowledged == 25
    assert resurrected == []
    assert missing == []


def test_writes_survive_redis_pauses_and_loss(env, redis):
    outcomes: list[tuple[str, int, dict]] = []
    stop = threading.Event()

    with gunicorn(env, workers=2, threads=2) as url:
        session = login(url)
        template = pte_template(session, url)

        def write() -> None:
            while not stop.is_set() and len(outcomes) < 400:
                oficio = unique_oficio("PTE-REDIS")
                try:
                    response = session.post(
                        f"{url}/operaciones/api/ptes/",
                        json={**template, "oficio_pte": oficio},
                        timeout=15,
                    )
                except requests.RequestException:
                    outcomes.append((oficio, 0, {}))
                    continue
                outcomes.append((oficio, response.status_code, _json(response)))

        writer = threading.Thread(target=write)
        writer.start()
        try:
            time.sleep(0.5)
            with redis.paused():
                time.sleep(2)
            time.sleep(0.5)
            redis.kill()
            time.sleep(1.5)
            redis.start()
            time.sleep(0.5)
        finally:
            stop.set()
            writer.join(timeout=60)

        created = [(oficio, body) for oficio, status, body in outcomes if status == 201]
        others = [(oficio, status) for oficio, status, _ in outcomes if status != 201]
        for oficio, body in created:
            detail = session.get(f"{url}/operaciones/api/ptes/{body['id']}/", timeout=15)
            assert detail.status_code == HTTPStatus.OK
            assert detail.json()["oficio_pte"] == oficio
        for oficio, _status in others:
            found = session.get(
                f"{url}/operaciones/api/ptes/",
                params={"buscar": oficio, "elementos_por_pagina": "100"},
                timeout=15,
            ).json()
            assert oficio not in {pte["oficio_pte"] for pte in found["ptes"]}, oficio

    assert len(created) > 10
    # Redis is a cache here: losing it costs speed, never a write.
    assert others == []


def _fail(url: str, times: int) -> list[int]:
    statuses = []
    for _ in range(times):
        response = requests.post(
            f"{url}/api/login/", json={"username": ADMIN, "password": "mala"}, timeout=15
        )
        _json(response)
        statuses.append(response.status_code)
    return statuses


def _right_password(url: str) -> int:
    return requests.post(
        f"{url}/api/login/", json={"username": ADMIN, "password": PASSWORD}, timeout=15
    ).status_code


def test_lockout_survives_redis_loss_in_both_directions(env, redis):
    with gunicorn(env) as url:
        # Locked while Redis is up; Redis dies: still locked; it comes back empty: still locked.
        assert _fail(url, 5) == [401, 401, 401, 401, 429]
        redis.kill()
        assert _right_password(url) == HTTPStatus.TOO_MANY_REQUESTS
        redis.start()
        assert _right_password(url) == HTTPStatus.TOO_MANY_REQUESTS

    second_env = {**env, "AXES_FAILURE_LIMIT": "3", "AXES_COOLOFF_MINUTES": "1"}
    with gunicorn(second_env) as url:
        # Locked while Redis is down (no 500 on the way); Redis returns: still locked.
        redis.kill()
        statuses = _fail(url, 4)
        redis.start()
        locked_after = _right_password(url)
    assert statuses[-1] == HTTPStatus.TOO_MANY_REQUESTS
    assert HTTPStatus.INTERNAL_SERVER_ERROR not in statuses
    assert locked_after == HTTPStatus.TOO_MANY_REQUESTS


def test_a_session_ended_on_one_app_server_is_refused_on_the_other(env):
    # Two app servers share the database and Redis, as in production.
    with gunicorn(env) as first, gunicorn(env) as second:
        phone = login(second)
        assert _who(phone, second).status_code == HTTPStatus.OK  # cached on the way
        laptop = login(first)
        listed = laptop.get(f"{first}/api/sessions/", timeout=15).json()["sessions"]
        phone_id = next(s["id"] for s in listed if not s["current"])

        ended = laptop.delete(f"{first}/api/sessions/{phone_id}/", timeout=15)

        assert ended.status_code == HTTPStatus.NO_CONTENT
        assert _json(_who(phone, second)) == NOT_AUTHENTICATED
        assert _who(laptop, second).status_code == HTTPStatus.OK
