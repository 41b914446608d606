"""Production mode end to end: `collectstatic` as a deploy runs it (hashed, compressed
names and their manifest), `check --deploy` telling a missing or stale manifest, then
pages, the error pages and the static files served with those settings over HTTPS (the
proxy's `X-Forwarded-Proto`). Everything runs in child processes with SASCOP_ENV=production,
as the service would."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from sascop.core.tests.test_health_schema_deploy import ROOT, _production_env

# Serves requests through the whole middleware stack (WhiteNoise included) with the
# production settings, and prints what came back.
SERVIR = r"""
import json, django
django.setup()
from django.core.management import call_command
from django.test import Client, RequestFactory
from django.templatetags.static import static
from sascop.core.http.error_views import server_error

call_command("migrate", verbosity=0)
https = {"HTTP_HOST": "sascop.example.com", "HTTP_X_FORWARDED_PROTO": "https"}
pagina = {**https, "HTTP_ACCEPT": "text/html"}
c = Client()
favicon = static("core/favicon.svg")
respuestas = {
    "login": c.get("/accounts/login/", **pagina),
    "tablero": c.get("/", **pagina),
    "docs": c.get("/api/docs/", **pagina),
    "404": c.get("/no-existe/", **pagina),
    "favicon": c.get(favicon, **https),
    "chart": c.get(static("vendor/chart.js/chart.umd.min.js"), **https),
    "http": c.get("/accounts/login/", HTTP_HOST="sascop.example.com"),
    "500": server_error(RequestFactory().get("/", **pagina)),
}
print(json.dumps({
    "favicon_url": favicon,
    **{
        nombre: {
            "status": r.status_code,
            "location": r.get("Location", ""),
            "html": r.get("Content-Type", "").startswith("text/html"),
            "cita_favicon": favicon.encode() in (b"" if r.streaming else r.content),
        }
        for nombre, r in respuestas.items()
    },
}))
"""


def _run(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def produccion(tmp_path_factory) -> dict[str, str]:
    base = tmp_path_factory.mktemp("produccion")
    return _production_env(
        STATIC_ROOT=str(base / "static"), DATABASE_URL=f"sqlite:///{base / 'db.sqlite3'}"
    )


def test_security_production_collectstatic_then_pages_are_served_over_https(produccion):
    # Before collectstatic there is no manifest: check --deploy says so.
    antes = _run(sys.executable, "manage.py", "check", "--deploy", env=produccion)
    assert antes.returncode != 0
    assert "sascop.E006" in antes.stderr + antes.stdout
    assert "No static files manifest" in antes.stderr + antes.stdout

    publicado = _run(sys.executable, "manage.py", "collectstatic", "--noinput", env=produccion)
    assert publicado.returncode == 0, publicado.stderr[-2000:]

    despues = _run(
        sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING", env=produccion
    )
    assert despues.returncode == 0, despues.stdout + despues.stderr
    assert "no issues" in despues.stdout

    servido = _run(
        sys.executable,
        "-c",
        SERVIR,
        env={**produccion, "DJANGO_SETTINGS_MODULE": "config.settings"},
    )
    assert servido.returncode == 0, servido.stderr[-3000:]
    r = json.loads(servido.stdout.strip().splitlines()[-1])
    # Hashed names from the manifest, served by WhiteNoise.
    assert r.pop("favicon_url").startswith("/static/core/favicon.")
    assert r == {
        "login": {"status": 200, "location": "", "html": True, "cita_favicon": True},
        "tablero": {
            "status": 302,
            "location": "/accounts/login/?next=%2F",
            "html": True,
            "cita_favicon": False,
        },
        "docs": {"status": 200, "location": "", "html": True, "cita_favicon": False},
        "404": {"status": 404, "location": "", "html": True, "cita_favicon": True},
        "favicon": {"status": 200, "location": "", "html": False, "cita_favicon": False},
        "chart": {"status": 200, "location": "", "html": False, "cita_favicon": False},
        # Plain HTTP is sent to HTTPS.
        "http": {
            "status": 301,
            "location": "https://sascop.example.com/accounts/login/",
            "html": True,
            "cita_favicon": False,
        },
        "500": {"status": 500, "location": "", "html": True, "cita_favicon": True},
    }


def test_security_check_deploy_catches_a_stale_manifest(produccion, tmp_path):
    """A manifest from another version (a file this one serves is not in it) is an error."""
    manifest = Path(produccion["STATIC_ROOT"]) / "staticfiles.json"
    if not manifest.exists():  # this test alone
        publicado = _run(sys.executable, "manage.py", "collectstatic", "--noinput", env=produccion)
        assert publicado.returncode == 0, publicado.stderr[-2000:]
    guardado = json.loads(manifest.read_text())
    viejo = dict(guardado)
    del viejo["paths"]["core/favicon.svg"]
    manifest.write_text(json.dumps(viejo))
    try:
        result = _run(sys.executable, "manage.py", "check", "--deploy", env=produccion)
    finally:
        manifest.write_text(json.dumps(guardado))

    assert result.returncode != 0
    salida = result.stderr + result.stdout
    assert "sascop.E006" in salida and "core/favicon.svg" in salida


@pytest.mark.django_db
def test_error_pages_still_answer_without_a_manifest(client, settings, tmp_path, caplog):
    """Before collectstatic (the state check --deploy refuses), an error page still says
    what happened, with its own status, instead of failing in its turn."""
    from django.test import RequestFactory

    from sascop.core.http.error_views import server_error

    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }

    missing = client.get("/no-existe/", HTTP_ACCEPT="text/html")
    failed = server_error(RequestFactory().get("/", HTTP_ACCEPT="text/html"))

    assert missing.status_code == 404
    assert "Página no encontrada" in missing.content.decode()
    assert failed.status_code == 500
    assert "Error del servidor" in failed.content.decode()
    assert "The error page could not be drawn" in caplog.text
