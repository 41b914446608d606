"""The quick path of content negotiation answers exactly what DRF's full one does."""

from __future__ import annotations

from http import HTTPStatus

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("accept", [None, "*/*", "application/json", " application/json "])
def test_a_plain_accept_gets_json(client, user, json_login, accept):
    json_login()
    extra = {} if accept is None else {"HTTP_ACCEPT": accept}

    response = client.get("/api/user/", **extra)

    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"] == "application/json"
    assert response.json()["username"] == "ana"


@pytest.mark.parametrize(
    ("accept", "query", "status"),
    [
        ("text/html", "", HTTPStatus.NOT_ACCEPTABLE),
        ("application/xml", "", HTTPStatus.NOT_ACCEPTABLE),
        ("application/json;q=0.9, text/html", "", HTTPStatus.OK),
        ("*/*", "?format=json", HTTPStatus.OK),
        ("*/*", "?format=xml", HTTPStatus.NOT_FOUND),
    ],
)
def test_any_other_request_is_negotiated_in_full(client, user, json_login, accept, query, status):
    json_login()

    response = client.get(f"/api/user/{query}", HTTP_ACCEPT=accept)

    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
