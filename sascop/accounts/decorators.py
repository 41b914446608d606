"""Decorators for the HTML pages."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.http.response import HttpResponseBase

from sascop.core.pages.acceso import a_login


def login_required_page(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Send anonymous browsers to the login page, saying so when their session expired."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.user.is_authenticated:
            return view(request, *args, **kwargs)
        return a_login(request)

    return wrapper


def permission_required_page(
    *permisos: str,
) -> Callable[[Callable[..., HttpResponseBase]], Callable[..., HttpResponseBase]]:
    """A page for logged-in users holding every one of `permisos` (the same model
    permissions the API checks): anonymous browsers go to the login page, the others get
    the 403 page."""

    def decorator(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
        @wraps(view)
        def checked(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not request.user.has_perms(permisos):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return login_required_page(checked)

    return decorator
