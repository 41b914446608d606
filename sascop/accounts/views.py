"""Contract B's browser half: the Spanish login page, logout, and the landing page.

`/accounts/login/` answers a browser form with pages and redirects, and a JSON body with the
same JSON as `/api/login/`; both go through `services.user_login`.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, QueryDict
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST
from rest_framework.exceptions import ValidationError

from sascop.accounts import serializers as s
from sascop.accounts import services
from sascop.core.csrf import enforce_session_creation_csrf
from sascop.core.errors import (
    ApplicationError,
    MalformedRequest,
    UnsupportedMediaType,
    authentication_error,
    error_response,
    to_application_error,
    wants_json,
)
from sascop.core.parsers import parse_json
from sascop.core.responses import json_response

SESSION_EXPIRED_MESSAGE = (
    "La sesión ha expirado por inactividad. Por favor, ingresa tus datos nuevamente."
)
LOGOUT_MESSAGE = "Cerraste sesión correctamente."
_FORM_TYPES = {"application/x-www-form-urlencoded", "multipart/form-data"}
_ERROR_MESSAGES = {
    "invalid_credentials": "Usuario o contraseña incorrectos.",
    "invalid": "Escribe tu usuario (o correo) y tu contraseña.",
    "csrf_failed": "La página de acceso caducó. Vuelve a intentarlo.",
    "throttled": "Demasiados intentos fallidos. Intenta de nuevo en {minutes} minutos.",
    "service_unavailable": "El servicio no está disponible. Intenta de nuevo en un momento.",
}


def _safe_next(request: HttpRequest, candidate: str | None) -> str:
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return settings.LOGIN_REDIRECT_URL


def _login_page(
    request: HttpRequest, *, error: str = "", status: int = 200, username: str = ""
) -> HttpResponse:
    notice = ""
    if request.GET.get("session_expired") == "1":
        notice = SESSION_EXPIRED_MESSAGE
    elif request.GET.get("logout_exitoso") == "1":
        notice = LOGOUT_MESSAGE
    context = {
        "error": error,
        "notice": notice,
        "username": username,
        "next": _safe_next(request, request.POST.get("next") or request.GET.get("next")),
    }
    return render(request, "accounts/login.html", context, status=status)


def _json_credentials(request: HttpRequest) -> QueryDict | dict[str, Any]:
    data = parse_json(request.body or b"{}", request.encoding or settings.DEFAULT_CHARSET)
    if not isinstance(data, dict):
        raise MalformedRequest("The request body must be a JSON object.")
    return data


def _form_error_message(error: ApplicationError) -> str:
    template = _ERROR_MESSAGES.get(error.code, _ERROR_MESSAGES["invalid_credentials"])
    retry_after = int(error.extra.get("retry_after", 60))
    return template.format(minutes=max(1, retry_after // 60))


@csrf_exempt  # checked below: browsers need the token, same-site scripts may omit it
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    """GET: the login page (sets `csrftoken`). POST: a browser form or a JSON login."""
    if request.method != "POST":
        return _login_page(request)
    as_json = request.content_type == "application/json"
    try:
        if not as_json and request.content_type not in _FORM_TYPES:
            raise UnsupportedMediaType("Send the credentials as application/json or as a form.")
        enforce_session_creation_csrf(request)
        raw = _json_credentials(request) if as_json else request.POST
        data = s.LoginInputSerializer(data=raw)
        data.is_valid(raise_exception=True)
        user = services.user_login(request=request, **data.validated_data)
    except (ApplicationError, ValidationError, MultiPartParserError) as exc:
        error = to_application_error(exc, request)
        if as_json or wants_json(request):
            return error_response(error)
        username = str(request.POST.get("username", ""))
        return _login_page(
            request, error=_form_error_message(error), status=error.status, username=username
        )
    if as_json:
        return json_response(s.login_body(request, user))
    return redirect(_safe_next(request, request.POST.get("next") or request.GET.get("next")))


@never_cache
@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    """POST only (CSRF-checked). Browsers go back to the login page; JSON as /api/logout/."""
    if wants_json(request):
        if not request.user.is_authenticated:
            return error_response(authentication_error(request))
        services.user_logout(request=request)
        return json_response(s.LOGOUT_BODY)
    services.user_logout(request=request)
    return redirect(f"{settings.LOGIN_URL}?logout_exitoso=1")
