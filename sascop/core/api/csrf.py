"""CSRF for the endpoints that create a session (login, registration).

Browsers must send the token like on any other unsafe request. Scripts (`curl -d`, a
`requests` form post) log in without one, which is safe as long as the request is not made
by a browser on behalf of another site: browsers always label those with `Origin` or
`Sec-Fetch-Site`. So a tokenless request is accepted only when nothing marks it cross-site.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.middleware.csrf import CsrfViewMiddleware
from django.utils.translation import gettext

from sascop.core.errors import CSRFFailed


class _CsrfCheck(CsrfViewMiddleware):
    """Django's own check, returning the failure reason instead of a response.

    It leans on two private methods of CsrfViewMiddleware (`_reject`, `_origin_verified`);
    `sascop/core/tests/test_csrf_private_api.py` fails loudly if a Django upgrade changes
    them, rather than letting the login check silently change meaning."""

    def _reject(self, request: HttpRequest, reason: str) -> str:
        return reason


def _checker() -> _CsrfCheck:
    return _CsrfCheck(lambda request: None)  # type: ignore[arg-type]


def carries_token(request: HttpRequest) -> bool:
    if settings.CSRF_HEADER_NAME in request.META:
        return True
    return request.method == "POST" and "csrfmiddlewaretoken" in request.POST


def is_cross_site(request: HttpRequest) -> bool:
    """True when the browser says the request comes from a site we do not trust."""
    checker = _checker()
    if "HTTP_ORIGIN" in request.META:
        return not checker._origin_verified(request)  # type: ignore[attr-defined]
    return request.headers.get("Sec-Fetch-Site", "").lower() == "cross-site"


def enforce_session_creation_csrf(request: HttpRequest) -> None:
    """Raise `CSRFFailed` unless the request may create a session (see module docstring)."""
    if carries_token(request):
        checker = _checker()
        checker.process_request(request)
        reason = checker.process_view(request, None, (), {})  # type: ignore[arg-type]
        if reason:
            raise CSRFFailed(gettext("CSRF verification failed: %(reason)s") % {"reason": reason})
        return
    if is_cross_site(request):
        raise CSRFFailed(
            gettext("CSRF verification failed: a cross-site request must carry the CSRF token.")
        )
