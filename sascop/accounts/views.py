"""Contract B's browser half: the Spanish login page, logout, and the landing page.

`/accounts/login/` answers a browser form with pages and redirects, and a JSON body with the
same JSON as `/api/login/`; both go through `services.user_login`. An account with two-factor
on continues at `/accounts/login/codigo/` (`mfa.login_with_code`, like `/api/login/mfa/`).

`/cuenta/`: the user's own account (profile, password, sessions, login history, two-factor),
on the same services as the API.
"""

from __future__ import annotations

from http import HTTPStatus
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, QueryDict
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.dateparse import parse_datetime
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST
from rest_framework.exceptions import ValidationError

from sascop.accounts import history, mfa, selectors, services
from sascop.accounts import serializers as s
from sascop.accounts.current import current_user
from sascop.accounts.decorators import login_required_page
from sascop.accounts.forms import (
    CambioContrasenaForm,
    CodigoForm,
    ConfirmarAltaForm,
    ContrasenaForm,
)
from sascop.accounts.lockout import cool_off_seconds
from sascop.core.api.csrf import enforce_session_creation_csrf
from sascop.core.api.parsers import parse_json
from sascop.core.api.responses import json_response
from sascop.core.errors import (
    ApplicationError,
    Conflict,
    InvalidInput,
    MalformedRequest,
    Throttled,
    UnsupportedMediaType,
    authentication_error,
    error_headers,
    error_response,
    to_application_error,
    wants_json,
)
from sascop.core.pages.comunes import errores_de_pagina
from sascop.core.pages.formularios import mostrar_errores

SESSION_EXPIRED_MESSAGE = _(
    "Your session expired after a period of inactivity. Please enter your details again."
)
LOGOUT_MESSAGE = _("You logged out successfully.")
_FORM_TYPES = {"application/x-www-form-urlencoded", "multipart/form-data"}
_ERROR_MESSAGES = {
    "invalid_credentials": _("Wrong username or password."),
    "invalid": _("Type your username (or e-mail) and your password."),
    "csrf_failed": _("The login page expired. Try again."),
    "service_unavailable": _("The service is not available. Try again in a moment."),
}


def _safe_next(request: HttpRequest, candidate: str | None) -> str:
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return settings.LOGIN_REDIRECT_URL


MFA_EXPIRED_MESSAGE = _(
    "More than 5 minutes passed without the verification code. Enter your details again."
)


def _login_page(
    request: HttpRequest, *, error: str = "", status: int = 200, username: str = ""
) -> HttpResponse:
    notice = ""
    if request.GET.get("session_expired") == "1":
        notice = str(SESSION_EXPIRED_MESSAGE)
    elif request.GET.get("logout_exitoso") == "1":
        notice = str(LOGOUT_MESSAGE)
    elif request.GET.get("codigo_expirado") == "1":
        notice = str(MFA_EXPIRED_MESSAGE)
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
        raise MalformedRequest(gettext("The request body must be a JSON object."))
    return data


def _form_error_message(error: ApplicationError, messages: dict[str, Any] | None = None) -> str:
    if error.code == "throttled":
        minutes = max(1, int(error.extra.get("retry_after", 60)) // 60)
        return ngettext(
            "Too many failed attempts. Try again in %(minutes)d minute.",
            "Too many failed attempts. Try again in %(minutes)d minutes.",
            minutes,
        ) % {"minutes": minutes}
    known = {**_ERROR_MESSAGES, **(messages or {})}
    return str(known.get(error.code, _ERROR_MESSAGES["invalid_credentials"]))


# What the login page's form always sends (the token, even when the fields are left blank).
_LOGIN_FORM_FIELDS = {"csrfmiddlewaretoken", "username", "password"}


def _login_form_posted(request: HttpRequest) -> bool:
    """Whether a refused login answers with the login page: a browser (it asks for HTML) or
    a post of the page's form. A client asking for JSON, or a script whose body is no form
    or a form without any of the page's fields (an empty multipart post), gets the JSON
    envelope instead."""
    if wants_json(request):
        return False
    if "text/html" in request.headers.get("Accept", ""):
        return True
    if request.content_type not in _FORM_TYPES:
        return False
    try:
        return bool(_LOGIN_FORM_FIELDS & set(request.POST))
    except MultiPartParserError:
        return False


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
            raise UnsupportedMediaType(
                gettext("Send the credentials as application/json or as a form.")
            )
        enforce_session_creation_csrf(request)
        raw = _json_credentials(request) if as_json else request.POST
        data = s.LoginInputSerializer(data=raw)
        data.is_valid(raise_exception=True)
        user = services.user_login(request=request, **data.validated_data)
    except mfa.MfaCodeRequired:
        if as_json or wants_json(request):
            return json_response(mfa.MFA_REQUIRED_BODY)
        siguiente = _safe_next(request, request.POST.get("next") or request.GET.get("next"))
        return redirect(f"{reverse('accounts:login-codigo')}?{urlencode({'next': siguiente})}")
    except (ApplicationError, ValidationError, MultiPartParserError) as exc:
        error = to_application_error(exc, request)
        if as_json or not _login_form_posted(request):
            return error_response(error)
        username = str(request.POST.get("username", ""))
        page = _login_page(
            request, error=_form_error_message(error), status=error.status, username=username
        )
        # A lock-out (429) or an outage (503) says when to try again, as the JSON answer does.
        if retry_after := error_headers(error).get("Retry-After"):
            page["Retry-After"] = retry_after
        return page
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


_CODE_MESSAGES = {
    "invalid_mfa_code": _(
        "The code is not valid or was already used. Type the one your app shows now."
    ),
    "invalid": _("Type the verification code."),
}


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def login_codigo_view(request: HttpRequest) -> HttpResponse:
    """The login's second step for an account with two-factor: the code of the
    authenticator app, or a recovery code. Without a password step in the last 5 minutes
    it goes back to the login page."""
    siguiente = _safe_next(request, request.POST.get("next") or request.GET.get("next"))
    volver = f"{settings.LOGIN_URL}?{urlencode({'next': siguiente, 'codigo_expirado': '1'})}"
    if mfa.pending_user_id(request) is None:
        return redirect(volver)
    form = CodigoForm(request.POST or None, recuperacion=True)
    status = 200
    reintentar = None
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                mfa.login_with_code(request=request, code=form.cleaned_data["code"])
            except mfa.MfaNotPending:
                return redirect(volver)
            except ApplicationError as exc:
                form.add_error("code", _form_error_message(exc, _CODE_MESSAGES))
                status = exc.status
                reintentar = error_headers(exc).get("Retry-After")
            else:
                return redirect(siguiente)
    context = {"form": form, "next": siguiente}
    page = render(request, "accounts/login_codigo.html", context, status=status)
    if reintentar:
        page["Retry-After"] = reintentar
    return page


# --- /cuenta/: the user's own account ---------------------------------------------------------

_CURRENT_PASSWORD_WRONG = _("The current password is not correct.")
_PAGE_SIZE = 25


def _cuenta(request: HttpRequest, template: str, status: int = 200, **context: Any) -> HttpResponse:
    context.setdefault("seccion", template.rsplit("/", 1)[-1].split(".")[0])
    context["obligatorio"] = mfa.enrolment_required_now(current_user(request))
    page = render(request, f"accounts/cuenta/{template}", context, status=status)
    if status == HTTPStatus.TOO_MANY_REQUESTS:
        # Only the lock-out answers 429 here: say when to come back, as the API does.
        page["Retry-After"] = str(cool_off_seconds())
    return page


@never_cache
@login_required_page
def cuenta_inicio(request: HttpRequest) -> HttpResponse:
    """The user's profile, with links to the password, sessions, history and two-factor."""
    user = current_user(request)
    roles = sorted(user.groups.values_list("name", flat=True))
    return _cuenta(
        request,
        "inicio.html",
        usuario=user,
        ultimo_acceso=selectors.last_login_of(user.pk),
        roles=roles,
        estado=mfa.mfa_status(user),
    )


@never_cache
@login_required_page
@require_http_methods(["GET", "HEAD", "POST"])
def cuenta_contrasena(request: HttpRequest) -> HttpResponse:
    """Change the password (the same service as the API: other sessions end)."""
    form = CambioContrasenaForm(request.POST or None)
    if request.method != "POST":
        return _cuenta(request, "contrasena.html", form=form)
    if form.is_valid():
        try:
            services.user_change_password(
                request=request,
                user=current_user(request),
                current_password=form.cleaned_data["current_password"],
                new_password=form.cleaned_data["new_password"],
            )
        except Throttled as exc:
            form.add_error(None, _form_error_message(exc))
            return _cuenta(request, "contrasena.html", status=exc.status, form=form)
        except InvalidInput as exc:
            if exc.fields and "current_password" in exc.fields:
                exc.fields["current_password"] = [str(_CURRENT_PASSWORD_WRONG)]
            mostrar_errores(form, exc)
        else:
            messages.success(request, gettext("Password changed. Your other sessions were ended."))
            return redirect("cuenta:inicio")
    return _cuenta(request, "contrasena.html", status=400, form=form)


@never_cache
@login_required_page
def cuenta_sesiones(request: HttpRequest) -> HttpResponse:
    """Where the user is logged in, each session with a button to end it."""
    user = current_user(request)
    actual = request.session.session_key
    sesiones = [s.session_item(una, actual) for una in selectors.live_sessions(int(user.pk))]
    for sesion in sesiones:
        for campo in ("created_at", "last_seen_at", "expires_at"):
            sesion[campo] = parse_datetime(sesion[campo]) if sesion[campo] else None
    return _cuenta(request, "sesiones.html", sesiones=sesiones)


@require_POST
@login_required_page
@errores_de_pagina
def cuenta_sesion_cerrar(request: HttpRequest, session_id: str) -> HttpResponse:
    """End one of the user's sessions (this one too, if asked: then it is a logout)."""
    user = current_user(request)
    propia = selectors.session_public_id(request.session.session_key or "") == session_id
    services.session_end(owner_id=int(user.pk), public_id=session_id, request=request)
    if propia:
        return redirect(f"{settings.LOGIN_URL}?logout_exitoso=1")
    messages.success(request, gettext("Session ended."))
    return redirect("cuenta:sesiones")


@require_POST
@login_required_page
def cuenta_sesiones_cerrar_otras(request: HttpRequest) -> HttpResponse:
    """End every other session of the user's."""
    cerradas = services.sessions_end_others(request=request, owner_id=int(current_user(request).pk))
    messages.success(
        request,
        ngettext("%(count)d session was ended.", "%(count)d sessions were ended.", cerradas)
        % {"count": cerradas},
    )
    return redirect("cuenta:sesiones")


@never_cache
@login_required_page
def cuenta_historial(request: HttpRequest) -> HttpResponse:
    """The user's own login history, newest first, 25 a page."""
    eventos = selectors.login_history({}, only_user_id=int(current_user(request).pk))
    pagina = Paginator(eventos, _PAGE_SIZE).get_page(request.GET.get("pagina"))
    for evento in pagina.object_list:
        evento.dispositivo = selectors.device_of(evento.agente_usuario)  # type: ignore[attr-defined]
        evento.resultado = history.resultado(evento)  # type: ignore[attr-defined]
    return _cuenta(request, "historial.html", pagina=pagina)


@never_cache
@login_required_page
def cuenta_mfa(request: HttpRequest) -> HttpResponse:
    """Two-factor: whether it is on, and the buttons to set it up, renew the recovery
    codes or turn it off."""
    return _cuenta(request, "mfa.html", estado=mfa.mfa_status(current_user(request)))


def _reautenticacion(
    request: HttpRequest, form: ContrasenaForm | ConfirmarAltaForm, accion: Any
) -> tuple[Any, int]:
    """Run `accion(password)` (a service that asks for the password first); on a wrong
    password or a lock-out, the form says so. Returns (its result or None, status)."""
    if not form.is_valid():
        return None, 400
    try:
        return accion(form.cleaned_data["password"]), 200
    except Throttled as exc:
        form.add_error(None, _form_error_message(exc))
        return None, exc.status
    except InvalidInput as exc:
        if "password" not in (exc.fields or {}):
            raise
        form.add_error("password", _CURRENT_PASSWORD_WRONG)
        return None, 400


_CONFIRMA_CONFIGURAR: dict[str, Any] = {
    "titulo": _("Set up two-step verification"),
    "texto": _("To set up an authenticator app, confirm it is you with your password."),
    "boton": _("Continue"),
}
_CONFIRMA_CODIGOS: dict[str, Any] = {
    "titulo": _("Generate new recovery codes"),
    "texto": _("The recovery codes you have will stop working. Confirm with your password."),
    "boton": _("Generate new codes"),
}


@never_cache
@login_required_page
@require_http_methods(["GET", "HEAD", "POST"])
def cuenta_mfa_configurar(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator: first the password (POST: a new secret, pending until
    confirmed), then GET: its QR code and the form for the first code. The secret is shown
    on this page only (never cached)."""
    user = current_user(request)
    if request.method == "POST":
        form = ContrasenaForm(request.POST)
        alta, status = _reautenticacion(
            request,
            form,
            lambda password: mfa.totp_setup(request=request, user=user, password=password),
        )
        if alta is not None:
            return redirect("cuenta:mfa-configurar")
        return _cuenta(
            request, "mfa_contrasena.html", status, seccion="mfa", form=form, **_CONFIRMA_CONFIGURAR
        )
    pendiente = mfa.pending_setup(user)
    if pendiente is None:
        form = ContrasenaForm()
        return _cuenta(
            request, "mfa_contrasena.html", seccion="mfa", form=form, **_CONFIRMA_CONFIGURAR
        )
    return _cuenta(
        request, "mfa_configurar.html", seccion="mfa", form=ConfirmarAltaForm(), alta=pendiente
    )


@never_cache
@require_POST
@login_required_page
def cuenta_mfa_confirmar(request: HttpRequest) -> HttpResponse:
    """Turn two-factor on with the first code and the password; shows the recovery codes,
    this once."""
    user = current_user(request)
    form = ConfirmarAltaForm(request.POST)
    codigos: list[str] | None = None
    status = 400
    if form.is_valid():
        try:
            codigos = mfa.totp_confirm(
                request=request,
                user=user,
                code=form.cleaned_data["code"],
                password=form.cleaned_data["password"],
            )
        except Conflict:
            return redirect("cuenta:mfa")
        except Throttled as exc:
            form.add_error(None, _form_error_message(exc))
            status = exc.status
        except InvalidInput as exc:
            if "password" in (exc.fields or {}):
                form.add_error("password", _CURRENT_PASSWORD_WRONG)
            else:
                form.add_error(
                    "code", gettext("The code does not match. Type the one your app shows now.")
                )
        else:
            return _cuenta(request, "mfa_codigos.html", seccion="mfa", codigos=codigos, nuevo=True)
    pendiente = mfa.pending_setup(user)
    if pendiente is None:
        return redirect("cuenta:mfa")
    return _cuenta(
        request, "mfa_configurar.html", status=status, seccion="mfa", form=form, alta=pendiente
    )


@never_cache
@login_required_page
@require_http_methods(["GET", "HEAD", "POST"])
def cuenta_mfa_codigos(request: HttpRequest) -> HttpResponse:
    """New recovery codes given the password (the old ones stop working), shown this once."""
    user = current_user(request)
    if not mfa.totp_enabled(user):
        return redirect("cuenta:mfa")
    form = ContrasenaForm(request.POST or None)
    status = 200
    if request.method == "POST":
        try:
            codigos, status = _reautenticacion(
                request,
                form,
                lambda password: mfa.recovery_codes_regenerate(
                    request=request, user=user, password=password
                ),
            )
        except Conflict:
            return redirect("cuenta:mfa")
        if codigos is not None:
            return _cuenta(request, "mfa_codigos.html", seccion="mfa", codigos=codigos, nuevo=False)
    return _cuenta(
        request, "mfa_contrasena.html", status, seccion="mfa", form=form, **_CONFIRMA_CODIGOS
    )


@never_cache
@login_required_page
@require_http_methods(["GET", "HEAD", "POST"])
def cuenta_mfa_desactivar(request: HttpRequest) -> HttpResponse:
    """Turn two-factor off, given the password."""
    user = current_user(request)
    estado = mfa.mfa_status(user)
    if not estado["totp_enabled"]:
        return redirect("cuenta:mfa")
    form = ContrasenaForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                mfa.totp_disable(request=request, user=user, password=form.cleaned_data["password"])
            except Throttled as exc:
                form.add_error(None, _form_error_message(exc))
                status = exc.status
            except InvalidInput:
                form.add_error("password", _CURRENT_PASSWORD_WRONG)
            except mfa.MfaRequiredByPolicy:
                form.add_error(
                    None,
                    gettext("Your role requires two-step verification: it cannot be turned off."),
                )
                status = 403
            else:
                messages.success(request, gettext("Two-step verification turned off."))
                return redirect("cuenta:mfa")
    return _cuenta(
        request, "mfa_desactivar.html", status=status, seccion="mfa", form=form, estado=estado
    )
