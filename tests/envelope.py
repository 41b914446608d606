"""Assertions on the error envelope (SPEC §6), shared by every app's tests."""

from __future__ import annotations

from typing import Any


def assert_error(response: Any, status: int, code: str) -> dict[str, Any]:
    """The response is the JSON error envelope with this status and code; returns the body."""
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    body: dict[str, Any] = response.json()
    assert body["code"] == code, body
    assert isinstance(body["error"], str), body
    assert isinstance(body["detail"], str), body
    return body


# Contract A's answer to a request without a (live) session.
NOT_AUTHENTICATED = {
    "error": "Authentication required",
    "code": "not_authenticated",
    "detail": "Authentication credentials were not provided.",
    "redirect": "/accounts/login/",
}


def invalid_input(fields: Any) -> dict[str, Any]:
    """The whole body of a 400 `invalid` answer (SPEC §6) with these field errors."""
    return {
        "error": "Invalid input",
        "code": "invalid",
        "detail": "The submitted data is not valid.",
        "fields": fields,
    }


# The answer while the database does not answer (503, with `Retry-After`).
SERVICE_UNAVAILABLE = {
    "error": "Service unavailable",
    "code": "service_unavailable",
    "detail": "A backing service (the database) is not answering. Try again shortly.",
}
