"""Domain services know nothing of HTTP: they take the acting user and the client's If-Match,
never the request (the auth services in accounts may: logging in is about the request)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SASCOP = Path(__file__).resolve().parents[2]
DOMAIN_SERVICES = [
    SASCOP / "ptes" / "services.py",
    SASCOP / "ots" / "services.py",
    SASCOP / "produccion" / "services.py",
    SASCOP / "catalogos" / "services.py",
    SASCOP / "actividad" / "services.py",
    SASCOP / "flujo" / "services.py",
    SASCOP / "flujo" / "registros.py",
]


def _imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return names


@pytest.mark.parametrize("path", DOMAIN_SERVICES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_domain_services_import_nothing_from_django_http(path):
    http = {
        m for m in _imported_modules(path) if m == "django.http" or m.startswith("django.http.")
    }

    assert http == set()
    assert "HttpRequest" not in path.read_text(encoding="utf-8")
