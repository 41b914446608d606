"""Content-Security-Policy: django-csp's middleware, and the nonce for templates.

Pages get the policy of `settings.CONTENT_SECURITY_POLICY` (scripts from this origin or with
the response's nonce, nothing inline). Whatever is not a page (JSON, the schema, workbooks,
static files) is never meant to run or load anything, so it gets a policy that allows
nothing: a JSON answer opened in a tab, or a file that a browser is tricked into reading as
HTML, can neither run a script nor be framed.
"""

from __future__ import annotations

from typing import Any

from csp.constants import NONE
from csp.middleware import CSPMiddleware, PolicyParts
from django.http import HttpRequest
from django.http.response import HttpResponseBase

NOT_A_PAGE_POLICY: dict[str, list[str]] = {
    "default-src": [NONE],
    "frame-ancestors": [NONE],
    "base-uri": [NONE],
    "form-action": [NONE],
}


def _is_page(response: HttpResponseBase) -> bool:
    return str(response.get("Content-Type", "")).startswith("text/html")


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware; responses that are not HTML get `NOT_A_PAGE_POLICY`."""

    def get_policy_parts(
        self,
        request: HttpRequest,
        response: HttpResponseBase,
        report_only: bool = False,
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and parts.config is None and not _is_page(response):
            # A view's own csp_update/csp_replace is for its page: not applied here.
            return PolicyParts(config=dict(NOT_A_PAGE_POLICY))
        return parts


def csp_nonce(request: HttpRequest) -> dict[str, Any]:
    """Template context: `csp_nonce`, this response's nonce (the name django-htmx's
    `{% htmx_script %}` and Django 6's own processor use). It stays lazy: a page that names
    it puts it in the header, one that does not sends no nonce at all."""
    return {"csp_nonce": getattr(request, "csp_nonce", "")}
