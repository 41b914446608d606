"""Decorators for the HTML pages."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from sascop.core.sessions import session_lost


def login_required_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Send anonymous browsers to the login page, saying so when their session expired."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated:
            return view(request, *args, **kwargs)
        params = {"next": request.get_full_path()}
        if session_lost(request):
            params["session_expired"] = "1"
        return redirect(f"{settings.LOGIN_URL}?{urlencode(params)}")

    return wrapper
