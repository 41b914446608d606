"""Account security in a real browser: the login's code step, /cuenta/ (profile, password,
sessions, login history, two-factor enrolment with its QR code and recovery codes), every
page at phone and desktop width without sideways scroll or serious accessibility faults."""

from __future__ import annotations

import time
from http import HTTPStatus

import pyotp
import pytest
from playwright.sync_api import Browser, Page, expect

from sascop.accounts.models import User
from sascop.accounts.tests.factories import PASSWORD, enrol_totp, make_user
from tests.browser.conftest import DESKTOP, PHONE, page_wide_scroll

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _usuario(username: str = "ana") -> User:
    return make_user(username=username, first_name="Ana", last_name="Pech")


def _code(secret: str, offset_steps: int = 0) -> str:
    return pyotp.TOTP(secret).at(time.time() + offset_steps * 30)


def _checks(page: Page, axe, url: str) -> None:
    for width in (PHONE, DESKTOP):
        page.set_viewport_size(width)
        assert page_wide_scroll(page) == 0, f"{url} scrolls sideways at {width['width']} px"
        assert axe(page) == [], url


def test_the_login_asks_for_the_code_on_a_second_page(page: Page, screenshot, console_errors, axe):
    user = _usuario()
    secret, _ = enrol_totp(user)

    page.goto("/cuenta/sesiones/")  # anonymous: to the login, and back here afterwards
    page.get_by_label("Usuario o correo electrónico").fill("ana")
    page.get_by_label("Contraseña").fill(PASSWORD)
    page.get_by_role("button", name="Iniciar sesión").click()

    page.wait_for_url("**/accounts/login/codigo/**")
    expect(page.get_by_role("heading", name="Verificación en dos pasos")).to_be_visible()
    _checks(page, axe, "/accounts/login/codigo/")
    page.get_by_label("Código de verificación").fill("000000")
    page.get_by_role("button", name="Verificar").click()
    expect(page.get_by_role("alert")).to_contain_text("El código no es válido o ya se usó.")
    _checks(page, axe, "/accounts/login/codigo/ (error)")
    screenshot(page, "login-codigo")
    # The next step's code: the one confirmed above is spent, and may be the current one.
    page.get_by_label("Código de verificación").fill(_code(secret, +1))
    page.get_by_role("button", name="Verificar").click()

    page.wait_for_url("**/cuenta/sesiones/")
    expect(page.get_by_role("heading", name="Dónde tienes sesión abierta")).to_be_visible()
    # The wrong code's page answered 401 on purpose (a failed login never answers 200).
    assert [e for e in console_errors if "status of 401" not in e] == []
    assert len(console_errors) == 1


def test_account_pages_enrol_two_factor_and_end_other_sessions(
    page: Page, browser: Browser, browser_login, screenshot, console_errors, axe, base_url
):
    _usuario()
    phone = browser.new_context(base_url=base_url, viewport=PHONE, locale="es-MX")
    other = phone.new_page()
    other.goto("/accounts/login/")
    other.get_by_label("Usuario o correo electrónico").fill("ana")
    other.get_by_label("Contraseña").fill(PASSWORD)
    other.get_by_role("button", name="Iniciar sesión").click()
    other.wait_for_url(lambda url: "/accounts/login/" not in url)
    browser_login("ana", PASSWORD)

    # The user menu leads to the profile.
    page.goto("/")
    page.locator(".menu-usuario summary").click()
    page.get_by_role("link", name="Mi cuenta").click()
    page.wait_for_url("**/cuenta/")
    expect(page.get_by_role("heading", name="Perfil")).to_be_visible()
    for nombre, url in {
        "cuenta": "/cuenta/",
        "cuenta-contrasena": "/cuenta/contrasena/",
        "cuenta-historial": "/cuenta/historial/",
        "cuenta-sesiones": "/cuenta/sesiones/",
    }.items():
        response = page.goto(url)
        assert response is not None and response.status == HTTPStatus.OK, url
        _checks(page, axe, url)
        screenshot(page, nombre)

    # Sessions: two, this one marked; end all the others.
    rows = page.locator("tbody tr")
    expect(rows).to_have_count(2)
    expect(page.get_by_text("Esta sesión", exact=True)).to_have_count(1)
    page.get_by_role("button", name="Cerrar todas las demás sesiones").click()
    expect(page.get_by_role("status")).to_contain_text("Se cerró 1 sesión.")
    expect(rows).to_have_count(1)
    other.goto("/cuenta/")
    assert "/accounts/login/" in other.url
    phone.close()

    # Two-factor: set it up with the QR code's secret, see the recovery codes once.
    page.goto("/cuenta/mfa/")
    _checks(page, axe, "/cuenta/mfa/")
    page.get_by_role("link", name="Activar la verificación en dos pasos").click()
    page.wait_for_url("**/cuenta/mfa/configurar/")
    _checks(page, axe, "/cuenta/mfa/configurar/ (password)")
    page.get_by_label("Contraseña actual").fill(PASSWORD)
    page.get_by_role("button", name="Continuar").click()
    qr = page.get_by_role("img", name="Código QR con la clave de tu cuenta")
    expect(qr).to_be_visible()
    box = qr.locator("svg").bounding_box()
    assert box is not None and box["width"] >= 150  # big enough to scan from a screen
    _checks(page, axe, "/cuenta/mfa/configurar/")
    screenshot(page, "cuenta-mfa-configurar")
    secret = page.locator("#clave").inner_text()
    page.get_by_label("Código de verificación").fill(_code(secret))
    page.get_by_label("Contraseña actual").fill(PASSWORD)
    page.get_by_role("button", name="Confirmar y activar").click()
    codes = page.get_by_role("list", name="Códigos de recuperación").locator("li")
    expect(codes).to_have_count(10)
    _checks(page, axe, "/cuenta/mfa/confirmar/")
    screenshot(page, "cuenta-mfa-codigos")
    first_codes = codes.all_inner_texts()
    page.get_by_role("link", name="Ya los guardé").click()
    expect(page.get_by_text("Te quedan 10 códigos de recuperación.")).to_be_visible()
    screenshot(page, "cuenta-mfa")

    page.get_by_role("link", name="Generar nuevos códigos de recuperación").click()
    page.get_by_label("Contraseña actual").fill(PASSWORD)
    page.get_by_role("button", name="Generar nuevos códigos").click()
    expect(codes).to_have_count(10)
    assert not set(codes.all_inner_texts()) & set(first_codes)
    page.goto("/cuenta/mfa/desactivar/")
    _checks(page, axe, "/cuenta/mfa/desactivar/")
    page.get_by_label("Contraseña actual").fill(PASSWORD)
    page.get_by_role("button", name="Sí, desactivar").click()
    expect(page.get_by_role("status")).to_contain_text("Verificación en dos pasos desactivada.")
    assert console_errors == []
