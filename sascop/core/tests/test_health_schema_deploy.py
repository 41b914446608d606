"""/healthz, the OpenAPI document, and the production configuration."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from http import HTTPStatus
from pathlib import Path

import pytest
from django.conf import settings as django_settings

ROOT = Path(__file__).resolve().parents[3]


@pytest.mark.django_db
def test_health_ok(client):
    response = client.get("/healthz")

    assert response.status_code == HTTPStatus.OK
    assert response.json() == {
        "status": "ok",
        "checks": {
            "database": "ok",
            "redis": "ok" if django_settings.REDIS_URL else "not_configured",
        },
    }


@pytest.mark.django_db
def test_schema_documents_cookie_auth_and_errors(client):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/json")

    assert response.status_code == HTTPStatus.OK
    schema = response.json()
    assert schema["components"]["securitySchemes"]["cookieAuth"] == {
        "type": "apiKey",
        "in": "cookie",
        "name": "sessionid",
        "description": (
            "Django session cookie, set by POST /api/login/. Unsafe methods also need the "
            "`csrftoken` cookie's value in the X-CSRFToken header."
        ),
    }
    paths = schema["paths"]
    for path in [
        "/api/login/",
        "/api/logout/",
        "/api/register/",
        "/api/user/",
        "/api/csrf/",
        "/api/session/",
        "/api/password/change/",
        "/healthz",
    ]:
        assert path in paths, path
    login = paths["/api/login/"]["post"]
    assert {"200", "400", "401", "403", "413", "415", "429", "500", "503"} <= set(
        login["responses"]
    )
    assert login["responses"]["401"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Error"
    }
    user = paths["/api/user/"]["get"]
    # Being logged in is all a read of /api/user/ needs: it can be 401, never 403.
    assert set(user["responses"]) == {"200", "401", "500", "503"}
    dashboard = paths["/operaciones/api/estadisticas/"]["get"]
    assert set(dashboard["responses"]) == {"200", "401", "403", "500", "503"}
    assert user["security"] == [{"cookieAuth": []}]
    assert "security" not in login or login["security"] in ([], [{}])


@pytest.mark.django_db
def test_interactive_docs_are_served_without_external_assets(client):
    response = client.get("/api/docs/")

    assert response.status_code == HTTPStatus.OK
    page = response.content.decode()
    assert "swagger-ui" in page
    assert "cdn.jsdelivr" not in page


def _production_env(**extra: str) -> dict[str, str]:
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
    return env


def test_production_mode_passes_deploy_checks(tmp_path):
    # What a deploy does first (sascop/core/tests/test_produccion.py: without it, E006).
    env = _production_env(STATIC_ROOT=str(tmp_path / "static"))
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_mode_requires_a_secret_key():
    env = _production_env()
    del env["SECRET_KEY"]

    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True
    )

    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_settings_are_hardened():
    code = (
        "import django, json; django.setup(); from django.conf import settings as s; "
        "print(json.dumps([s.DEBUG, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, "
        "s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, s.SECURE_PROXY_SSL_HEADER, "
        "s.CORS_ALLOWED_ORIGINS, s.SESSION_COOKIE_HTTPONLY, s.CSRF_COOKIE_HTTPONLY]))"
    )
    env = {**_production_env(), "DJANGO_SETTINGS_MODULE": "config.settings"}

    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )

    assert result.stdout.strip() == (
        '[false, true, true, true, 31536000, ["HTTP_X_FORWARDED_PROTO", "https"], [], true, false]'
    )


def test_openapi_schema_generates_without_warnings():
    result = subprocess.run(
        [sys.executable, "manage.py", "spectacular", "--validate", "--fail-on-warn"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )

    assert result.returncode == 0, result.stderr
    assert "openapi: 3" in result.stdout
