"""The shell every page shares: menus by permission, logout, messages, the idle notice."""

from __future__ import annotations

import re
import time
from http import HTTPStatus

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import include, path

from sascop.accounts.tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


# The real URLs (every menu entry's page is built).
urlpatterns = [path("", include("config.urls"))]


# The bar as a user of the Consulta role sees it: every page but the administrators'.
MENU_DE_CONSULTA = [
    "Tablero",
    "PTEs",
    "OTs",
    "Producción",
    "Sitios",
    "Estimaciones",
    "Precios",
    "Consulta",
]


def _menu(html: str) -> list[str]:
    nav = re.search(r'<nav class="menu".*?</nav>', html, re.S)
    assert nav is not None
    return re.findall(r">([^<]+)</a>", nav.group(0))


def test_an_anonymous_visit_goes_to_the_login_page_and_comes_back(client):
    response = client.get("/?x=1")

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == "/accounts/login/?next=%2F%3Fx%3D1"


def test_the_bar_shows_the_pages_that_exist(viewer):
    html = viewer.get("/").content.decode()

    assert _menu(html) == MENU_DE_CONSULTA
    assert '<a href="/" aria-current="page">Tablero</a>' in html
    assert "Administración" not in html  # not staff


def test_one_entry_is_the_current_page_the_longest_address_that_matches(viewer):
    html = viewer.get("/produccion/sitios/").content.decode()

    assert html.count('aria-current="page"') == 1
    assert '<a href="/produccion/sitios/" aria-current="page">Sitios</a>' in html
    assert '<a href="/produccion/">Producción</a>' in html


@pytest.mark.urls(__name__)
def test_catalogs_and_activity_are_for_administrators(role_client):
    consulta = role_client("Consulta").get("/").content.decode()
    administracion = role_client("Administración").get("/").content.decode()

    assert _menu(consulta) == MENU_DE_CONSULTA
    assert _menu(administracion) == [*MENU_DE_CONSULTA, "Catálogos", "Actividad"]
    assert '<a href="/cuenta/">Mi cuenta</a>' in consulta


@pytest.mark.urls(__name__)
def test_a_user_without_a_role_sees_only_the_dashboard(client, user, json_login):
    json_login()

    assert _menu(client.get("/").content.decode()) == ["Tablero"]


def test_staff_get_the_admin_link_and_everyone_a_logout_form_with_csrf(client, json_login):
    UserFactory(username="jefa", is_staff=True, first_name="Rosa", last_name="Pech")
    json_login("jefa", PASSWORD)

    response = client.get("/")
    html = response.content.decode()

    assert "Rosa Pech</summary>" in html
    assert '<a href="/admin/">Administración</a>' in html
    token = re.search(
        r'<form method="post" action="/accounts/logout/">\s*'
        r'<input type="hidden" name="csrfmiddlewaretoken" value="([^"]+)">',
        html,
    )
    assert token is not None
    logout = client.post("/accounts/logout/", {"csrfmiddlewaretoken": token.group(1)})
    assert logout.status_code == HTTPStatus.FOUND
    assert logout["Location"] == "/accounts/login/?logout_exitoso=1"
    assert client.get("/").status_code == HTTPStatus.FOUND


def test_the_page_knows_when_its_session_ends(viewer, settings):
    before = int(time.time())
    html = viewer.get("/").content.decode()

    notice = re.search(
        r'<div id="aviso-sesion"[^>]*data-expira="(\d+)" data-ahora="(\d+)" data-antes="300"'
        r'\s+data-renovar="/api/user/" data-estado="/api/session/">',
        html,
    )
    assert notice is not None
    expira, ahora = int(notice.group(1)), int(notice.group(2))
    assert before <= ahora <= int(time.time())
    assert ahora + settings.SESSION_COOKIE_AGE - 2 <= expira <= ahora + settings.SESSION_COOKIE_AGE
    assert "Seguir conectado</button>" in html


def test_the_login_page_has_no_menu_and_no_notice(client):
    html = client.get("/accounts/login/").content.decode()

    assert 'class="menu"' not in html
    assert "aviso-sesion" not in html


def test_an_error_page_needs_no_user_nor_permissions_for_its_shell(viewer):
    # It may be answering because the database is down; the session's own read is the
    # middleware's, before any page (without Redis it brings the user row along).
    with CaptureQueriesContext(connection) as queries:
        response = viewer.get("/no-existe/")

    reads = [q["sql"] for q in queries if "accounts_sesion" not in q["sql"]]
    assert not [sql for sql in reads if "accounts_user" in sql or "auth_" in sql]
    assert response.status_code == HTTPStatus.NOT_FOUND
    html = response.content.decode()
    assert "Página no encontrada" in html
    assert 'class="menu"' not in html
