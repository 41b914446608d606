"""Self-registration hardened (issue 23, item 10): closed by default in production,
throttled per client address, and silent about existing accounts when refused for another
reason."""

from __future__ import annotations

import json
import subprocess
import sys
from http import HTTPStatus

import pytest
from django.test import Client

from sascop.accounts.models import User
from sascop.core.tests.test_health_schema_deploy import ROOT, _production_env
from tests.envelope import assert_error

pytestmark = pytest.mark.django_db
URL = "/api/register/"


def _register(client, **fields):
    body = {
        "username": "beto",
        "email": "beto@sascop.mx",
        "password": "Ducto-Submarino-77",
        "password2": "Ducto-Submarino-77",
        **fields,
    }
    return client.post(URL, body, content_type="application/json")


@pytest.mark.parametrize(
    ("environment", "expected"),
    [({}, [False, "10/hour"]), ({"SASCOP_ENV": "development"}, [True, "10/hour"])],
)
def test_security_registration_is_closed_by_default_in_production(environment, expected):
    env = {**_production_env(), **environment, "DJANGO_SETTINGS_MODULE": "config.settings"}
    env.pop("REGISTRATION_OPEN", None)
    code = (
        "import django, json; django.setup(); from django.conf import settings as s; "
        "print(json.dumps([s.REGISTRATION_OPEN, s.REGISTRATION_RATE]))"
    )

    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )

    assert json.loads(result.stdout) == expected


def test_security_registration_is_throttled_per_client_with_retry_after(settings, time_machine):
    time_machine.move_to("2026-11-23T10:00:00-06:00", tick=False)
    settings.REGISTRATION_RATE = "3/hour"
    # A client that reaches the app directly, not through a proxy in TRUSTED_PROXIES.
    client = Client(enforce_csrf_checks=True, REMOTE_ADDR="192.0.2.10")

    refused = [_register(client, password2="otra").status_code for _ in range(3)]
    throttled = _register(client)
    # Another client address has its own count; the limit does not trust X-Forwarded-For.
    spoofed = client.post(
        URL, {}, content_type="application/json", HTTP_X_FORWARDED_FOR="203.0.113.9"
    )
    other = client.post(URL, {}, content_type="application/json", REMOTE_ADDR="198.51.100.7")

    assert refused == [400, 400, 400]
    body = assert_error(throttled, HTTPStatus.TOO_MANY_REQUESTS, "throttled")
    assert 0 < int(throttled["Retry-After"]) <= 3600
    assert body["retry_after"] == int(throttled["Retry-After"])
    assert not User.objects.filter(username="beto").exists()
    assert spoofed.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert other.status_code == HTTPStatus.BAD_REQUEST
    time_machine.shift(3601)
    assert _register(client).status_code == HTTPStatus.CREATED


def test_security_a_refused_registration_does_not_tell_whether_the_account_exists(client, user):
    # `user` is ana / ana@sascop.mx. The same mistakes, with her name and address and with
    # ones nobody has, get the same answer.
    mistakes = [
        {"password2": "Otra-Contrasena-99"},
        {"password": "12345678", "password2": "12345678"},
    ]
    for mistake in mistakes:
        existing = _register(client, username="ana", email="ana@sascop.mx", **mistake)
        unknown = _register(client, username="nadie", email="nadie@sascop.mx", **mistake)

        assert existing.status_code == unknown.status_code == HTTPStatus.BAD_REQUEST
        assert existing.json() == unknown.json()
        assert not {"username", "email"} & set(existing.json()["fields"])

    # Otherwise acceptable, a taken name or address is refused as before.
    taken = _register(client, username="ANA", email="ana@sascop.mx")
    assert assert_error(taken, HTTPStatus.BAD_REQUEST, "invalid")["fields"] == {
        "username": ["A user with that username already exists."],
        "email": ["A user with that e-mail already exists."],
    }
