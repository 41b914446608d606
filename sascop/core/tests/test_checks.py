"""The configuration self-check: `manage.py check` names what breaks session auth."""

from __future__ import annotations

import pytest
from django.core import checks

from sascop.core import checks as sascop_checks


def _ids(*, deploy: bool = False) -> list[str]:
    found = checks.run_checks(tags=[sascop_checks.TAG], include_deployment_checks=deploy)
    return sorted(message.id for message in found if message.id)


def test_the_development_defaults_pass(settings):
    settings.REDIS_URL = ""
    assert _ids(deploy=True) == []


def test_a_cors_origin_csrf_does_not_trust(settings):
    settings.CORS_ALLOWED_ORIGINS = ["http://localhost:3000", "https://app.example.com"]
    settings.CSRF_TRUSTED_ORIGINS = ["http://localhost:3000"]

    (message,) = sascop_checks.cors_origins_are_trusted()

    assert message.id == "sascop.E001"
    assert "https://app.example.com" in message.msg
    assert "CSRF_TRUSTED_ORIGINS" in (message.hint or "")


def test_an_absolute_age_shorter_than_the_idle_timeout(settings):
    settings.SESSION_COOKIE_AGE = 7200
    settings.SESSION_ABSOLUTE_AGE = 3600

    assert _ids() == ["sascop.E002"]


@pytest.mark.parametrize("cookie", ["SESSION", "CSRF"])
def test_samesite_none_without_secure(settings, cookie):
    setattr(settings, f"{cookie}_COOKIE_SAMESITE", "None")
    setattr(settings, f"{cookie}_COOKIE_SECURE", False)

    assert _ids() == ["sascop.E003"]
    setattr(settings, f"{cookie}_COOKIE_SECURE", True)
    assert _ids() == []


def test_insecure_session_cookie_in_production_is_a_deploy_error(settings):
    settings.PRODUCTION = True
    settings.SESSION_COOKIE_SECURE = False
    settings.REDIS_URL = ""

    assert "sascop.E004" not in _ids()  # only `check --deploy` asks
    assert "sascop.E004" in _ids(deploy=True)


def test_an_allowed_host_missing_from_the_trusted_origins(settings):
    settings.REDIS_URL = ""
    settings.ALLOWED_HOSTS = ["sascop.example.com", "testserver", ".example.org"]
    settings.CSRF_TRUSTED_ORIGINS = []
    settings.CORS_ALLOWED_ORIGINS = []

    (message,) = sascop_checks.allowed_hosts_are_trusted_origins()

    assert message.id == "sascop.W002"
    assert "sascop.example.com" in message.msg and "testserver" not in message.msg


def test_redis_set_but_not_answering(settings, monkeypatch):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    monkeypatch.setattr("sascop.core.http.health.redis_answers", lambda: False)

    (message,) = sascop_checks.redis_answers()

    assert message.id == "sascop.W001"
    assert "127.0.0.1" in message.msg


def test_security_redis_keys_that_do_not_name_the_database_are_a_deploy_error(settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    settings.CACHES = {"default": {**settings.CACHES["default"], "KEY_FUNCTION": None}}

    (message,) = sascop_checks.redis_keys_name_the_database()
    assert message.id == "sascop.E005"

    settings.CACHES = {
        "default": {
            **settings.CACHES["default"],
            "KEY_FUNCTION": "sascop.core.cache.instalacion.clave_de_cache",
        }
    }
    assert sascop_checks.redis_keys_name_the_database() == []
