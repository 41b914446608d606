"""A running app server notices that its database was swapped, and reads no copy of the old.

The end-to-end cases (a re-created database, two deployments) are in
tests/test_e2e_instalacion.py; these check the process that keeps running meanwhile.
"""

from __future__ import annotations

from http import HTTPStatus

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection

from sascop.accounts.models import Sesion
from sascop.core.cache import instalacion, revocable
from sascop.core.models import Instalacion

needs_redis = pytest.mark.skipif(not settings.REDIS_URL, reason="the copies exist only with Redis")


def _swap_database_behind_the_server(user) -> None:
    """What a dropped and re-created database looks like to a running process: its rows are
    gone (without any of the service's receivers running) and its identity is new."""
    Sesion.objects.all()._raw_delete(Sesion.objects.db)
    Instalacion.objects.update(clave=instalacion.clave_nueva())


@needs_redis
@pytest.mark.django_db
def test_security_a_process_answering_from_redis_alone_notices_within_the_interval(
    client, user, json_login, monkeypatch
):
    instalacion.olvidar()
    json_login()
    assert client.get("/api/user/").status_code == HTTPStatus.OK
    _swap_database_behind_the_server(user)
    now = instalacion.time.monotonic()
    monkeypatch.setattr(instalacion.time, "monotonic", lambda: now + 1)
    # Within the interval the process may still use what it read ...
    assert client.get("/api/user/").status_code == HTTPStatus.OK
    later = now + settings.INSTALACION_VERIFICAR_SEGUNDOS + 1
    monkeypatch.setattr(instalacion.time, "monotonic", lambda: later)
    # ... after it, it reads the identity again, and the copies are out of reach.
    assert client.get("/api/user/").status_code == HTTPStatus.UNAUTHORIZED


@pytest.mark.django_db
def test_the_migration_gives_the_database_an_identity_and_the_command_renews_it():
    instalacion.olvidar()
    identity = instalacion.identidad()  # a flush by an earlier test took the migration's row
    first = Instalacion.objects.get()
    assert len(first.clave) == 32
    assert identity.startswith(first.clave)

    call_command("renovar_instalacion", stdout=open("/dev/null", "w"))  # noqa: SIM115

    renewed = Instalacion.objects.get()
    assert renewed.clave != first.clave
    assert instalacion.identidad().startswith(renewed.clave)


@pytest.mark.django_db
def test_an_emptied_database_gets_a_new_identity_of_its_own():
    instalacion.olvidar()
    old = instalacion.identidad()
    Instalacion.objects.all().delete()
    instalacion.olvidar()
    assert instalacion.identidad() != old
    assert instalacion.identidad().startswith(Instalacion.objects.get().clave)


@pytest.mark.django_db
def test_keys_in_redis_name_the_database():
    instalacion.olvidar()
    identity = instalacion.identidad()
    assert revocable.key("session", "abc") == f"{instalacion.prefijo()}:session:abc"
    assert identity in revocable.key("session", "abc")
    assert instalacion.clave_de_cache("k", "sascop", 1) == f"sascop:{identity}:1:k"
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT oid FROM pg_database WHERE datname = current_database()")
            assert identity.endswith(f"-{cursor.fetchone()[0]}")
