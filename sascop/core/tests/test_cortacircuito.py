"""A stalled Redis costs one timeout per process, not one per command of every request."""

from __future__ import annotations

import socket
from http import HTTPStatus

import pytest
import redis
from django.conf import settings as django_settings

from sascop.core.cache import cortacircuito

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not django_settings.REDIS_URL, reason="the breaker stands before Redis"),
]


@pytest.fixture(autouse=True)
def _breaker_closed_afterwards():
    yield
    cortacircuito.cerrar()  # an open breaker would send the next tests to the database


@pytest.fixture
def stalled_redis(settings):
    """A Redis that accepts connections and never answers (a paused server, a full network
    queue): every command waits REDIS_SOCKET_TIMEOUT."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(64)  # the kernel completes the handshakes; nobody reads
        port = listener.getsockname()[1]
        settings.CACHES = {
            "default": {**settings.CACHES["default"], "LOCATION": f"redis://127.0.0.1:{port}/0"}
        }
        yield


@pytest.fixture
def commands_sent(monkeypatch) -> list[str]:
    sent: list[str] = []
    original = redis.Redis.execute_command

    def counted(self, *args, **options):
        sent.append(str(args[0]))
        return original(self, *args, **options)

    monkeypatch.setattr(redis.Redis, "execute_command", counted)
    return sent


def test_security_a_stalled_redis_is_asked_once_then_left_alone_until_the_pause_ends(
    client, user, json_login, stalled_redis, commands_sent, monkeypatch
):
    json_login()  # a real login; its copies went to the stalled Redis (or failed quietly)
    commands_sent.clear()
    cortacircuito.cerrar()

    answers = [client.get("/api/user/").status_code for _ in range(3)]

    # Every request is answered from the database; only the first command waited.
    assert answers == [HTTPStatus.OK] * 3
    assert len(commands_sent) == 1, commands_sent
    assert cortacircuito.abierto()

    # After the pause the next command asks Redis again.
    later = cortacircuito.time.monotonic() + django_settings.REDIS_PAUSA_TRAS_FALLO + 1
    monkeypatch.setattr(cortacircuito.time, "monotonic", lambda: later)
    assert not cortacircuito.abierto()
    assert client.get("/api/user/").status_code == HTTPStatus.OK
    assert len(commands_sent) == 2, commands_sent


def test_a_revocation_is_sent_while_the_breaker_is_open_and_refused_if_unanswered(
    client, user, json_login, stalled_redis, commands_sent
):
    json_login()
    client.get("/api/user/")  # opens the breaker
    assert cortacircuito.abierto()
    commands_sent.clear()

    logout = client.post(
        "/api/logout/",
        content_type="application/json",
        HTTP_X_CSRFTOKEN=client.cookies["csrftoken"].value,
    )

    # The tombstone was tried (it must be recorded); Redis did not take it: 503, and the
    # session stays (nothing half done).
    assert commands_sent == ["SET"]
    assert logout.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    assert client.get("/api/user/").status_code == HTTPStatus.OK


def test_a_revocation_redis_takes_closes_the_breaker(client, user, json_login):
    json_login()
    cortacircuito._Estado.abierto_hasta = cortacircuito.time.monotonic() + 60  # a stall just now

    logout = client.post(
        "/api/logout/",
        content_type="application/json",
        HTTP_X_CSRFTOKEN=client.cookies["csrftoken"].value,
    )

    assert logout.status_code == HTTPStatus.OK
    assert not cortacircuito.abierto()


def test_redis_answering_again_closes_the_breaker(client, user, json_login, commands_sent):
    json_login()
    cortacircuito._Estado.abierto_hasta = cortacircuito.time.monotonic() - 1  # pause over
    commands_sent.clear()
    assert client.get("/api/user/").status_code == HTTPStatus.OK
    assert commands_sent  # asked
    assert not cortacircuito.abierto()
