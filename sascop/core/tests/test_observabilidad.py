"""Request ids, one JSON log line per request, and the metrics endpoint."""

from __future__ import annotations

import json
import logging
from http import HTTPStatus

import pytest
from django.test import Client
from prometheus_client import REGISTRY

pytestmark = pytest.mark.django_db


def _sample(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


def test_an_incoming_request_id_is_kept_and_a_missing_one_is_made(client):
    given = client.get("/healthz", HTTP_X_REQUEST_ID="abc-123.x_y")
    assert given["X-Request-ID"] == "abc-123.x_y"

    made = client.get("/healthz")
    assert len(made["X-Request-ID"]) == 32
    assert made["X-Request-ID"] != client.get("/healthz")["X-Request-ID"]


@pytest.mark.parametrize("bad", ["a b", "x" * 65, "<script>", "ñ"])
def test_security_a_request_id_that_could_forge_log_lines_is_replaced(client, bad):
    answer = client.get("/healthz", HTTP_X_REQUEST_ID=bad)
    assert answer["X-Request-ID"] != bad
    assert len(answer["X-Request-ID"]) == 32


def test_each_request_writes_one_json_line_with_its_route_and_user(
    client, user, json_login, caplog
):
    json_login()
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="sascop.peticiones"):
        answer = client.get("/api/user/", HTTP_X_REQUEST_ID="seguir-1")

    lines = [json.loads(r.getMessage()) for r in caplog.records if r.name == "sascop.peticiones"]
    assert lines == [
        {
            "method": "GET",
            "route": "/api/user/",
            "status": HTTPStatus.OK,
            "duration_ms": lines[0]["duration_ms"],
            "queries": lines[0]["queries"],
            "user_id": user.pk,
            "request_id": "seguir-1",
        }
    ]
    assert answer["X-Request-ID"] == "seguir-1"
    assert isinstance(lines[0]["duration_ms"], float)


def test_the_log_line_names_the_url_pattern_not_the_path(client, user, json_login, caplog):
    json_login()
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="sascop.peticiones"):
        client.get("/operaciones/api/ptes/999999/")
        client.get("/no/existe/")

    routes = [json.loads(r.getMessage())["route"] for r in caplog.records]
    assert routes[0].startswith("/operaciones/api/ptes/<")
    assert routes[1] == "(sin ruta)"


def test_the_metrics_count_requests_and_their_queries(client, user, json_login):
    json_login()
    labels = {"method": "GET", "route": "/api/user/", "status": "200"}
    before = _sample("sascop_http_request_duration_seconds_count", **labels)
    queries_before = _sample("sascop_db_queries_per_request_count", route="/api/user/")

    for _ in range(3):
        client.get("/api/user/")

    assert _sample("sascop_http_request_duration_seconds_count", **labels) == before + 3
    assert _sample("sascop_db_queries_per_request_count", route="/api/user/") == queries_before + 3


def test_security_metrics_are_served_only_to_allowed_addresses_or_the_token(settings):
    settings.METRICS_ALLOWED_IPS = ["10.9.8.7"]
    settings.METRICS_TOKEN = "s3creto-de-metricas"
    outsider = Client(REMOTE_ADDR="192.0.2.1")

    refused = outsider.get("/metrics")
    assert refused.status_code == HTTPStatus.FORBIDDEN
    assert refused.json()["code"] == "permission_denied"
    wrong = outsider.get("/metrics", HTTP_AUTHORIZATION="Bearer otro")
    assert wrong.status_code == HTTPStatus.FORBIDDEN

    with_token = outsider.get("/metrics", HTTP_AUTHORIZATION="Bearer s3creto-de-metricas")
    assert with_token.status_code == HTTPStatus.OK
    assert b"sascop_http_request_duration_seconds_bucket" in with_token.content

    allowed = Client(REMOTE_ADDR="10.9.8.7").get("/metrics")
    assert allowed.status_code == HTTPStatus.OK
    assert allowed["Content-Type"].startswith("text/plain")
