"""Two-factor login (TOTP, RFC 6238) with recovery codes: the API (issue 12).

Runs on both stores like the rest of the suite (SQLite with local memory, PostgreSQL with
Redis). Time is frozen with time-machine so codes and the pending login's age are exact.
"""

from __future__ import annotations

import datetime as dt
import re
from http import HTTPStatus
from unittest.mock import ANY

import pyotp
import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import Group
from django.test import Client

from sascop.accounts import history, mfa
from sascop.accounts.models import CodigoRecuperacion, DispositivoTotp, User
from sascop.accounts.tests.contrato import login_body
from sascop.accounts.tests.factories import PASSWORD
from sascop.actividad.selectors import accesos
from sascop.core.tests.test_openapi_document import assert_documented
from tests.envelope import NOT_AUTHENTICATED, assert_error

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 11, 23, 16, 0, 0, tzinfo=dt.UTC)
STEP = 30
AXES_COOLOFF = 15 * 60 + 1
MFA_REQUIRED = {"mfa_required": True, "message": "MFA required"}
LOCKED = {
    "error": "Too many requests",
    "code": "throttled",
    "detail": "Too many failed login attempts. Try again in 15 minutes.",
    "retry_after": 900,
}


@pytest.fixture
def document() -> dict:
    response = Client().get("/api/schema/", {"format": "json"})
    assert response.status_code == HTTPStatus.OK
    return response.json()


@pytest.fixture
def clock(time_machine):
    time_machine.move_to(START, tick=False)
    return time_machine


def _post(c: Client, path: str, body: dict | None = None, **extra: str):
    if "csrftoken" in c.cookies:
        extra["HTTP_X_CSRFTOKEN"] = c.cookies["csrftoken"].value
    return c.post(path, body or {}, content_type="application/json", **extra)  # type: ignore[arg-type]


def _delete(c: Client, path: str, body: dict):
    return c.delete(
        path,
        body,
        content_type="application/json",
        HTTP_X_CSRFTOKEN=c.cookies["csrftoken"].value,
    )


def _password_step(c: Client, username: str = "ana", password: str = PASSWORD):
    return c.post(
        "/api/login/",
        {"username": username, "password": password},
        content_type="application/json",
    )


# What replacing the second factor asks for besides the session (issue 23, item 7).
REAUTH = {"password": PASSWORD}


def _code(secret: str, offset_steps: int = 0) -> str:
    return pyotp.TOTP(secret).at(dt.datetime.now(tz=dt.UTC).timestamp() + offset_steps * STEP)


def _enrol(c: Client) -> tuple[str, list[str]]:
    """Set up and confirm TOTP through the API; the secret and the recovery codes."""
    setup = _post(c, "/api/mfa/totp/setup/", REAUTH)
    assert setup.status_code == HTTPStatus.OK, setup.content
    secret = setup.json()["secret"]
    confirm = _post(c, "/api/mfa/totp/confirm/", {"code": _code(secret), **REAUTH})
    assert confirm.status_code == HTTPStatus.OK, confirm.content
    return secret, confirm.json()["recovery_codes"]


@pytest.fixture
def enrolled(client, user, json_login, clock):
    """`ana` with TOTP on, logged out again; yields (secret, recovery codes)."""
    json_login()
    secret, codes = _enrol(client)
    assert _post(client, "/api/logout/").status_code == HTTPStatus.OK
    clock.shift(STEP)  # the code used to confirm is spent: the login needs the next one
    return secret, codes


def _results(user) -> list[str]:
    rows = accesos().filter(usuario=user).order_by("fecha", "id")
    return [history.resultado(r).value for r in rows]


# --- enrolment ------------------------------------------------------------------------------


def test_setup_answers_secret_uri_and_inline_svg(client, user, json_login, document):
    json_login()

    response = _post(client, "/api/mfa/totp/setup/", REAUTH)

    assert response.status_code == HTTPStatus.OK
    body = response.json()
    assert body == {"secret": ANY, "otpauth_uri": ANY, "qr_svg": ANY}
    assert re.fullmatch(r"[A-Z2-7]{32}", body["secret"])
    assert body["otpauth_uri"] == (
        f"otpauth://totp/SASCOP:ana%40sascop.mx?secret={body['secret']}&issuer=SASCOP"
    )
    assert body["qr_svg"].startswith("<svg ") and body["qr_svg"].endswith("</svg>")
    assert "http" not in body["qr_svg"].replace("http://www.w3.org", "")  # no external service
    assert (
        response["Cache-Control"].startswith("no-store") or "no-store" in response["Cache-Control"]
    )
    assert_documented(document, "POST", "/api/mfa/totp/setup/", response)
    # Pending until confirmed: the login still needs only the password.
    assert mfa.mfa_status(user)["totp_enabled"] is False


def test_totp_secret_is_not_stored_in_clear(client, user, json_login, clock):
    json_login()
    secret, _ = _enrol(client)

    stored = DispositivoTotp.objects.get(user=user)
    assert secret not in stored.secreto
    assert stored.secreto.startswith("gAAAA")  # a Fernet token
    assert mfa._decrypt(stored.secreto) == secret


def test_a_secret_from_a_rotated_key_still_opens_with_the_fallback(
    client, user, json_login, clock, settings
):
    json_login()
    secret, _ = _enrol(client)
    old_key = settings.SECRET_KEY

    settings.SECRET_KEY, settings.SECRET_KEY_FALLBACKS = "otra-clave-" + "x" * 50, [old_key]

    assert mfa._decrypt(DispositivoTotp.objects.get(user=user).secreto) == secret
    settings.SECRET_KEY_FALLBACKS = []
    assert mfa._decrypt(DispositivoTotp.objects.get(user=user).secreto) is None


def test_confirm_turns_it_on_and_answers_ten_single_use_codes_stored_hashed(
    client, user, json_login, clock, document
):
    json_login()
    secret = _post(client, "/api/mfa/totp/setup/", REAUTH).json()["secret"]

    wrong = _post(client, "/api/mfa/totp/confirm/", {"code": "000000", **REAUTH})
    response = _post(client, "/api/mfa/totp/confirm/", {"code": _code(secret), **REAUTH})

    body = assert_error(wrong, HTTPStatus.BAD_REQUEST, "invalid")
    assert body["fields"] == {"code": ["The code does not match. Type the current one."]}
    assert response.status_code == HTTPStatus.OK
    codes = response.json()["recovery_codes"]
    assert len(codes) == 10 == len(set(codes))
    assert all(re.fullmatch(r"[a-z2-9]{5}-[a-z2-9]{5}", code) for code in codes)
    assert_documented(document, "POST", "/api/mfa/totp/confirm/", response)
    stored = list(CodigoRecuperacion.objects.filter(user=user).values_list("hash", flat=True))
    assert len(stored) == 10
    assert not {c.replace("-", "") for c in codes} & set(stored)
    status = client.get("/api/mfa/")
    assert status.json() == {
        "totp_enabled": True,
        "confirmed_at": "2026-11-23T16:00:00Z",
        "recovery_codes_remaining": 10,
        "required_by_role": False,
    }
    assert_documented(document, "GET", "/api/mfa/", status)


def test_confirm_without_setup_is_a_conflict(client, user, json_login):
    json_login()

    response = _post(client, "/api/mfa/totp/confirm/", {"code": "123456", **REAUTH})

    assert_error(response, HTTPStatus.CONFLICT, "conflict")


def test_a_new_phone_replaces_the_old_one_only_once_confirmed(client, enrolled, clock):
    old_secret, _ = enrolled
    assert _password_step(client).json() == MFA_REQUIRED
    assert _post(client, "/api/login/mfa/", {"code": _code(old_secret)}).status_code == 200

    new_secret = _post(client, "/api/mfa/totp/setup/", REAUTH).json()["secret"]
    clock.shift(STEP)
    # Not confirmed yet: the old authenticator still logs in, the new one does not.
    other = Client(enforce_csrf_checks=True)
    _password_step(other)
    assert _post(other, "/api/login/mfa/", {"code": _code(new_secret)}).status_code == 401
    assert _post(other, "/api/login/mfa/", {"code": _code(old_secret)}).status_code == 200
    clock.shift(STEP)
    assert (
        _post(client, "/api/mfa/totp/confirm/", {"code": _code(new_secret), **REAUTH}).status_code
        == 200
    )
    clock.shift(STEP)
    third = Client(enforce_csrf_checks=True)
    _password_step(third)
    assert _post(third, "/api/login/mfa/", {"code": _code(old_secret)}).status_code == 401
    assert _post(third, "/api/login/mfa/", {"code": _code(new_secret)}).status_code == 200


# --- the two-step login ---------------------------------------------------------------------


def test_seed_login_body_unchanged_for_users_without_mfa(client, user):
    response = _password_step(client)

    assert response.status_code == HTTPStatus.OK
    assert response.json() == login_body(user)
    assert client.get("/api/user/").status_code == HTTPStatus.OK


def test_password_step_leaves_the_client_not_authenticated(client, user, enrolled, document):
    response = _password_step(client)

    assert response.status_code == HTTPStatus.OK
    assert response.json() == MFA_REQUIRED
    assert_documented(document, "POST", "/api/login/", response)
    assert client.get("/api/user/").json() == NOT_AUTHENTICATED
    assert client.get("/api/session/").json()["authenticated"] is False
    assert "no-store" in response["Cache-Control"]
    assert _results(user)[-1] == "logout"  # nothing recorded as a login yet


def test_code_step_answers_the_normal_login_body(client, user, enrolled, document):
    secret, _ = enrolled
    _password_step(client)

    response = _post(client, "/api/login/mfa/", {"code": _code(secret)})

    assert response.status_code == HTTPStatus.OK
    assert response.json() == login_body(user)
    assert_documented(document, "POST", "/api/login/mfa/", response)
    assert client.get("/api/user/").json()["username"] == "ana"
    assert _results(user)[-1] == "mfa_success"


def test_mfa_login_rotates_session_key(client, user, enrolled):
    secret, _ = enrolled
    client.get("/api/csrf/")
    _post(client, "/api/login/mfa/", {"code": "000000"})  # an anonymous session exists
    _password_step(client)
    pending_key = client.cookies["sessionid"].value

    _post(client, "/api/login/mfa/", {"code": _code(secret)})

    assert client.cookies["sessionid"].value != pending_key
    stale = Client(enforce_csrf_checks=True)
    stale.cookies["sessionid"] = pending_key
    assert stale.get("/api/user/").status_code == HTTPStatus.UNAUTHORIZED


def test_password_step_rotates_the_session_key_too(client, user, enrolled):
    client.get("/api/csrf/")
    _post(client, "/api/login/mfa/", {"code": "000000"})
    planted = client.cookies["sessionid"].value

    _password_step(client)

    assert client.cookies["sessionid"].value != planted


def test_mfa_login_rotates_csrf_token(client, user, enrolled):
    secret, _ = enrolled
    before = client.get("/api/csrf/").json()["csrf_token"]
    _password_step(client)

    response = _post(client, "/api/login/mfa/", {"code": _code(secret)})

    assert response.json()["csrf_token"] != before


def test_password_step_ends_a_session_of_someone_else(client, user, enrolled, json_login):
    from sascop.accounts.tests.factories import UserFactory

    UserFactory(username="beto")
    json_login("beto")

    assert _password_step(client).json() == MFA_REQUIRED
    assert client.get("/api/user/").status_code == HTTPStatus.UNAUTHORIZED


def test_totp_code_cannot_be_replayed(client, user, enrolled):
    secret, _ = enrolled
    code = _code(secret)
    _password_step(client)
    assert _post(client, "/api/login/mfa/", {"code": code}).status_code == HTTPStatus.OK

    thief = Client(enforce_csrf_checks=True)
    _password_step(thief)
    replay = _post(thief, "/api/login/mfa/", {"code": code})

    assert_error(replay, HTTPStatus.UNAUTHORIZED, "invalid_mfa_code")
    assert thief.get("/api/user/").status_code == HTTPStatus.UNAUTHORIZED


def test_an_older_code_is_refused_after_a_newer_one(client, user, enrolled):
    secret, _ = enrolled
    _password_step(client)
    assert _post(client, "/api/login/mfa/", {"code": _code(secret, +1)}).status_code == 200

    other = Client(enforce_csrf_checks=True)
    _password_step(other)

    assert _post(other, "/api/login/mfa/", {"code": _code(secret)}).status_code == 401


def test_codes_one_step_off_are_accepted_two_are_not(client, user, enrolled, clock):
    secret, _ = enrolled
    clock.shift(STEP)  # the step before is not the one used to confirm
    _password_step(client)

    assert _post(client, "/api/login/mfa/", {"code": _code(secret, +2)}).status_code == 401
    assert _post(client, "/api/login/mfa/", {"code": _code(secret, -2)}).status_code == 401
    assert _post(client, "/api/login/mfa/", {"code": _code(secret, -1)}).status_code == 200


def test_recovery_code_is_single_use(client, user, enrolled):
    _, codes = enrolled
    _password_step(client)
    # As typed off paper: upper case, spaces, no hyphen.
    typed = codes[0].replace("-", " ").upper()
    first = _post(client, "/api/login/mfa/", {"code": typed})

    again = Client(enforce_csrf_checks=True)
    _password_step(again)
    second = _post(again, "/api/login/mfa/", {"code": codes[0]})

    assert first.status_code == HTTPStatus.OK
    assert_error(second, HTTPStatus.UNAUTHORIZED, "invalid_mfa_code")
    assert client.get("/api/mfa/").json()["recovery_codes_remaining"] == 9


def test_code_guessing_is_limited_like_passwords(client, user, enrolled):
    secret, _ = enrolled
    _password_step(client)

    statuses = [
        _post(client, "/api/login/mfa/", {"code": f"{n:06d}"}).status_code for n in range(5)
    ]
    locked = _post(client, "/api/login/mfa/", {"code": _code(secret)})

    assert statuses == [401, 401, 401, 401, 429]
    assert locked.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert locked.json() == LOCKED
    assert locked["Retry-After"] == "900"
    assert client.get("/api/user/").status_code == HTTPStatus.UNAUTHORIZED
    assert _password_step(client).status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert _results(user)[-7:] == ["mfa_failure"] * 4 + ["locked", "locked", "locked"]


def test_wrong_passwords_and_wrong_codes_share_one_limit(client, user, enrolled):
    secret, _ = enrolled
    for _ in range(3):
        assert _password_step(client, password="equivocada").status_code == 401
    _password_step(client)

    assert _post(client, "/api/login/mfa/", {"code": "000000"}).status_code == 401
    assert _post(client, "/api/login/mfa/", {"code": "000001"}).status_code == 429
    assert _post(client, "/api/login/mfa/", {"code": _code(secret)}).status_code == 429


def test_the_lock_out_ends_after_its_cool_off(client, user, enrolled, clock):
    secret, _ = enrolled
    _password_step(client)
    for n in range(5):
        _post(client, "/api/login/mfa/", {"code": f"{n:06d}"})

    clock.shift(dt.timedelta(minutes=16))
    _password_step(client)

    assert _post(client, "/api/login/mfa/", {"code": _code(secret)}).status_code == 200


def test_pending_login_expires_after_five_minutes(client, user, enrolled, clock):
    secret, _ = enrolled
    _password_step(client)
    clock.shift(dt.timedelta(minutes=5, seconds=1))

    late = _post(client, "/api/login/mfa/", {"code": _code(secret)})
    again = _post(client, "/api/login/mfa/", {"code": _code(secret)})

    body = assert_error(late, HTTPStatus.UNAUTHORIZED, "mfa_expired")
    assert body["detail"] == (
        "The login waited too long for its code. Log in with your password again."
    )
    assert_error(again, HTTPStatus.UNAUTHORIZED, "mfa_not_pending")
    assert client.get("/api/user/").status_code == HTTPStatus.UNAUTHORIZED


def test_pending_login_still_works_just_before_five_minutes(client, user, enrolled, clock):
    secret, _ = enrolled
    _password_step(client)
    clock.shift(dt.timedelta(minutes=4, seconds=59))

    assert _post(client, "/api/login/mfa/", {"code": _code(secret)}).status_code == 200


def test_code_without_password_step_is_refused(client, user, enrolled):
    response = _post(client, "/api/login/mfa/", {"code": "123456"})

    assert_error(response, HTTPStatus.UNAUTHORIZED, "mfa_not_pending")


def test_a_password_change_voids_a_pending_login(client, user, enrolled):
    secret, _ = enrolled
    _password_step(client)
    user.set_password("Otra-Clave-Distinta-2026")
    user.save()

    response = _post(client, "/api/login/mfa/", {"code": _code(secret)})

    assert_error(response, HTTPStatus.UNAUTHORIZED, "mfa_not_pending")


def test_login_mfa_refuses_a_cross_site_tokenless_post(client, user, enrolled):
    secret, _ = enrolled
    _password_step(client)

    response = client.post(
        "/api/login/mfa/",
        {"code": _code(secret)},
        content_type="application/json",
        HTTP_ORIGIN="https://evil.example",
    )

    assert_error(response, HTTPStatus.FORBIDDEN, "csrf_failed")


def test_login_history_records_mfa_failure_and_success(client, user, enrolled):
    secret, _ = enrolled
    _password_step(client)
    _post(client, "/api/login/mfa/", {"code": "999999"})
    _post(client, "/api/login/mfa/", {"code": _code(secret)})

    events = client.get("/api/login-history/").json()["events"]

    assert [e["result"] for e in events[:2]] == ["mfa_success", "mfa_failure"]


def test_contract_b_json_login_asks_for_the_code_too(client, user, enrolled):
    secret, _ = enrolled
    response = client.post(
        "/accounts/login/",
        {"username": "ana", "password": PASSWORD},
        content_type="application/json",
    )

    assert response.status_code == HTTPStatus.OK
    assert response.json() == MFA_REQUIRED
    assert client.get("/api/user/").status_code == HTTPStatus.UNAUTHORIZED
    assert _post(client, "/api/login/mfa/", {"code": _code(secret)}).status_code == 200


# --- turning it off, new recovery codes ------------------------------------------------------


def test_disable_needs_the_password(client, user, enrolled, json_login):
    secret, _ = enrolled
    _password_step(client)
    _post(client, "/api/login/mfa/", {"code": _code(secret)})

    wrong = _delete(client, "/api/mfa/totp/", {"password": "equivocada"})
    right = _delete(client, "/api/mfa/totp/", {"password": PASSWORD})
    again = _delete(client, "/api/mfa/totp/", {"password": PASSWORD})

    body = assert_error(wrong, HTTPStatus.BAD_REQUEST, "invalid")
    assert body["fields"] == {"password": ["The password is incorrect."]}
    assert right.status_code == HTTPStatus.NO_CONTENT
    assert_error(again, HTTPStatus.NOT_FOUND, "not_found")
    assert not CodigoRecuperacion.objects.filter(user=user).exists()
    # Back to a one-step login.
    other = Client(enforce_csrf_checks=True)
    assert _password_step(other).json()["message"] == "Login successful"


def test_disable_password_guessing_locks_out(client, user, enrolled):
    secret, _ = enrolled
    _password_step(client)
    _post(client, "/api/login/mfa/", {"code": _code(secret)})

    statuses = [
        _delete(client, "/api/mfa/totp/", {"password": f"mala-{n}"}).status_code for n in range(5)
    ]

    assert statuses == [400, 400, 400, 400, 429]


def test_regenerated_recovery_codes_replace_the_old_ones(client, user, enrolled, document):
    secret, old = enrolled
    _password_step(client)
    _post(client, "/api/login/mfa/", {"code": _code(secret)})

    response = _post(client, "/api/mfa/recovery-codes/", REAUTH)

    assert response.status_code == HTTPStatus.OK
    assert_documented(document, "POST", "/api/mfa/recovery-codes/", response)
    new = response.json()["recovery_codes"]
    assert len(new) == 10 and not set(new) & set(old)
    other = Client(enforce_csrf_checks=True)
    _password_step(other)
    assert _post(other, "/api/login/mfa/", {"code": old[1]}).status_code == 401
    assert _post(other, "/api/login/mfa/", {"code": new[1]}).status_code == 200


def test_recovery_codes_without_totp_is_a_conflict(client, user, json_login):
    json_login()

    assert_error(_post(client, "/api/mfa/recovery-codes/", REAUTH), HTTPStatus.CONFLICT, "conflict")


MISSING_PASSWORD = {
    "password": [
        "Type your current password (or, with two-factor on, a code of your authenticator app "
        "as current_code)."
    ]
}


def _logged_in_with_code(c: Client, secret: str) -> None:
    _password_step(c)
    assert _post(c, "/api/login/mfa/", {"code": _code(secret)}).status_code == HTTPStatus.OK


def test_security_a_live_session_alone_cannot_replace_the_second_factor(
    client, user, enrolled, clock
):
    secret, old_codes = enrolled
    _logged_in_with_code(client, secret)
    clock.shift(STEP)

    for body in ({}, {"password": ""}, {"password": "mala"}, {"current_code": "000000"}):
        setup = _post(client, "/api/mfa/totp/setup/", body)
        codes = _post(client, "/api/mfa/recovery-codes/", body)
        for refused in (setup, codes):
            answer = assert_error(refused, HTTPStatus.BAD_REQUEST, "invalid")
            assert answer["fields"] == (
                MISSING_PASSWORD
                if not any(body.values())
                else {"password": ["The password is incorrect."]}
                if "password" in body
                else {"current_code": ["The code is not valid (or was already used)."]}
            )
        clock.shift(AXES_COOLOFF)  # keep the lock-out out of this test (tested below)
    assert DispositivoTotp.objects.get(user=user).secreto_pendiente == ""

    # A setup made with the password cannot be confirmed without it either.
    nuevo = _post(client, "/api/mfa/totp/setup/", REAUTH).json()["secret"]
    for body in ({}, {"password": "mala"}):
        confirm = _post(client, "/api/mfa/totp/confirm/", {"code": _code(nuevo), **body})
        assert confirm.status_code == HTTPStatus.BAD_REQUEST
    assert mfa._decrypt(DispositivoTotp.objects.get(user=user).secreto) == secret
    # The old authenticator and recovery codes still log in.
    other = Client(enforce_csrf_checks=True)
    _password_step(other)
    assert _post(other, "/api/login/mfa/", {"code": old_codes[0]}).status_code == HTTPStatus.OK


def test_security_a_current_code_also_proves_the_owner(client, user, enrolled, clock):
    secret, _ = enrolled
    _logged_in_with_code(client, secret)
    clock.shift(STEP)

    renewed = _post(client, "/api/mfa/recovery-codes/", {"current_code": _code(secret)})
    assert renewed.status_code == HTTPStatus.OK
    clock.shift(STEP)
    setup = _post(client, "/api/mfa/totp/setup/", {"current_code": _code(secret)})
    assert setup.status_code == HTTPStatus.OK
    # Each code proves once: the one just used does not serve again.
    clock.shift(STEP)
    confirm = _post(
        client,
        "/api/mfa/totp/confirm/",
        {"code": _code(setup.json()["secret"]), "current_code": _code(secret, -1)},
    )
    assert_error(confirm, HTTPStatus.BAD_REQUEST, "invalid")
    confirm = _post(
        client,
        "/api/mfa/totp/confirm/",
        {"code": _code(setup.json()["secret"]), "current_code": _code(secret)},
    )
    assert confirm.status_code == HTTPStatus.OK


def test_security_guessing_the_password_to_replace_the_second_factor_locks_out(
    client, user, enrolled
):
    secret, _ = enrolled
    _logged_in_with_code(client, secret)

    statuses = [
        _post(client, "/api/mfa/totp/setup/", {"password": f"mala-{n}"}).status_code
        for n in range(4)
    ]
    locked = _post(client, "/api/mfa/recovery-codes/", {"password": "mala-5"})

    assert statuses == [400, 400, 400, 400]
    assert_error(locked, HTTPStatus.TOO_MANY_REQUESTS, "throttled")
    assert int(locked["Retry-After"]) > 0
    # Even the right password waits for the cool-off.
    assert _post(client, "/api/mfa/totp/setup/", REAUTH).status_code == 429


def test_the_reauthentication_fields_are_documented(document):
    for path in ("/api/mfa/totp/setup/", "/api/mfa/recovery-codes/", "/api/mfa/totp/confirm/"):
        body = document["paths"][path]["post"]["requestBody"]["content"]["application/json"]
        ref = body["schema"]["$ref"].rsplit("/", 1)[-1]
        properties = document["components"]["schemas"][ref]["properties"]
        assert {"password", "current_code"} <= set(properties), path
        assert "current password" in properties["password"]["description"]


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/api/mfa/"),
        ("post", "/api/mfa/totp/setup/"),
        ("post", "/api/mfa/totp/confirm/"),
        ("delete", "/api/mfa/totp/"),
        ("post", "/api/mfa/recovery-codes/"),
    ],
)
def test_mfa_endpoints_need_a_session(client, method, path):
    response = getattr(client, method)(path, content_type="application/json")

    assert response.status_code == HTTPStatus.UNAUTHORIZED
    assert response.json() == NOT_AUTHENTICATED


@pytest.mark.parametrize(
    "path", ["/api/mfa/totp/setup/", "/api/mfa/totp/confirm/", "/api/mfa/recovery-codes/"]
)
def test_mfa_writes_need_the_csrf_token(client, user, json_login, path):
    json_login()

    response = client.post(path, {"code": "123456"}, content_type="application/json")

    assert_error(response, HTTPStatus.FORBIDDEN, "csrf_failed")


# --- roles that must use two-factor ----------------------------------------------------------


@pytest.fixture
def required(settings):
    settings.MFA_REQUIRED_GROUPS = ["Administración"]


@pytest.fixture
def jefa(required):
    from sascop.accounts.tests.factories import UserFactory

    member = UserFactory(username="jefa")
    member.groups.add(Group.objects.get(name="Administración"))
    return member


def test_a_required_role_without_mfa_can_only_enrol(client, jefa, clock, document):
    login = _password_step(client, "jefa")

    assert login.json()["message"] == "Login successful"  # Contract A's body, unchanged
    refused = client.get("/operaciones/api/ptes/")
    body = assert_error(refused, HTTPStatus.FORBIDDEN, "mfa_enrolment_required")
    assert body["redirect"] == "/cuenta/mfa/"
    documented = document["paths"]["/operaciones/api/ptes/"]["get"]["responses"]["403"]
    assert "`mfa_enrolment_required`" in documented["description"]
    page = client.get("/ptes/")
    assert page.status_code == HTTPStatus.FOUND
    assert page["Location"] == "/cuenta/mfa/"
    # What it may still do: who am I, its sessions, enrol, log out.
    assert client.get("/api/user/").status_code == HTTPStatus.OK
    assert client.get("/api/sessions/").status_code == HTTPStatus.OK
    assert client.get("/api/mfa/").json()["required_by_role"] is True
    assert client.get("/cuenta/mfa/").status_code == HTTPStatus.OK

    _enrol(client)

    assert client.get("/operaciones/api/ptes/").status_code == HTTPStatus.OK
    assert client.get("/ptes/").status_code == HTTPStatus.OK


def test_a_required_role_cannot_turn_mfa_off(client, jefa, clock):
    _password_step(client, "jefa")
    _enrol(client)

    response = _delete(client, "/api/mfa/totp/", {"password": PASSWORD})

    assert_error(response, HTTPStatus.FORBIDDEN, "mfa_required_by_policy")
    assert DispositivoTotp.objects.get(user=jefa).activo


def test_other_roles_are_not_held_to_enrolment(viewer, required):
    assert viewer.get("/operaciones/api/ptes/").status_code == HTTPStatus.OK


def test_the_gate_reads_no_database(client, jefa, django_assert_max_num_queries, settings):
    _password_step(client, "jefa")
    # The refusal comes from the answer the login cached: only the session itself is read.
    settings.SESSION_REFRESH_INTERVAL = 3600
    with django_assert_max_num_queries(1):
        refused = client.get("/operaciones/api/ptes/")
    assert refused.status_code == HTTPStatus.FORBIDDEN


def test_the_policy_costs_no_query_per_request_once_cached(
    client, json_login, settings, assert_same_queries
):
    from sascop.accounts.tests.factories import UserFactory

    UserFactory(username="consulta").groups.add(Group.objects.get(name="Consulta"))
    json_login("consulta")
    settings.SESSION_REFRESH_INTERVAL = 3600

    def with_policy():
        settings.MFA_REQUIRED_GROUPS = ["Administración"]
        assert client.get("/api/sessions/").status_code == HTTPStatus.OK

    client.get("/api/sessions/")
    with_policy()  # works the answer out once, and caches it
    settings.MFA_REQUIRED_GROUPS = []
    # Then a request costs what it costs without any policy.
    assert_same_queries(lambda: client.get("/api/sessions/"), with_policy)


def test_security_a_session_opened_before_the_policy_is_held_to_enrolment(
    client, json_login, settings, clock
):
    """The role policy is asked on every request: a session opened before the user's role
    came to require two-factor is held at its next request, as a new login would be."""
    from sascop.accounts.tests.factories import UserFactory

    member = UserFactory(username="jefa")
    member.groups.add(Group.objects.get(name="Administración"))
    json_login("jefa")
    assert client.get("/operaciones/api/ptes/").status_code == HTTPStatus.OK

    # The administrators' role comes to require two-factor (a new configuration).
    settings.MFA_REQUIRED_GROUPS = ["Administración"]

    refused = client.get("/operaciones/api/ptes/")
    body = assert_error(refused, HTTPStatus.FORBIDDEN, "mfa_enrolment_required")
    assert body["redirect"] == "/cuenta/mfa/"
    assert client.get("/ptes/")["Location"] == "/cuenta/mfa/"
    assert client.get("/api/user/").status_code == HTTPStatus.OK

    _enrol(client)
    assert client.get("/operaciones/api/ptes/").status_code == HTTPStatus.OK

    # An administrator resets the authenticator: held again at once.
    DispositivoTotp.objects.filter(user=member).delete()
    assert client.get("/operaciones/api/ptes/").status_code == HTTPStatus.FORBIDDEN


def test_security_joining_a_role_that_requires_mfa_holds_the_open_session(
    client, json_login, required, clock
):
    from sascop.accounts.tests.factories import make_user

    member = make_user(username="nueva")
    member.groups.add(Group.objects.get(name="Consulta"))
    json_login("nueva")
    assert client.get("/operaciones/api/ptes/").status_code == HTTPStatus.OK

    member.groups.add(Group.objects.get(name="Administración"))
    assert client.get("/operaciones/api/ptes/").status_code == HTTPStatus.FORBIDDEN

    Group.objects.get(name="Administración").user_set.remove(member)
    assert client.get("/operaciones/api/ptes/").status_code == HTTPStatus.OK


def test_an_administrator_resets_a_lost_authenticator_in_the_admin(client, user, enrolled):
    from sascop.accounts.tests.factories import UserFactory

    UserFactory(username="root", is_staff=True, is_superuser=True)
    admin = Client(enforce_csrf_checks=True)
    admin.post(
        "/api/login/", {"username": "root", "password": PASSWORD}, content_type="application/json"
    )
    device = DispositivoTotp.objects.get(user=user)
    listed = admin.get("/admin/accounts/dispositivototp/")
    assert listed.status_code == HTTPStatus.OK
    assert (
        "gAAAA"
        not in admin.get(f"/admin/accounts/dispositivototp/{device.pk}/change/").content.decode()
    )

    deleted = admin.post(
        f"/admin/accounts/dispositivototp/{device.pk}/delete/",
        {"post": "yes", "csrfmiddlewaretoken": admin.cookies["csrftoken"].value},
    )

    assert deleted.status_code == HTTPStatus.FOUND
    assert not CodigoRecuperacion.objects.filter(user=user).exists()
    assert _password_step(client).json()["message"] == "Login successful"


def test_the_admin_login_cannot_skip_the_second_factor(client, user, enrolled):
    user.is_staff = user.is_superuser = True
    user.save()

    page = client.get("/admin/login/?next=/admin/accounts/")
    client.get("/accounts/login/")
    form = client.post(
        "/admin/login/",
        {
            "username": "ana",
            "password": PASSWORD,
            "csrfmiddlewaretoken": client.cookies["csrftoken"].value,
        },
    )

    assert page.status_code == HTTPStatus.FOUND
    assert page["Location"] == "/accounts/login/?next=/admin/accounts/"
    assert form.status_code == HTTPStatus.FOUND  # no login form there to post to
    assert client.get("/api/user/").status_code == HTTPStatus.UNAUTHORIZED


@pytest.mark.skipif(bool(django_settings.REDIS_URL), reason="Redis ages keys by its own clock")
def test_a_change_no_signal_tells_counts_once_the_cached_answer_ages_out(
    client, json_login, required, clock, settings
):
    from sascop.accounts.tests.factories import UserFactory

    member = UserFactory(username="nueva")
    json_login("nueva")
    # No role yet: not held (and not allowed to read PTEs either).
    assert_error(client.get("/operaciones/api/ptes/"), HTTPStatus.FORBIDDEN, "permission_denied")

    # A membership row written straight into its table sends no signal: the old answer
    # (not held) stands for MFA_POLICY_CACHE_SECONDS at most.
    User.groups.through.objects.create(user=member, group=Group.objects.get(name="Administración"))
    assert client.get("/operaciones/api/ptes/").status_code == HTTPStatus.OK
    clock.shift(settings.MFA_POLICY_CACHE_SECONDS + 1)
    assert_error(
        client.get("/operaciones/api/ptes/"), HTTPStatus.FORBIDDEN, "mfa_enrolment_required"
    )
