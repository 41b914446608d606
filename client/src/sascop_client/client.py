"""`SascopClient`: the session and CSRF handling done for you."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import urljoin

import requests

from sascop_client.errors import AuthenticationRequired, SascopError, ServiceUnavailable, error_for
from sascop_client.resources import Resource

IDEMPOTENT = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})
UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class Record(dict[str, Any]):
    """A JSON object from the service, with the `etag` it came with (for If-Match)."""

    etag: str | None = None


class SascopClient:
    """A logged-in conversation with a SASCOP server.

    >>> client = SascopClient("http://127.0.0.1:8000")
    >>> client.login("admin", "…")
    >>> client.estadisticas()["total_ptes"]

    Unsafe requests carry `X-CSRFToken` and a same-origin `Referer` (Django checks it over
    HTTPS). Errors raise the `SascopError` subclass named by the answer's `code`.
    Idempotent requests are retried with back-off on connection errors and 503; POST never.
    With `relogin=True`, an expired session is renewed once with the password given to
    `login()`, which is kept in memory only.
    """

    def __init__(
        self,
        base_url: str,
        timeout: float = 10.0,
        *,
        relogin: bool = False,
        retries: int = 3,
        backoff: float = 0.5,
        session: requests.Session | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.relogin = relogin
        self.retries = retries
        self.backoff = backoff
        self.http = session or requests.Session()
        self._csrf_token: str | None = None
        self._credentials: tuple[str, str] | None = None
        self.ptes = Resource(self, "/operaciones/api/ptes/", "ptes")
        self.ots = Resource(self, "/operaciones/api/ots/", "ots")
        self.produccion = Resource(self, "/operaciones/api/produccion/", "produccion")

    # --- session ------------------------------------------------------------------------------

    def login(self, username: str, password: str) -> Record:
        """Log in (JSON). Returns the login answer; raises InvalidCredentials, RateLimited…"""
        body = self._send("POST", "/api/login/", json={"username": username, "password": password})
        self._csrf_token = body.get("csrf_token") or self._cookie_token()
        if body.get("mfa_required"):
            # Two-factor: not logged in until `login_code()`; a new code cannot be made up
            # later, so an expired session is never renewed by itself.
            self._credentials = None
        elif self.relogin:
            self._credentials = (username, password)
        return body

    def login_code(self, code: str) -> Record:
        """Finish a login that answered `{"mfa_required": true}`: the authenticator app's
        code, or a recovery code. Raises InvalidCredentials for a wrong or used code."""
        body = self._send("POST", "/api/login/mfa/", json={"code": code})
        self._csrf_token = body.get("csrf_token") or self._cookie_token()
        return body

    def logout(self) -> None:
        try:
            self._send("POST", "/api/logout/")
        finally:
            self._credentials = None
            self._csrf_token = None

    def session(self) -> Record:
        """Whether the session is alive, who is logged in, and when it expires."""
        return self.get("/api/session/")

    def whoami(self) -> Record:
        return self.get("/api/user/")

    def estadisticas(self) -> Record:
        return self.get("/operaciones/api/estadisticas/")

    # --- requests -------------------------------------------------------------------------------

    def get(self, path: str, params: dict[str, Any] | None = None) -> Any:
        return self.request("GET", path, params=params)

    def post(self, path: str, json: Any = None) -> Any:
        return self.request("POST", path, json=json)

    def put(self, path: str, json: Any = None, etag: str | None = None) -> Any:
        return self.request("PUT", path, json=json, etag=etag)

    def patch(self, path: str, json: Any = None, etag: str | None = None) -> Any:
        return self.request("PATCH", path, json=json, etag=etag)

    def delete(self, path: str, etag: str | None = None) -> Any:
        return self.request("DELETE", path, etag=etag)

    def request(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        params: dict[str, Any] | None = None,
        etag: str | None = None,
    ) -> Any:
        """Send a request; return the parsed JSON (a `Record` for objects, None for 204)."""
        try:
            return self._send(method, path, json=json, params=params, etag=etag)
        except AuthenticationRequired as exc:
            if not (self.relogin and self._credentials and exc.code == "session_expired"):
                raise
            self.login(*self._credentials)
            return self._send(method, path, json=json, params=params, etag=etag)

    def iterate(
        self, path: str, items_key: str, params: dict[str, Any] | None = None
    ) -> Iterator[Record]:
        """Every item of a paginated list, fetching pages only as they are consumed."""
        query = {"elementos_por_pagina": 100, **(params or {}), "pagina": 1}
        while True:
            page = self.get(path, params=query)
            for item in page[items_key]:
                yield Record(item)
            if page["pagina_actual"] >= page["total_paginas"]:
                return
            query["pagina"] = page["pagina_actual"] + 1

    # --- plumbing -------------------------------------------------------------------------------

    def url(self, path: str) -> str:
        return urljoin(self.base_url + "/", path.lstrip("/"))

    def _cookie_token(self) -> str | None:
        return self.http.cookies.get("csrftoken")

    def _send(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        params: dict[str, Any] | None = None,
        etag: str | None = None,
    ) -> Any:
        method = method.upper()
        # Per request, so a caller's session (whose default Accept is */*) cannot drop it:
        # without it the server may answer a browser's HTML page.
        headers: dict[str, str] = {"Accept": "application/json"}
        if method in UNSAFE:
            token = self._cookie_token() or self._csrf_token
            if token:
                headers["X-CSRFToken"] = token
            headers["Referer"] = self.base_url + "/"
        if etag:
            headers["If-Match"] = etag
        attempts = self.retries + 1 if method in IDEMPOTENT else 1
        for attempt in range(attempts):
            try:
                response = self.http.request(
                    method,
                    self.url(path),
                    json=json,
                    params=params,
                    headers=headers,
                    timeout=self.timeout,
                )
            except (requests.ConnectionError, requests.Timeout):
                if attempt + 1 >= attempts:
                    raise
                time.sleep(self.backoff * 2**attempt)
                continue
            try:
                return self._parse(response)
            except ServiceUnavailable:
                if attempt + 1 >= attempts:
                    raise
                time.sleep(self.backoff * 2**attempt)
        raise AssertionError("unreachable")  # pragma: no cover

    @staticmethod
    def _parse(response: requests.Response) -> Any:
        if response.status_code == 204 or not response.content:
            if response.ok:
                return None
            raise error_for(response.status_code, {})
        try:
            body = response.json()
        except ValueError as exc:
            if response.ok:
                raise SascopError(response.status_code, "not_json", response.text) from exc
            raise error_for(response.status_code, {"detail": response.text[:200]}) from exc
        if not response.ok:
            raise error_for(response.status_code, body)
        if isinstance(body, dict):
            record = Record(body)
            record.etag = response.headers.get("ETag")
            return record
        return body
