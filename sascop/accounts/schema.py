"""Contract B's `/accounts/login/` and `/accounts/logout/` in the OpenAPI document.

They are plain Django views (they answer browsers with pages and redirects, scripts with
JSON), so drf-spectacular does not see them; this postprocessing hook adds them, reusing the
components of `/api/login/` and `/api/logout/`, whose JSON they share.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings

from sascop.core.api.schema import no_nul

_HTML = {"text/html": {"schema": {"type": "string"}}}


def _ref(name: str) -> dict[str, Any]:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(name: str) -> dict[str, Any]:
    return {"application/json": {"schema": _ref(name)}}


def _error(description: str, *, page: bool) -> dict[str, Any]:
    # A browser's form post gets the login page again, with the error and the same status;
    # JSON requests (or `Accept: application/json`) get the error envelope.
    content = {**_json("Error"), **(_HTML if page else {})}
    return {"description": description, "content": content}


def _login_form() -> dict[str, Any]:
    return {
        "schema": {
            "type": "object",
            "properties": {
                "username": {"type": "string", "description": "Username or e-mail address."},
                "password": {"type": "string", "format": "password"},
                "next": {"type": "string", "description": "Where to go after logging in."},
            },
            "required": ["username", "password"],
        }
    }


def _redirect(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "headers": {"Location": {"schema": {"type": "string"}, "required": True}},
    }


def _login_path() -> dict[str, Any]:
    page_params = [
        {"in": "query", "name": name, "schema": no_nul(schema), "description": description}
        for name, schema, description in [
            ("next", {"type": "string"}, "Where to go after logging in (same host only)."),
            ("session_expired", {"type": "string"}, "`1`: say the session expired."),
            ("logout_exitoso", {"type": "string"}, "`1`: say the user logged out."),
        ]
    ]
    return {
        "get": {
            "operationId": "accounts_login_page",
            "summary": "Login page",
            "description": "The Spanish login page; sets the `csrftoken` cookie.",
            "tags": ["auth"],
            "security": [{}],
            "parameters": page_params,
            "responses": {
                "200": {"description": "The login page.", "content": _HTML},
                "400": _error("A query parameter holds a NUL character (`invalid`).", page=True),
                "500": _error("Unexpected error.", page=True),
                "503": _error("The database is not answering.", page=True),
            },
        },
        "post": {
            "operationId": "accounts_login",
            "summary": "Log in (form or JSON)",
            "description": (
                "The same login as `POST /api/login/`. A JSON body gets the same JSON answer; "
                "a browser form is redirected to `next` (same host only) or the dashboard, "
                "and a failed form login gets the login page again with the error's status. "
                "A failed login never answers 200."
            ),
            "tags": ["auth"],
            "security": [{}],
            "parameters": page_params[:1],
            "requestBody": {
                "required": True,
                "content": {
                    "application/json": {"schema": _ref("LoginInputRequest")},
                    "application/x-www-form-urlencoded": _login_form(),
                    "multipart/form-data": _login_form(),
                },
            },
            "responses": {
                "200": {
                    "description": (
                        "Logged in (JSON); or, for an account with two-factor on, "
                        "`mfa_required` (still logged out: send the code to "
                        "`POST /api/login/mfa/`)."
                    ),
                    "content": {
                        "application/json": {
                            "schema": {"oneOf": [_ref("LoginOutput"), _ref("MfaRequired")]}
                        }
                    },
                },
                "302": _redirect(
                    "Logged in (form): go to `next` or the dashboard; with two-factor on, to "
                    "the code page `/accounts/login/codigo/`."
                ),
                "400": _error("Missing or malformed credentials (`invalid`).", page=True),
                "401": _error("Wrong username or password (`invalid_credentials`).", page=True),
                "403": _error("Cross-site, without a CSRF token (`csrf_failed`).", page=True),
                "413": _error("Body too large (`payload_too_large`).", page=False),
                "415": _error("Neither JSON nor a form (`unsupported_media_type`).", page=True),
                "429": {
                    **_error("Locked out after too many failures (`throttled`).", page=True),
                    "headers": {"Retry-After": {"schema": {"type": "integer"}, "required": True}},
                },
                "500": _error("Unexpected error (`server_error`).", page=True),
                "503": _error("The database is not answering.", page=True),
            },
        },
    }


def _logout_path() -> dict[str, Any]:
    return {
        "post": {
            "operationId": "accounts_logout",
            "summary": "Log out (browser or JSON)",
            "description": (
                "Ends the session (deleted server-side). A browser is sent to "
                f"`{settings.LOGIN_URL}?logout_exitoso=1`; a request that sends or accepts "
                "JSON gets the same answer as `POST /api/logout/`. Needs the CSRF token."
            ),
            "tags": ["auth"],
            "security": [{"cookieAuth": []}, {}],
            "responses": {
                "200": {"description": "Logged out (JSON).", "content": _json("Message")},
                "302": _redirect("Logged out (browser): back to the login page."),
                "401": _error("Not logged in (JSON).", page=False),
                "403": _error("Missing CSRF token (`csrf_failed`).", page=True),
                "413": _error("Body too large (`payload_too_large`).", page=False),
                "500": _error("Unexpected error (`server_error`).", page=True),
                "503": _error("The database is not answering.", page=True),
            },
        }
    }


_ENROLMENT = (
    "With MFA_REQUIRED_GROUPS set, a member of those roles who has not set up two-factor yet "
    "(`mfa_enrolment_required`, with `redirect`)."
)


def _document_enrolment_gate(paths: dict[str, Any]) -> None:
    """Every operation a session held to two-factor enrolment may not reach can answer 403
    (accounts.middleware.MfaEnrolmentMiddleware); say so where the 403 is not there yet."""
    from sascop.accounts.middleware import ALLOWED_PREFIXES

    for path, operations in paths.items():
        if path.startswith(ALLOWED_PREFIXES):
            continue
        for operation in operations.values():
            if {"cookieAuth": []} not in operation.get("security", []):
                continue
            responses = operation["responses"]
            if "403" in responses:
                responses["403"]["description"] += f" {_ENROLMENT}"
            else:
                responses["403"] = {"description": _ENROLMENT, "content": _json("Error")}


def add_contract_b_login(
    result: dict[str, Any], generator: Any, request: Any, public: bool
) -> dict[str, Any]:
    """drf-spectacular postprocessing hook: document the browser-style login and logout,
    and the two-factor enrolment gate."""
    _document_enrolment_gate(result["paths"])
    result["paths"]["/accounts/login/"] = _login_path()
    result["paths"]["/accounts/logout/"] = _logout_path()
    return result
