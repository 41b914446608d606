"""Session authentication for the API: CSRF-checked, answering 401 rather than 403."""

from __future__ import annotations

from django.utils.translation import gettext
from rest_framework import authentication, exceptions
from rest_framework.permissions import SAFE_METHODS
from rest_framework.request import Request

from sascop.core.errors import CSRFFailed


class SessionAuthentication(authentication.SessionAuthentication):
    """DRF's session authentication with two changes.

    * It names a scheme, so DRF answers an anonymous request with 401 (not 403).
    * A CSRF failure raises the typed `CSRFFailed` (code `csrf_failed`).
    """

    def authenticate_header(self, request: Request) -> str:
        return 'Session realm="sascop"'

    def enforce_csrf(self, request: Request) -> None:
        if request.method in SAFE_METHODS:  # nothing to check; spare the hot read path
            return
        try:
            super().enforce_csrf(request)
        except exceptions.PermissionDenied as exc:
            reason = str(exc.detail).removeprefix("CSRF Failed: ")
            raise CSRFFailed(
                gettext("CSRF verification failed: %(reason)s") % {"reason": reason}
            ) from exc
