"""Request limits under the real gunicorn: the app's own caps answer JSON; beyond
gunicorn's (config/gunicorn.conf.py) gunicorn answers by itself, with HTML."""

from __future__ import annotations

from http import HTTPStatus

import requests

from tests.server import gunicorn

LIST = "/operaciones/api/ptes/"


def test_app_caps_answer_json_and_gunicorn_limits_sit_above_them(tmp_path):
    env = {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "REDIS_URL": "",
        "SASCOP_ENV": "development",
        "DEBUG": "false",
        "MAX_URL_LENGTH": "4096",
        "MAX_REQUEST_HEADER_BYTES": "16384",
        "GUNICORN_LIMIT_REQUEST_LINE": "8190",
        "GUNICORN_LIMIT_REQUEST_FIELD_SIZE": "8190",
    }

    with gunicorn(env) as url:
        # Longer than gunicorn's default request line (4094), shorter than the configured one.
        long_url = requests.get(f"{url}{LIST}?buscar={'a' * 5000}", timeout=10)
        big_headers = requests.get(
            f"{url}/api/session/",
            headers={f"X-Relleno-{n}": "a" * 7000 for n in range(3)},
            timeout=10,
        )
        nul = requests.get(f"{url}{LIST}?buscar=a%00b", timeout=10)
        beyond_line = requests.get(f"{url}{LIST}?buscar={'a' * 9000}", timeout=10)
        beyond_field = requests.get(
            f"{url}/api/session/", headers={"X-Relleno": "a" * 9000}, timeout=10
        )

    assert long_url.status_code == HTTPStatus.REQUEST_URI_TOO_LONG
    assert long_url.headers["Content-Type"] == "application/json"
    assert long_url.json() == {
        "error": "URI too long",
        "code": "uri_too_long",
        "detail": "The URL may not exceed 4096 characters.",
    }
    assert big_headers.status_code == HTTPStatus.REQUEST_HEADER_FIELDS_TOO_LARGE
    assert big_headers.json() == {
        "error": "Request header fields too large",
        "code": "request_header_fields_too_large",
        "detail": "The request headers may not exceed 16384 bytes in all.",
    }
    # Refused before any view or the database sees it (there are no tables here).
    assert nul.status_code == HTTPStatus.BAD_REQUEST
    assert nul.json()["fields"] == {"buscar": ["Null characters are not allowed."]}
    # What README documents: past gunicorn's own limits the answer is its HTML page.
    assert beyond_line.status_code == HTTPStatus.REQUEST_URI_TOO_LONG
    assert beyond_line.headers["Content-Type"] == "text/html"
    assert beyond_field.status_code == HTTPStatus.REQUEST_HEADER_FIELDS_TOO_LARGE
    assert beyond_field.headers["Content-Type"] == "text/html"
