"""`SascopAPIClient`: the small client shown in the service's original documentation.

Kept for code written against it: form login, then JSON requests with the CSRF header.
New code should use `SascopClient`.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urljoin

import requests


class SascopAPIClient:
    def __init__(self, base_url: str, timeout: float = 10.0) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.session = requests.Session()
        # Errors then come back as the JSON envelope, never as an HTML page.
        self.session.headers["Accept"] = "application/json"

    def _url(self, endpoint: str) -> str:
        return urljoin(self.base_url + "/", endpoint.lstrip("/"))

    def _csrf_headers(self) -> dict[str, str]:
        return {
            "X-CSRFToken": self.session.cookies.get("csrftoken") or "",
            "Referer": self.base_url + "/",
        }

    def login(self, username: str, password: str) -> bool:
        """Log in through the HTML form, like a browser. True when the session started."""
        self.session.get(self._url("/accounts/login/"), timeout=self.timeout)
        response = self.session.post(
            self._url("/accounts/login/"),
            data={
                "username": username,
                "password": password,
                "csrfmiddlewaretoken": self.session.cookies.get("csrftoken", ""),
            },
            headers={"Referer": self._url("/accounts/login/")},
            allow_redirects=False,
            timeout=self.timeout,
        )
        return response.status_code == 302 and "sessionid" in self.session.cookies

    def get(self, endpoint: str) -> requests.Response:
        return self.session.get(self._url(endpoint), timeout=self.timeout)

    def post(self, endpoint: str, data: Any) -> requests.Response:
        return self.session.post(
            self._url(endpoint), json=data, headers=self._csrf_headers(), timeout=self.timeout
        )
