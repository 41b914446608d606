"""What the tests of pages do as a browser would: read a response's HTML, send a form with
the CSRF token of the client's cookie, and read back what an edit form showed."""

from __future__ import annotations

import re
from typing import Any

from django.test import Client

# The header htmx sends with each of its requests.
HTMX: dict[str, Any] = {"HTTP_HX_REQUEST": "true"}


def page_html(response: Any) -> str:
    return response.content.decode()


def csrf_token(c: Client) -> str:
    """The token a page's forms carry: the `csrftoken` cookie's value."""
    return c.cookies["csrftoken"].value


def post_form(c: Client, url: str, data: dict[str, object]) -> Any:
    """POST `data` to `url` as a page's form does, with the CSRF token."""
    return c.post(url, {**data, "csrfmiddlewaretoken": csrf_token(c)})


def shown_values(html: str) -> dict[str, str]:
    """The values an edit form showed, which a browser sends back hidden (`initial-*`)."""
    return {
        name: value.replace("&quot;", '"')
        for name, value in re.findall(r'name="(initial-[a-z_]+)"(?: value="([^"]*)")?', html)
    }


def hidden_value(html: str, name: str) -> str:
    """The value of the form's hidden input `name` (it must be there)."""
    found = re.search(rf'<input type="hidden" name="{name}" value="([^"]*)"', html)
    assert found is not None, f"no hidden {name}"
    return found.group(1).replace("&quot;", '"')
