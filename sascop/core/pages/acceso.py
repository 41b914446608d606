"""Who may see a page: anonymous browsers go to the login page (told when their session
expired), users without the model permissions get the 403 page."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponseRedirect

from sascop.core.sessions.policy import session_lost


def a_login(request: HttpRequest) -> HttpResponseRedirect:
    """The login page, coming back here afterwards."""
    params = {"next": request.get_full_path()}
    if session_lost(request):
        params["session_expired"] = "1"
    return HttpResponseRedirect(f"{settings.LOGIN_URL}?{urlencode(params)}")
