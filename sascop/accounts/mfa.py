"""Two-factor login: an authenticator app (TOTP, RFC 6238, via pyotp) and recovery codes.

A user with a confirmed authenticator logs in in two steps. The password step
(`services.user_login`) leaves the session anonymous with a *pending* login in it
(`PENDING_KEY`: who, since when); `login_with_code` finishes it with a TOTP code or a
recovery code, within MFA_PENDING_SECONDS. Wrong codes count as failed logins of the account
in django-axes (the same counter, limit and cool-off as wrong passwords, so a client gets
AXES_FAILURE_LIMIT guesses of either kind in all).

The TOTP secret is stored encrypted (Fernet) with a key derived from SECRET_KEY (and
SECRET_KEY_FALLBACKS, so a rotated key still opens secrets enrolled before): a copy of the
database alone (a backup, a leaked dump, an injection that reads a table) does not give away
what generates the codes; it also needs the app's configuration. Recovery codes are random
(about 50 bits) and stored as keyed hashes, so a hash lookup finds one in one indexed query.

An administrator may require two-factor for roles (MFA_REQUIRED_GROUPS, group names): the
`MfaEnrolmentMiddleware` lets a member without an authenticator do nothing but enrol, look at
its session, or log out. It asks on every request (`enrolment_required_now`), not only at
login, so a session opened before the role came to require it is held too; the answer is
cached per user for MFA_POLICY_CACHE_SECONDS and forgotten when the user's groups or
authenticator change.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import time
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import pyotp
from django.conf import settings
from django.contrib.auth import SESSION_KEY, authenticate, login
from django.core.cache import cache
from django.db import transaction
from django.db.models import Q
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from django.http import HttpRequest
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext, gettext_lazy

from sascop.accounts import history
from sascop.accounts.lockout import locked_out_error
from sascop.accounts.models import CodigoRecuperacion, DispositivoTotp, User
from sascop.actividad.models import Accion
from sascop.core.errors import (
    ApplicationError,
    Conflict,
    InvalidInput,
    NotFound,
)

if TYPE_CHECKING:
    from cryptography.fernet import MultiFernet

PENDING_KEY = "_mfa_pending"
RECOVERY_CODES = 10
_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: read off paper
_RECOVERY_LENGTH = 10
_SECRET_SALT = "sascop.accounts.mfa.totp-secret"
_RECOVERY_SALT = "sascop.accounts.mfa.recovery-code"
# Codes from the step before and after the current one are accepted (a phone's clock
# a little off, a code typed as it changed), as RFC 6238 §5.2 recommends at most.
_DRIFT_STEPS = 1


# --- errors -----------------------------------------------------------------------------------


class MfaCodeRequired(Exception):
    """Not an error: the password was right and the account needs its second factor. The
    login views answer `MFA_REQUIRED_BODY` (or the code page)."""


MFA_REQUIRED_BODY = {"mfa_required": True, "message": "MFA required"}


class InvalidMfaCode(ApplicationError):
    status = 401
    code = "invalid_mfa_code"
    error = "Invalid code"
    detail = gettext_lazy("The code is not valid (or was already used). Try the current one.")


class MfaNotPending(ApplicationError):
    status = 401
    code = "mfa_not_pending"
    error = "No login waiting for a code"
    detail = gettext_lazy("Log in with your username and password first.")


class MfaExpired(MfaNotPending):
    code = "mfa_expired"
    error = "Login expired"
    detail = gettext_lazy(
        "The login waited too long for its code. Log in with your password again."
    )


class MfaEnrolmentRequired(ApplicationError):
    status = 403
    code = "mfa_enrolment_required"
    error = "MFA enrolment required"
    detail = gettext_lazy(
        "Your role requires two-factor authentication: set up an authenticator app "
        "(POST /api/mfa/totp/setup/, then /api/mfa/totp/confirm/) before anything else."
    )


class MfaRequiredByPolicy(ApplicationError):
    status = 403
    code = "mfa_required_by_policy"
    error = "MFA required for your role"
    detail = gettext_lazy(
        "Your role requires two-factor authentication, so it cannot be turned off. To use "
        "another phone, set up the authenticator again (it replaces this one once confirmed)."
    )


# --- the secret at rest -----------------------------------------------------------------------


# cryptography (Fernet) and segno (the QR code) are imported where they are used: every worker
# loads this module through the middleware, and most never encrypt a secret or draw a code.


@lru_cache(maxsize=4)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    from cryptography.fernet import Fernet, MultiFernet

    def derived(secret_key: str) -> Fernet:
        digest = salted_hmac(_SECRET_SALT, "fernet", secret=secret_key, algorithm="sha256")
        return Fernet(base64.urlsafe_b64encode(digest.digest()))

    return MultiFernet([derived(key) for key in keys])


def _keys() -> tuple[str, ...]:
    return (settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", []))


def _encrypt(secret: str) -> str:
    return _fernet(_keys()).encrypt(secret.encode()).decode()


def _decrypt(token: str) -> str | None:
    """The secret, or None when no configured key opens it (SECRET_KEY changed without
    keeping the old one in SECRET_KEY_FALLBACKS: the user must enrol again)."""
    from cryptography.fernet import InvalidToken

    try:
        return _fernet(_keys()).decrypt(token.encode()).decode()
    except InvalidToken:
        return None


# --- reads ------------------------------------------------------------------------------------


def _device(user: User) -> DispositivoTotp | None:
    # The login's account lookup joins the device in (selectors.account_for_identifier):
    # asking whether a user has one costs no query there.
    try:
        return user.dispositivo_totp
    except DispositivoTotp.DoesNotExist:
        return None


def totp_enabled(user: User) -> bool:
    device = _device(user)
    return device is not None and device.activo


def enrolment_required(user: User) -> bool:
    """Whether the user's role requires two-factor and the user has not set it up."""
    groups = settings.MFA_REQUIRED_GROUPS
    if not groups or totp_enabled(user):
        return False
    return user.groups.filter(name__in=groups).exists()


def _policy_key(user_id: Any) -> str:
    # The roles named are part of the key: a new MFA_REQUIRED_GROUPS never reads old answers.
    roles = "\n".join(sorted(settings.MFA_REQUIRED_GROUPS)).encode()
    return f"mfa-politica:{hashlib.sha256(roles).hexdigest()[:16]}:{user_id}"


def enrolment_required_now(user: User) -> bool:
    """`enrolment_required`, asked on every request of a logged-in user: the answer is kept
    in the cache per user for MFA_POLICY_CACHE_SECONDS, and forgotten at once when the
    user's groups or authenticator change (see the receivers below), so most requests cost a
    cache read and no query. Nothing at all while MFA_REQUIRED_GROUPS is empty."""
    if not settings.MFA_REQUIRED_GROUPS:
        return False
    key = _policy_key(user.pk)
    held = cache.get(key)
    if held is None:
        held = enrolment_required(user)
        cache.set(key, held, settings.MFA_POLICY_CACHE_SECONDS)
    return bool(held)


def forget_policy(user_id: Any) -> None:
    """Drop the cached answer of `enrolment_required_now`: now, and again once the current
    transaction commits (a reader meanwhile may have cached the old answer again)."""
    if settings.MFA_REQUIRED_GROUPS:
        key = _policy_key(user_id)
        cache.delete(key)
        transaction.on_commit(lambda: cache.delete(key))


@receiver(m2m_changed, sender=User.groups.through, dispatch_uid="mfa-politica-grupos")
def _groups_changed(
    sender: Any, instance: Any, action: str, reverse: bool, pk_set: set[Any] | None, **kwargs: Any
) -> None:
    if action not in {"post_add", "post_remove", "post_clear", "pre_clear"}:
        return
    if not reverse:  # user.groups.add(...)
        forget_policy(instance.pk)
        return
    # group.user_set.add(...): the users named; a clear names none, so read them first.
    if action == "pre_clear":
        pk_set = set(instance.user_set.values_list("pk", flat=True))
    for user_id in pk_set or ():
        forget_policy(user_id)


@receiver(post_save, sender=DispositivoTotp, dispatch_uid="mfa-politica-dispositivo-guardado")
@receiver(post_delete, sender=DispositivoTotp, dispatch_uid="mfa-politica-dispositivo-borrado")
def _device_changed(sender: Any, instance: DispositivoTotp, **kwargs: Any) -> None:
    forget_policy(instance.user_id)


def required_by_policy(user: User) -> bool:
    groups = settings.MFA_REQUIRED_GROUPS
    return bool(groups) and user.groups.filter(name__in=groups).exists()


def mfa_status(user: User) -> dict[str, Any]:
    """What `GET /api/mfa/` answers."""
    device = _device(user)
    enabled = device is not None and device.activo
    left = user.codigos_recuperacion.filter(usado_en__isnull=True).count() if enabled else 0
    return {
        "totp_enabled": enabled,
        "confirmed_at": device.confirmado_en if enabled and device else None,
        "recovery_codes_remaining": left,
        "required_by_role": required_by_policy(user),
    }


# --- codes ------------------------------------------------------------------------------------


def _normal(code: str) -> str:
    return "".join(code.split()).replace("-", "").lower()


def _matching_step(secret: str, code: str, last_step: int | None) -> int | None:
    """The time step whose code `code` is (within the drift allowed), later than the last
    one accepted; None if none."""
    if len(code) != 6 or not code.isdigit():
        return None
    totp = pyotp.TOTP(secret)
    current = int(time.time()) // totp.interval
    for step in range(current - _DRIFT_STEPS, current + _DRIFT_STEPS + 1):
        if last_step is not None and step <= last_step:
            continue
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def _use_totp(device: DispositivoTotp, code: str) -> bool:
    secret = _decrypt(device.secreto) if device.secreto else None
    if secret is None:
        return False
    step = _matching_step(secret, code, device.ultimo_paso)
    if step is None:
        return False
    # One conditional UPDATE: of two servers checking the same code at once, one wins.
    used = DispositivoTotp.objects.filter(pk=device.pk).filter(
        Q(ultimo_paso__isnull=True) | Q(ultimo_paso__lt=step)
    )
    return used.update(ultimo_paso=step) == 1


def _recovery_hashes(code: str) -> list[str]:
    return [
        salted_hmac(_RECOVERY_SALT, code, secret=key, algorithm="sha256").hexdigest()
        for key in _keys()
    ]


def _use_recovery_code(user: User, code: str) -> bool:
    if len(code) != _RECOVERY_LENGTH:
        return False
    unused = CodigoRecuperacion.objects.filter(
        user=user, hash__in=_recovery_hashes(code), usado_en__isnull=True
    )
    return unused.update(usado_en=timezone.now()) == 1


def _check_code(user: User, code: str) -> bool:
    """A TOTP code or an unused recovery code of the user's; using it uses it up."""
    normal = _normal(code)
    device = _device(user)
    if device is None or not device.activo:
        return False
    if len(normal) == 6 and normal.isdigit():
        return _use_totp(device, normal)
    return _use_recovery_code(user, normal)


def _new_recovery_codes(user: User) -> list[str]:
    CodigoRecuperacion.objects.filter(user=user).delete()
    codes = [
        "".join(secrets.choice(_ALPHABET) for _ in range(_RECOVERY_LENGTH))
        for _ in range(RECOVERY_CODES)
    ]
    CodigoRecuperacion.objects.bulk_create(
        CodigoRecuperacion(user=user, hash=_recovery_hashes(code)[0]) for code in codes
    )
    return [f"{code[:5]}-{code[5:]}" for code in codes]


# --- proof of the account holder -------------------------------------------------------------


def reauthenticate(
    *, request: HttpRequest, user: User, password: str = "", current_code: str = ""
) -> None:
    """That the account holder is at the keyboard, not just someone with the live session:
    the current password, or a code of the authenticator already on (which it uses up).

    Replacing the second factor or its recovery codes asks for it. A wrong password or code
    counts as a failed login of the account (429 once locked out), so these endpoints cannot
    be used to guess either. Call it outside the write's transaction: a refused attempt must
    stay counted."""
    from axes.handlers.proxy import AxesProxyHandler

    from sascop.accounts.lockout import reset_failures

    if password:
        checked = authenticate(request, username=user.username, password=password)
        proven, field = checked is not None and checked.pk == user.pk, "password"
        wrong = gettext("The password is incorrect.")
    elif current_code:
        credentials = {"username": user.username}
        if AxesProxyHandler.is_locked(request, credentials):
            raise locked_out_error()
        device = _device(user)
        normal = _normal(current_code)
        proven = device is not None and device.activo and _use_totp(device, normal)
        field, wrong = "current_code", gettext("The code is not valid (or was already used).")
        if not proven:
            AxesProxyHandler.user_login_failed(
                sender=reauthenticate, credentials=credentials, request=request
            )
    else:
        raise InvalidInput(
            fields={
                "password": [
                    gettext(
                        "Type your current password (or, with two-factor on, a code of your "
                        "authenticator app as current_code)."
                    )
                ]
            }
        )
    if not proven:
        if getattr(request, "axes_locked_out", False):
            raise locked_out_error()
        raise InvalidInput(fields={field: [wrong]})
    reset_failures(request, user)


# --- enrolment --------------------------------------------------------------------------------


def _qr_svg(uri: str) -> str:
    import segno

    qr = segno.make(uri, error="m")
    return str(qr.svg_inline(scale=4, title=gettext("QR code for the authenticator app")))


def totp_setup(
    *, request: HttpRequest, user: User, password: str = "", current_code: str = ""
) -> dict[str, str]:
    """Start enrolling an authenticator, given the password (or a current code: see
    `reauthenticate`): a new secret, its otpauth:// URI and QR code.

    The secret is pending until `totp_confirm`; an authenticator already confirmed keeps
    working until then (re-enrolling a new phone never leaves the account without one)."""
    reauthenticate(request=request, user=user, password=password, current_code=current_code)
    return _totp_setup(user)


@transaction.atomic
def _totp_setup(user: User) -> dict[str, str]:
    secret = pyotp.random_base32()
    device, _ = DispositivoTotp.objects.select_for_update().get_or_create(user=user)
    device.secreto_pendiente = _encrypt(secret)
    device.full_clean()
    device.save(update_fields=["secreto_pendiente"])
    return _setup_body(user, secret)


def _setup_body(user: User, secret: str) -> dict[str, str]:
    uri = pyotp.TOTP(secret).provisioning_uri(
        name=user.email or user.username, issuer_name=settings.MFA_ISSUER
    )
    return {"secret": secret, "otpauth_uri": uri, "qr_svg": _qr_svg(uri)}


def pending_setup(user: User) -> dict[str, str] | None:
    """The enrolment under way (as `totp_setup` answered it), or None."""
    device = DispositivoTotp.objects.filter(user=user).first()
    secret = _decrypt(device.secreto_pendiente) if device and device.secreto_pendiente else None
    return _setup_body(user, secret) if secret is not None else None


def totp_confirm(
    *, request: HttpRequest, user: User, code: str, password: str = "", current_code: str = ""
) -> list[str]:
    """Turn on the authenticator being enrolled, given a code from it and the password (or a
    code of the authenticator it replaces: see `reauthenticate`); returns 10 new recovery
    codes (shown this once: only their hashes are kept; older ones stop working)."""
    if not DispositivoTotp.objects.filter(user=user).exclude(secreto_pendiente="").exists():
        raise Conflict(
            gettext("Start with POST /api/mfa/totp/setup/: there is no secret to confirm.")
        )
    reauthenticate(request=request, user=user, password=password, current_code=current_code)
    return _totp_confirm(request, user, code)


@transaction.atomic
def _totp_confirm(request: HttpRequest, user: User, code: str) -> list[str]:
    device = DispositivoTotp.objects.select_for_update().filter(user=user).first()
    pending = _decrypt(device.secreto_pendiente) if device and device.secreto_pendiente else None
    if device is None or pending is None:
        raise Conflict(
            gettext("Start with POST /api/mfa/totp/setup/: there is no secret to confirm.")
        )
    step = _matching_step(pending, _normal(code), None)
    if step is None:
        raise InvalidInput(
            fields={"code": [gettext("The code does not match. Type the current one.")]}
        )
    device.secreto, device.secreto_pendiente = device.secreto_pendiente, ""
    device.confirmado_en = timezone.now()
    device.ultimo_paso = step  # the code just typed may not log in too
    device.full_clean()
    device.save()
    return _new_recovery_codes(user)


def totp_disable(*, request: HttpRequest, user: User, password: str) -> None:
    """Turn two-factor off (the authenticator and the recovery codes), given the password.

    A wrong password counts as a failed login (429 once locked out), like a password change.
    Refused (403) when the user's role requires two-factor."""
    from sascop.accounts.lockout import reset_failures

    if not totp_enabled(user):
        raise NotFound(gettext("Two-factor authentication is not turned on."))
    if required_by_policy(user):
        raise MfaRequiredByPolicy()
    # Outside the transaction: a refused attempt must stay counted.
    checked = authenticate(request, username=user.username, password=password)
    if checked is None or checked.pk != user.pk:
        if getattr(request, "axes_locked_out", False):
            raise locked_out_error()
        raise InvalidInput(fields={"password": [gettext("The password is incorrect.")]})
    with transaction.atomic():
        DispositivoTotp.objects.filter(user=user).delete()
        CodigoRecuperacion.objects.filter(user=user).delete()
    reset_failures(request, user)


def recovery_codes_regenerate(
    *, request: HttpRequest, user: User, password: str = "", current_code: str = ""
) -> list[str]:
    """10 new recovery codes, given the password (or a current code: see `reauthenticate`);
    the old ones stop working."""
    if not DispositivoTotp.objects.filter(user=user).exclude(secreto="").exists():
        raise Conflict(gettext("Turn on two-factor authentication first."))
    reauthenticate(request=request, user=user, password=password, current_code=current_code)
    with transaction.atomic():
        return _new_recovery_codes(user)


# --- the two-step login -----------------------------------------------------------------------


def code_required(user: User) -> bool:
    return totp_enabled(user)


def pending_start(*, request: HttpRequest, user: User) -> None:
    """The password was right: remember who is logging in, in a session that stays
    anonymous (a new key, so a session id planted beforehand learns nothing)."""
    if SESSION_KEY in request.session:
        request.session.flush()  # someone else's login on this client ends here
    elif request.session.session_key is not None:
        request.session.cycle_key()
    request.session[PENDING_KEY] = {
        "user": user.pk,
        "since": int(time.time()),
        "backend": getattr(user, "backend", ""),
        # A password change meanwhile voids the pending login.
        "hash": user.get_session_auth_hash(),
    }


def pending_user_id(request: HttpRequest) -> int | None:
    """Who is waiting to type a code in this session (and still may), if anyone."""
    pending = request.session.get(PENDING_KEY)
    if not pending or time.time() - pending["since"] > settings.MFA_PENDING_SECONDS:
        return None
    return int(pending["user"])


def _pending_user(request: HttpRequest) -> tuple[User, str]:
    pending = request.session.get(PENDING_KEY)
    if not pending:
        raise MfaNotPending()
    if time.time() - pending["since"] > settings.MFA_PENDING_SECONDS:
        del request.session[PENDING_KEY]
        raise MfaExpired()
    user = User._default_manager.select_related("dispositivo_totp").filter(pk=pending["user"])
    found = user.first()
    if (
        found is None
        or not found.is_active
        or not constant_time_compare(found.get_session_auth_hash(), pending["hash"])
    ):
        del request.session[PENDING_KEY]
        raise MfaNotPending()
    return found, pending["backend"]


def login_with_code(*, request: HttpRequest, code: str) -> User:
    """Finish a pending login with a TOTP code or a recovery code: the session is then
    logged in, with a new key. Raises MfaNotPending/MfaExpired, InvalidMfaCode, or Throttled
    once the account's failures (passwords and codes) reach the limit."""
    from axes.handlers.proxy import AxesProxyHandler

    user, backend = _pending_user(request)
    credentials = {"username": user.username}
    if AxesProxyHandler.is_locked(request, credentials):
        history.registrar(accion=Accion.BLOQUEO, request=request, usuario=user)
        raise locked_out_error()
    if not _check_code(user, code):
        AxesProxyHandler.user_login_failed(
            sender=login_with_code, credentials=credentials, request=request
        )
        locked = bool(getattr(request, "axes_locked_out", False))
        accion = Accion.BLOQUEO if locked else Accion.CODIGO_INCORRECTO
        history.registrar(accion=accion, request=request, usuario=user)
        if locked:
            raise locked_out_error()
        raise InvalidMfaCode()
    del request.session[PENDING_KEY]
    request.sascop_accion_login = Accion.LOGIN_CON_CODIGO  # type: ignore[attr-defined]
    # An anonymous session gets a new key from login() itself. What the login writes is one
    # transaction, as in services.user_login.
    with transaction.atomic():
        login(request, user, backend=backend or None)
        request.session.save()
    return user


def hold_for_enrolment(*, request: HttpRequest, user: User) -> None:
    """Right after a password login: whether the user is held to enrolment is worked out now
    (and cached), so the requests that follow find the answer in the cache. No query at all
    while MFA_REQUIRED_GROUPS is empty."""
    enrolment_required_now(user)
