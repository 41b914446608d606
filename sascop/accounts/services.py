"""Account writes: registration, login, logout, password change.

The JSON APIs and the HTML login page both call these, so the rules (lock-out, key
rotation, validators) cannot drift apart.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import authenticate, login, logout, update_session_auth_hash
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils.translation import gettext

from sascop.accounts import history, mfa, selectors
from sascop.accounts.lockout import locked_out_error, reset_failures
from sascop.accounts.models import User
from sascop.actividad.models import Accion
from sascop.core.errors import InvalidCredentials, InvalidInput, NotFound, RegistrationClosed
from sascop.core.sessions.store import SessionStore

_BACKEND = "sascop.accounts.backends.UsernameOrEmailBackend"


def _rotate_session_key(request: HttpRequest, previous_key: str | None) -> None:
    # Django keeps the key when the same user logs in again on one session; a new key on
    # every login is what stops session fixation, so rotate it ourselves in that case.
    if previous_key is not None and request.session.session_key == previous_key:
        request.session.cycle_key()


def user_login(*, request: HttpRequest, username: str, password: str) -> User:
    """Authenticate and start a session. Raises InvalidCredentials or Throttled (lock-out),
    or MfaCodeRequired when the account has two-factor on (the session then waits, still
    anonymous, for `mfa.login_with_code`)."""
    user = authenticate(request, username=username, password=password)
    if user is None:
        if getattr(request, "axes_locked_out", False):
            raise locked_out_error()
        raise InvalidCredentials()
    if mfa.code_required(user):
        mfa.pending_start(request=request, user=user)
        raise mfa.MfaCodeRequired()
    previous_key = request.session.session_key
    # Everything a login writes in one transaction (one commit, not one per row): Django's
    # `login` stamps last_login and its signal adds the login's row to the activity log (the
    # login history too); then the session row, inserted once with its final data.
    with transaction.atomic():
        login(request, user)
        _rotate_session_key(request, previous_key)
        mfa.hold_for_enrolment(request=request, user=user)
        # SessionMiddleware's save on the way out then finds nothing new to write.
        request.session.save()
    return user


def user_logout(*, request: HttpRequest) -> None:
    """End the session and delete it from the store."""
    logout(request)


def _password_errors(password: str, user: User) -> list[str]:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        return list(exc.messages)
    return []


@transaction.atomic
def user_register(
    *, request: HttpRequest, username: str, email: str, password: str, password2: str
) -> User:
    """Create an account with no domain permissions and log it in."""
    if not settings.REGISTRATION_OPEN:
        raise RegistrationClosed()
    username, email = username.strip(), email.strip()
    errors: dict[str, list[str]] = {}
    if "@" in username:
        errors["username"] = [
            gettext("Usernames may not contain '@'; sign in with the e-mail instead.")
        ]
    if password != password2:
        errors["password2"] = [gettext("The two passwords do not match.")]
    user = User(username=username, email=email)
    if password_errors := _password_errors(password, user):
        errors["password"] = password_errors
    if errors:
        # Refused for what was typed: the answer is the same whether the username or e-mail
        # names an account or not.
        raise InvalidInput(fields=errors)
    if selectors.taken("username", username):
        errors["username"] = [gettext("A user with that username already exists.")]
    if selectors.taken("email", email):
        errors["email"] = [gettext("A user with that e-mail already exists.")]
    if errors:
        raise InvalidInput(fields=errors)
    user.set_password(password)
    try:
        user.full_clean()
        with transaction.atomic():
            user.save()
    except ValidationError as exc:
        raise InvalidInput(fields=exc.message_dict) from exc
    except IntegrityError as exc:  # a concurrent registration took the name first
        raise InvalidInput(
            fields={"username": [gettext("A user with that username or e-mail already exists.")]}
        ) from exc
    previous_key = request.session.session_key
    login(request, user, backend=_BACKEND)
    _rotate_session_key(request, previous_key)
    request.session.save()  # in this transaction too, as a login's
    return user


def user_change_password(
    *, request: HttpRequest, user: User, current_password: str, new_password: str
) -> None:
    """Change the password; this session stays, every other session of the user ends.

    A wrong current password counts as a failed login of the account (and a locked account
    is answered 429 like the login), so this endpoint cannot be used to guess passwords.
    """
    # Not inside the change's transaction: a refused attempt must stay counted.
    checked = authenticate(request, username=user.username, password=current_password)
    if checked is None or checked.pk != user.pk:
        if getattr(request, "axes_locked_out", False):
            raise locked_out_error()
        raise InvalidInput(
            fields={"current_password": [gettext("The current password is incorrect.")]}
        )
    if password_errors := _password_errors(new_password, user):
        raise InvalidInput(fields={"new_password": password_errors})
    with transaction.atomic():
        user.set_password(new_password)
        user.save(update_fields=["password"])
        # Other sessions carry the old password's hash and are refused on their next request;
        # saving the user revoked its cached row, or failed (503) and undid the change.
        update_session_auth_hash(request, user)
        request.session.save()  # this session's new key, written with the change
    reset_failures(request, user)


# --- sessions a user can end ------------------------------------------------------------------


@transaction.atomic
def session_end(*, owner_id: int, public_id: str, request: HttpRequest | None = None) -> None:
    """End one live session of `owner_id`, named by its public id (404 if it has none such).

    It stops working at once on every app server (the store revokes its Redis copy, or the
    change is undone with a 503)."""
    for row, _expires_at in selectors.live_sessions(owner_id):
        if selectors.session_public_id(row.session_key) == public_id:
            SessionStore(session_key=row.session_key).delete()
            history.registrar(accion=Accion.SESION_TERMINADA, request=request, usuario=row.user)
            return
    raise NotFound(gettext("No such session."))


@transaction.atomic
def sessions_end_others(*, request: HttpRequest, owner_id: int) -> int:
    """End every live session of `owner_id` but the one making this request; how many."""
    current = request.session.session_key
    ended = 0
    for row, _expires_at in selectors.live_sessions(owner_id):
        if row.session_key != current:
            SessionStore(session_key=row.session_key).delete()
            history.registrar(accion=Accion.SESION_TERMINADA, request=request, usuario=row.user)
            ended += 1
    return ended
