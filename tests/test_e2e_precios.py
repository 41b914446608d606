"""The price-book import under the real gunicorn: a workbook upload, and the upload limit."""

from __future__ import annotations

from http import HTTPStatus

import requests

from sascop.precios.tests.libros import libro_simple
from tests.server import gunicorn, manage

URL = "/operaciones/api/precios/importar/"


def test_upload_a_workbook_and_the_10_mb_limit(tmp_path):
    env = {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "REDIS_URL": "",
        "SASCOP_ENV": "development",
        "DEBUG": "false",
        "MAX_REQUEST_BODY_BYTES": str(1024 * 1024),
        "MAX_UPLOAD_BODY_BYTES": str(10 * 1024 * 1024),
    }
    manage("migrate", "--noinput", env=env)
    manage(
        "ensure_demo_admin", "--username", "admin", "--password", "Clave-De-Prueba-2026", env=env
    )

    with gunicorn(env) as url:
        session = requests.Session()
        login = session.post(
            f"{url}/api/login/",
            json={"username": "admin", "password": "Clave-De-Prueba-2026"},
            timeout=10,
        )
        assert login.status_code == HTTPStatus.OK
        headers = {"X-CSRFToken": session.cookies["csrftoken"], "Referer": f"{url}/"}

        def subir(datos: bytes) -> requests.Response:
            return session.post(
                f"{url}{URL}",
                files={"archivo": ("catalogo.xlsx", datos)},
                headers=headers,
                timeout=30,
            )

        primera = subir(libro_simple())
        otra_vez = subir(libro_simple())
        # Past the general 1 MiB limit, within the import's 10 MB: it reaches the reader.
        mediano = subir(b"\0" * (3 * 1024 * 1024))
        grande = subir(b"\0" * (10 * 1024 * 1024 + 1))

    assert primera.status_code == HTTPStatus.OK, primera.text
    assert (primera.json()["creados"], otra_vez.json()["sin_cambios"]) == (2, 2)
    assert mediano.status_code == HTTPStatus.BAD_REQUEST
    assert mediano.json()["code"] == "invalid_workbook"
    assert grande.status_code == HTTPStatus.REQUEST_ENTITY_TOO_LARGE
    assert grande.json() == {
        "error": "Payload too large",
        "code": "payload_too_large",
        "detail": "The request body may not exceed 10485760 bytes.",
    }
