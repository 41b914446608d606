"""/cuenta/ (profile, password, sessions, login history, two-factor) and the login's second
step page, as a browser form would use them."""

from __future__ import annotations

import datetime as dt
import re
from http import HTTPStatus

import pyotp
import pytest
from django.test import Client

from sascop.accounts import mfa
from sascop.accounts.models import DispositivoTotp
from sascop.accounts.tests.factories import PASSWORD
from sascop.actividad.models import RegistroActividad

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 11, 23, 16, 0, 0, tzinfo=dt.UTC)
PAGES = [
    "/cuenta/",
    "/cuenta/contrasena/",
    "/cuenta/sesiones/",
    "/cuenta/historial/",
    "/cuenta/mfa/",
    "/cuenta/mfa/desactivar/",
]


@pytest.fixture
def clock(time_machine):
    time_machine.move_to(START, tick=False)
    return time_machine


def _form(c: Client, path: str, data: dict | None = None, **extra):
    return c.post(path, {**(data or {}), "csrfmiddlewaretoken": c.cookies["csrftoken"].value})


def _code(secret: str) -> str:
    return pyotp.TOTP(secret).at(dt.datetime.now(tz=dt.UTC).timestamp())


@pytest.fixture
def ana(client, user, json_login):
    json_login()
    return client


def _enrol_by_pages(c: Client) -> tuple[str, list[str]]:
    started = _form(c, "/cuenta/mfa/configurar/", {"password": PASSWORD})
    assert started.status_code == HTTPStatus.FOUND
    assert started["Location"] == "/cuenta/mfa/configurar/"
    page = c.get("/cuenta/mfa/configurar/").content.decode()
    secret = re.search(r'<code class="clave" id="clave">([A-Z2-7]+)</code>', page).group(1)
    confirmed = _form(c, "/cuenta/mfa/confirmar/", {"code": _code(secret), "password": PASSWORD})
    assert confirmed.status_code == HTTPStatus.OK
    codes = re.findall(
        r"<li><code>([a-z2-9]{5}-[a-z2-9]{5})</code></li>", confirmed.content.decode()
    )
    return secret, codes


@pytest.mark.parametrize("path", PAGES)
def test_account_pages_need_a_login(client, path):
    response = client.get(path)

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"].startswith("/accounts/login/?next=")


@pytest.mark.parametrize("path", [p for p in PAGES if p != "/cuenta/mfa/desactivar/"])
def test_account_pages_render_in_spanish_with_the_shell(ana, path):
    response = ana.get(path)

    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    assert '<html lang="es-MX">' in html
    assert '<a href="/cuenta/">Mi cuenta</a>' in html  # the user menu
    assert 'aria-label="Mi cuenta"' in html
    assert "no-store" in response["Cache-Control"]


def test_profile_shows_who_and_roles(role_client):
    html = role_client("Consulta").get("/cuenta/").content.decode()

    assert "<dt>Roles</dt><dd>Consulta</dd>" in html
    assert "<dt>Verificación en dos pasos</dt><dd>Desactivada</dd>" in html


def test_password_change_page(ana, user, json_login):
    other = Client(enforce_csrf_checks=True)
    json_login(c=other)

    wrong = _form(
        ana,
        "/cuenta/contrasena/",
        {
            "current_password": "equivocada",
            "new_password": "Nueva-Clave-Segura-2026",
            "new_password2": "Nueva-Clave-Segura-2026",
        },
    )
    mismatch = _form(
        ana,
        "/cuenta/contrasena/",
        {
            "current_password": PASSWORD,
            "new_password": "Nueva-Clave-Segura-2026",
            "new_password2": "Otra-Cosa-2026",
        },
    )
    done = _form(
        ana,
        "/cuenta/contrasena/",
        {
            "current_password": PASSWORD,
            "new_password": "Nueva-Clave-Segura-2026",
            "new_password2": "Nueva-Clave-Segura-2026",
        },
    )

    assert wrong.status_code == HTTPStatus.BAD_REQUEST
    assert "La contraseña actual no es correcta." in wrong.content.decode()
    assert mismatch.status_code == HTTPStatus.BAD_REQUEST
    assert "Las dos contraseñas no coinciden." in mismatch.content.decode()
    assert done.status_code == HTTPStatus.FOUND
    assert done["Location"] == "/cuenta/"
    assert "Contraseña cambiada" in ana.get("/cuenta/").content.decode()
    assert other.get("/api/user/").status_code == HTTPStatus.UNAUTHORIZED


def test_sessions_page_ends_one_session_and_all_others(ana, user, json_login):
    phone, tablet = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    json_login(c=phone)
    json_login(c=tablet)
    html = ana.get("/cuenta/sesiones/").content.decode()
    ids = re.findall(r'action="/cuenta/sesiones/([^/]+)/cerrar/"', html)
    assert len(ids) == 3
    assert html.count("Esta sesión</strong>") == 1
    listed = ana.get("/api/sessions/").json()["sessions"]
    other_id = next(s["id"] for s in listed if not s["current"])

    ended = _form(ana, f"/cuenta/sesiones/{other_id}/cerrar/")

    assert ended.status_code == HTTPStatus.FOUND
    assert ended["Location"] == "/cuenta/sesiones/"
    assert len(ana.get("/api/sessions/").json()["sessions"]) == 2
    all_others = _form(ana, "/cuenta/sesiones/cerrar-otras/")
    assert all_others.status_code == HTTPStatus.FOUND
    assert "Se cerró 1 sesión." in ana.get("/cuenta/sesiones/").content.decode()
    assert phone.get("/api/user/").status_code == HTTPStatus.UNAUTHORIZED
    assert tablet.get("/api/user/").status_code == HTTPStatus.UNAUTHORIZED
    assert ana.get("/api/user/").status_code == HTTPStatus.OK


def test_ending_this_session_from_the_page_logs_out(ana):
    current = next(s["id"] for s in ana.get("/api/sessions/").json()["sessions"] if s["current"])

    response = _form(ana, f"/cuenta/sesiones/{current}/cerrar/")

    assert response["Location"] == "/accounts/login/?logout_exitoso=1"
    assert ana.get("/api/user/").status_code == HTTPStatus.UNAUTHORIZED


def test_someone_elses_session_is_404_on_the_page(ana, json_login):
    from sascop.accounts.tests.factories import UserFactory

    UserFactory(username="beto")
    beto = Client(enforce_csrf_checks=True)
    json_login("beto", c=beto)
    beto_id = beto.get("/api/sessions/").json()["sessions"][0]["id"]

    response = _form(ana, f"/cuenta/sesiones/{beto_id}/cerrar/")

    assert response.status_code == HTTPStatus.NOT_FOUND
    assert beto.get("/api/user/").status_code == HTTPStatus.OK


def test_history_page_lists_own_events_only(ana, user, client):
    Client(enforce_csrf_checks=True).post(
        "/api/login/", {"username": "ana", "password": "mala"}, content_type="application/json"
    )
    RegistroActividad.objects.create(accion="login", nombre_usuario="otro")

    html = ana.get("/cuenta/historial/").content.decode()

    assert html.count('<span class="resultado resultado-') == 2
    assert "resultado-failure" in html and "Contraseña incorrecta" in html
    assert "resultado-success" in html


def test_history_page_costs_the_same_queries_for_many_events(ana, user, assert_same_queries):
    RegistroActividad.objects.bulk_create(
        RegistroActividad(usuario=user, accion="login", agente_usuario="curl/8.0") for _ in range(3)
    )
    first = lambda: ana.get("/cuenta/historial/")  # noqa: E731
    first()  # with Redis, the first request also caches the user
    RegistroActividad.objects.bulk_create(
        RegistroActividad(usuario=user, accion="login_fallido", agente_usuario="Mozilla/5.0")
        for _ in range(30)
    )

    assert_same_queries(first, lambda: ana.get("/cuenta/historial/?pagina=2"))


def test_sessions_page_costs_the_same_queries_for_many_sessions(
    ana, json_login, django_assert_max_num_queries, django_assert_num_queries
):
    json_login(c=Client())
    ana.get("/cuenta/sesiones/")  # with Redis, the first request also caches the user
    with django_assert_max_num_queries(20) as two:
        ana.get("/cuenta/sesiones/")
    count = len(two)  # now: the next request empties the connection's query log
    for _ in range(5):
        json_login(c=Client())
    ana.get("/api/user/")

    with django_assert_num_queries(count):
        response = ana.get("/cuenta/sesiones/")
    assert response.content.decode().count('/cerrar/"') == 7


def test_mfa_pages_enrol_show_codes_once_regenerate_and_disable(ana, user, clock):
    assert "Activar la verificación en dos pasos" in ana.get("/cuenta/mfa/").content.decode()
    asks = ana.get("/cuenta/mfa/configurar/")
    assert 'name="password"' in asks.content.decode() and "<svg " not in asks.content.decode()
    started = _form(ana, "/cuenta/mfa/configurar/", {"password": PASSWORD})
    page = ana.get(started["Location"])
    html = page.content.decode()
    assert '<div class="qr" role="img"' in html and "<svg " in html
    assert "no-store" in page["Cache-Control"]
    wrong = _form(ana, "/cuenta/mfa/confirmar/", {"code": "000000", "password": PASSWORD})
    assert wrong.status_code == HTTPStatus.BAD_REQUEST
    assert "El código no coincide" in wrong.content.decode()
    assert "<svg " in wrong.content.decode()  # the QR code is still there to scan

    secret = re.search(r'id="clave">([A-Z2-7]+)<', html).group(1)
    confirmed = _form(ana, "/cuenta/mfa/confirmar/", {"code": _code(secret), "password": PASSWORD})
    codes = re.findall(r"<li><code>([a-z2-9-]{11})</code></li>", confirmed.content.decode())
    assert len(codes) == 10
    assert "no-store" in confirmed["Cache-Control"]
    status = ana.get("/cuenta/mfa/").content.decode()
    assert "Te quedan <strong>10</strong> códigos de recuperación" in status
    assert not any(code in status for code in codes)  # shown once

    renewed = _form(ana, "/cuenta/mfa/codigos/", {"password": PASSWORD})
    new = re.findall(r"<li><code>([a-z2-9-]{11})</code></li>", renewed.content.decode())
    assert len(new) == 10 and not set(new) & set(codes)
    assert "Los códigos anteriores ya no sirven." in renewed.content.decode()

    bad = _form(ana, "/cuenta/mfa/desactivar/", {"password": "mala"})
    assert bad.status_code == HTTPStatus.BAD_REQUEST
    assert "La contraseña actual no es correcta." in bad.content.decode()
    off = _form(ana, "/cuenta/mfa/desactivar/", {"password": PASSWORD})
    assert off["Location"] == "/cuenta/mfa/"
    assert not DispositivoTotp.objects.filter(user=user).exists()


def test_security_mfa_pages_replace_the_second_factor_only_with_the_password(ana, user, clock):
    secret, codes = _enrol_by_pages(ana)
    device = DispositivoTotp.objects.get(user=user)

    # A live session alone (no password, or a wrong one) sets up nothing new...
    for datos in ({}, {"password": "mala"}):
        refused = _form(ana, "/cuenta/mfa/configurar/", datos)
        assert refused.status_code == HTTPStatus.BAD_REQUEST
        assert "<svg " not in refused.content.decode()
    assert DispositivoTotp.objects.get(user=user).secreto_pendiente == ""
    # ...nor renews the recovery codes...
    page = ana.get("/cuenta/mfa/codigos/")
    assert page.status_code == HTTPStatus.OK and 'name="password"' in page.content.decode()
    no_codes = _form(ana, "/cuenta/mfa/codigos/", {"password": "mala"})
    assert no_codes.status_code == HTTPStatus.BAD_REQUEST
    assert "La contraseña actual no es correcta." in no_codes.content.decode()
    assert not re.findall(r"<li><code>", no_codes.content.decode())
    # ...nor confirms a setup someone else started, even with a good code of it.
    _form(ana, "/cuenta/mfa/configurar/", {"password": PASSWORD})
    pendiente = mfa.pending_setup(user)
    assert pendiente is not None
    nuevo = pendiente["secret"]
    clock.shift(31)
    stolen = _form(ana, "/cuenta/mfa/confirmar/", {"code": _code(nuevo)})
    assert stolen.status_code == HTTPStatus.BAD_REQUEST
    wrong = _form(ana, "/cuenta/mfa/confirmar/", {"code": _code(nuevo), "password": "mala"})
    assert wrong.status_code == HTTPStatus.BAD_REQUEST
    assert "La contraseña actual no es correcta." in wrong.content.decode()
    kept = DispositivoTotp.objects.get(user=user)
    assert kept.secreto == device.secreto and kept.confirmado_en == device.confirmado_en
    assert len(codes) == 10 and secret


# --- the login's second step page -----------------------------------------------------------


@pytest.fixture
def enrolled(ana, clock):
    secret, codes = _enrol_by_pages(ana)
    _form(ana, "/accounts/logout/")
    clock.shift(30)
    return secret, codes


def _form_login(c: Client, next_url: str = "/ptes/"):
    c.get("/accounts/login/")
    return _form(c, "/accounts/login/", {"username": "ana", "password": PASSWORD, "next": next_url})


def test_form_login_goes_to_the_code_page_then_to_next(client, enrolled):
    secret, _ = enrolled

    login = _form_login(client)

    assert login.status_code == HTTPStatus.FOUND
    assert login["Location"] == "/accounts/login/codigo/?next=%2Fptes%2F"
    assert client.get("/api/user/").status_code == HTTPStatus.UNAUTHORIZED
    page = client.get(login["Location"])
    html = page.content.decode()
    assert page.status_code == HTTPStatus.OK
    assert 'autocomplete="one-time-code"' in html
    assert '<input type="hidden" name="next" value="/ptes/">' in html
    wrong = _form(client, "/accounts/login/codigo/", {"code": "000000", "next": "/ptes/"})
    assert wrong.status_code == HTTPStatus.UNAUTHORIZED
    assert "El código no es válido o ya se usó." in wrong.content.decode()
    done = _form(client, "/accounts/login/codigo/", {"code": _code(secret), "next": "/ptes/"})
    assert done.status_code == HTTPStatus.FOUND
    assert done["Location"] == "/ptes/"
    assert client.get("/api/user/").status_code == HTTPStatus.OK


def test_code_page_takes_a_recovery_code(client, enrolled):
    _, codes = enrolled
    _form_login(client)

    done = _form(client, "/accounts/login/codigo/", {"code": codes[3], "next": "/"})

    assert done["Location"] == "/"


def test_code_page_refuses_an_unsafe_next(client, enrolled):
    secret, _ = enrolled
    _form_login(client, next_url="https://evil.example/")

    done = _form(
        client, "/accounts/login/codigo/", {"code": _code(secret), "next": "https://evil.example/"}
    )

    assert done["Location"] == "/"


def test_code_page_after_five_minutes_goes_back_to_the_login(client, enrolled, clock):
    secret, _ = enrolled
    _form_login(client)
    clock.shift(dt.timedelta(minutes=6))

    late = _form(client, "/accounts/login/codigo/", {"code": _code(secret), "next": "/ptes/"})

    assert late.status_code == HTTPStatus.FOUND
    assert late["Location"] == "/accounts/login/?next=%2Fptes%2F&codigo_expirado=1"
    assert "Pasaron más de 5 minutos" in client.get(late["Location"]).content.decode()
    assert client.get("/api/user/").status_code == HTTPStatus.UNAUTHORIZED


def test_code_page_without_a_password_step_goes_to_the_login(client):
    response = client.get("/accounts/login/codigo/")

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"].startswith("/accounts/login/?")


def test_code_page_guessing_locks_out_in_spanish(client, enrolled):
    secret, _ = enrolled
    _form_login(client)

    statuses = [
        _form(client, "/accounts/login/codigo/", {"code": f"{n:06d}"}).status_code for n in range(5)
    ]
    locked = _form(client, "/accounts/login/codigo/", {"code": _code(secret)})

    assert statuses == [401, 401, 401, 401, 429]
    assert locked.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert "Demasiados intentos fallidos" in locked.content.decode()


def test_a_required_role_is_sent_to_enrolment_after_a_form_login(client, user, settings):
    from django.contrib.auth.models import Group

    settings.MFA_REQUIRED_GROUPS = ["Consulta"]
    user.groups.add(Group.objects.get(name="Consulta"))

    login = _form_login(client, next_url="/ptes/")
    landing = client.get(login["Location"])

    assert landing.status_code == HTTPStatus.FOUND
    assert landing["Location"] == "/cuenta/mfa/"
    html = client.get("/cuenta/mfa/").content.decode()
    assert "Tu rol exige la verificación en dos pasos" in html
    assert client.get("/cuenta/").status_code == HTTPStatus.FOUND  # nothing else until done


def test_security_account_pages_lockout_says_when_to_retry(ana, user, clock, settings):
    _enrol_by_pages(ana)

    answers = [
        _form(ana, "/cuenta/mfa/codigos/", {"password": f"mala-{n}"})
        for n in range(settings.AXES_FAILURE_LIMIT)
    ]

    assert [a.status_code for a in answers] == [400] * (settings.AXES_FAILURE_LIMIT - 1) + [429]
    assert "Retry-After" not in answers[0]
    assert answers[-1]["Retry-After"] == str(int(settings.AXES_COOLOFF_TIME.total_seconds()))
    assert "Demasiados intentos fallidos" in answers[-1].content.decode()
