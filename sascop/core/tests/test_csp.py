"""Content-Security-Policy and Permissions-Policy: every page, every error page, the admin,
the API docs, and what the API and downloads carry instead."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from http import HTTPStatus
from typing import Any

import pyotp
import pytest
from django.conf import settings
from django.test import Client

from sascop.accounts.tests.factories import PASSWORD, UserFactory
from sascop.core.tests import paginas

pytestmark = pytest.mark.django_db

NONCE = re.compile(r"'nonce-([A-Za-z0-9+/=]{22,})'")
# Any attribute that runs script text: onclick=, onchange=, onsubmit=… and htmx's hx-on.
INLINE_HANDLER = re.compile(r"^(on[a-z]+|hx-on.*|data-hx-on.*)$")
PAGE_POLICY = {
    "default-src": "'self'",
    "script-src": "'self' 'nonce-{nonce}'",
    "style-src": "'self'",
    "img-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'none'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}
# JSON, the schema, workbooks, static files: nothing to run, load or frame.
NOT_A_PAGE_POLICY = {
    "default-src": "'none'",
    "base-uri": "'none'",
    "form-action": "'none'",
    "frame-ancestors": "'none'",
}
# What a page adds to PAGE_POLICY: Swagger UI's stylesheet draws its icons as data: images.
POLICY_ADDITIONS = {"/api/docs/": {"img-src": "'self' data:"}}
OFF_FEATURES = {"camera", "microphone", "geolocation", "payment", "usb", "fullscreen", "serial"}


def _directives(header: str) -> dict[str, str]:
    partes = (p.strip().split(None, 1) for p in header.split(";") if p.strip())
    return {p[0]: p[1] if len(p) > 1 else "" for p in partes}


class _Tags(HTMLParser):
    """Every start tag of a page, with its attributes, and the text inside each <script>."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self._in_script: dict[str, str | None] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag == "script":
            self._in_script = dict(attrs)
            self.scripts.append((self._in_script, ""))

    def handle_data(self, data: str) -> None:
        if self._in_script is not None:
            attrs, text = self.scripts[-1]
            self.scripts[-1] = (attrs, text + data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = None


def _tags(html: str) -> _Tags:
    parser = _Tags()
    parser.feed(html)
    parser.close()
    return parser


def assert_page_policy(response: Any) -> str:
    """The response carries the pages' policy; every script has its nonce, nothing inline.
    Returns the nonce."""
    assert response["Content-Type"].startswith("text/html"), response.request["PATH_INFO"]
    policy = _directives(response["Content-Security-Policy"])
    nonce = NONCE.search(policy.get("script-src", ""))
    assert nonce, response["Content-Security-Policy"]
    expected = {**PAGE_POLICY, **POLICY_ADDITIONS.get(response.request["PATH_INFO"], {})}
    assert policy == {k: v.format(nonce=nonce[1]) for k, v in expected.items()}
    html = response.content.decode()
    page = _tags(html)
    assert page.scripts, "a page without scripts would not show the nonce is used"
    for attrs, _ in page.scripts:
        # Data blocks (json_script: a chart's numbers) never run; every script that runs has
        # the nonce, including those loaded from this origin.
        if attrs.get("type") != "application/json":
            assert attrs.get("nonce") == nonce[1], attrs
    handlers = [(t, a) for t, attrs in page.tags for a in attrs if INLINE_HANDLER.match(a)]
    assert handlers == []
    # The same, by the regex a reviewer would grep with (it also sees attributes that a
    # parser would drop, e.g. in a malformed tag).
    assert re.findall(r"<[^>]*\son[a-z]+\s*=", html, flags=re.IGNORECASE) == []
    # Styles only from stylesheets: no <style> block, no style attribute.
    assert [t for t, _ in page.tags if t == "style"] == []
    assert [t for t, attrs in page.tags if "style" in attrs] == []
    assert "javascript:" not in html.lower()
    assert_permissions_policy(response)
    return nonce[1]


def assert_permissions_policy(response: Any) -> None:
    features = dict(
        item.strip().split("=", 1) for item in response["Permissions-Policy"].split(",")
    )
    assert {f: features.get(f) for f in OFF_FEATURES} == dict.fromkeys(OFF_FEATURES, "()")


def assert_not_a_page_policy(response: Any) -> None:
    assert _directives(response["Content-Security-Policy"]) == NOT_A_PAGE_POLICY
    assert "nonce" not in response["Content-Security-Policy"]
    assert_permissions_policy(response)


def _form(c: Client, path: str, data: dict[str, str]) -> Any:
    return c.post(path, {**data, "csrfmiddlewaretoken": c.cookies["csrftoken"].value})


@pytest.fixture
def superuser_client(json_login) -> Iterator[tuple[Client, Any]]:
    usuario = UserFactory(username="raiz", is_staff=True, is_superuser=True)
    c = Client(enforce_csrf_checks=True)
    json_login("raiz", PASSWORD, c=c)
    yield c, usuario


def test_every_page_carries_the_policy_with_its_own_nonce_on_every_script(superuser_client):
    """Every route outside the API, read from the URLconf (one object of each kind for
    those with arguments), with two-factor login off, then on."""
    c, usuario = superuser_client
    urls = paginas.paginas(paginas.objetos_de_prueba(usuario))
    answers = {
        url: c.get(url)
        for nombre, lista in urls.items()
        if nombre not in paginas.CON_MFA
        for url in lista
    }
    # Turning two-factor on through the pages: the QR code page, the recovery codes page.
    assert _form(c, "/cuenta/mfa/configurar/", {"password": PASSWORD}).status_code == 302
    answers["/cuenta/mfa/configurar/ (QR)"] = qr = c.get("/cuenta/mfa/configurar/")
    secret = re.search(r'id="clave">([A-Z2-7]+)<', qr.content.decode())
    assert secret, "the setup page shows the key"
    code = pyotp.TOTP(secret[1]).now()
    confirmed = _form(c, "/cuenta/mfa/confirmar/", {"code": code, "password": PASSWORD})
    answers["/cuenta/mfa/confirmar/ (POST)"] = confirmed
    recovery = re.findall(r"<code>([a-z2-9]{5}-[a-z2-9]{5})</code>", confirmed.content.decode())
    assert recovery
    for nombre in paginas.CON_MFA - {"accounts:login-codigo"}:
        answers |= {url: c.get(url) for url in urls[nombre]}
    # And the code page of a login by form.
    otro = Client(enforce_csrf_checks=True)
    otro.get("/accounts/login/")
    login = _form(otro, "/accounts/login/", {"username": "raiz", "password": PASSWORD})
    assert login["Location"].startswith(urls["accounts:login-codigo"][0])
    answers[login["Location"]] = otro.get(login["Location"])
    done = _form(otro, "/accounts/login/codigo/", {"code": recovery[0], "next": "/"})
    assert done.status_code == HTTPStatus.FOUND

    assert {u: a.status_code for u, a in answers.items() if a.status_code != HTTPStatus.OK} == {}
    nonces = [assert_page_policy(response) for response in answers.values()]
    assert len(set(nonces)) == len(nonces)
    # Every route outside the API is visited, or is a download or a form's action.
    assert set(urls) | set(paginas.NOT_PAGES) | paginas.POST_ONLY == {
        r.nombre for r in paginas.rutas()
    }
    assert {"/", "/api/docs/", "/accounts/login/", "/cuenta/mfa/desactivar/"} <= set(answers)


def test_the_same_page_twice_has_two_nonces(superuser_client):
    c, _ = superuser_client
    assert assert_page_policy(c.get("/ptes/")) != assert_page_policy(c.get("/ptes/"))


def test_routes_that_are_not_pages_say_so(superuser_client):
    """The lists of non-pages in `paginas` stay true: a route that becomes a page fails here
    until the page tests visit it."""
    c, usuario = superuser_client
    urls = paginas.urls(paginas.objetos_de_prueba(usuario))
    for nombre in paginas.POST_ONLY:
        for url in urls[nombre]:
            response = c.get(url)
            assert response.status_code == HTTPStatus.METHOD_NOT_ALLOWED, (nombre, url)
    for nombre, content_type in paginas.NOT_PAGES.items():
        for url in urls[nombre]:
            response = c.get(url)
            assert response.status_code == HTTPStatus.OK, (nombre, url)
            assert response["Content-Type"].startswith(content_type), nombre
            assert_not_a_page_policy(response)


def test_pages_for_anonymous_visitors_and_error_pages_carry_the_policy(client, user):
    assert_page_policy(client.get("/accounts/login/"))
    assert_page_policy(client.get("/accounts/login/", {"session_expired": "1"}))
    missing = client.get("/no-existe/", HTTP_ACCEPT="text/html")
    assert missing.status_code == HTTPStatus.NOT_FOUND
    assert_page_policy(missing)
    # A browser's form without its CSRF token: the 403 page.
    client.get("/accounts/login/")
    refused = client.post(
        "/accounts/logout/", HTTP_ACCEPT="text/html", HTTP_SEC_FETCH_SITE="same-origin"
    )
    assert refused.status_code == HTTPStatus.FORBIDDEN
    assert_page_policy(refused)


@pytest.mark.urls("sascop.core.tests.urls")
def test_the_server_error_page_carries_the_policy(db):
    c = Client(enforce_csrf_checks=True, raise_request_exception=False)
    response = c.get("/plain-boom/", HTTP_ACCEPT="text/html")
    assert response.status_code == HTTPStatus.INTERNAL_SERVER_ERROR
    assert_page_policy(response)


def test_admin_pages_carry_the_policy_and_run_no_inline_script(superuser_client):
    """The admin's templates are Django's: their scripts are files from this origin, which
    'self' allows, and the only inline ones are JSON data, which never runs."""
    c, usuario = superuser_client
    for url in ("/admin/", "/admin/ptes/pte/", f"/admin/accounts/user/{usuario.pk}/change/"):
        response = c.get(url)
        assert response.status_code == HTTPStatus.OK, url
        policy = _directives(response["Content-Security-Policy"])
        # No template of the admin's asks for the nonce: then the header names none.
        assert policy == {**PAGE_POLICY, "script-src": "'self'"}
        page = _tags(response.content.decode())
        for attrs, text in page.scripts:
            src = attrs.get("src") or ""
            assert (src.startswith("/") and not src.startswith("//")) or (
                attrs.get("type") == "application/json" and not src
            ), attrs
            assert attrs.get("type") == "application/json" or not text.strip(), attrs
        assert [a for _, attrs in page.tags for a in attrs if INLINE_HANDLER.match(a)] == []
        assert_permissions_policy(response)


def test_api_docs_start_up_script_is_a_file_not_inline(client):
    page = client.get("/api/docs/")
    assert_page_policy(page)
    sources = [a["src"] for a, text in _tags(page.content.decode()).scripts if not text.strip()]
    assert "/api/docs/?script=" in sources
    script = client.get("/api/docs/?script=")
    assert script.status_code == HTTPStatus.OK
    assert script["Content-Type"].startswith("application/javascript")
    assert b"SwaggerUIBundle(" in script.content


def test_api_answers_carry_a_policy_that_allows_nothing(client, engineer):
    """JSON (errors included), the schema, exports and static files are never documents
    that run or load anything: `default-src 'none'`, not framed, no nonce."""
    assert_not_a_page_policy(client.get("/api/user/"))  # 401
    client = engineer
    answers = [
        client.get("/api/user/"),
        client.get("/api/session/"),
        client.get("/operaciones/api/ptes/"),
        client.get("/operaciones/api/ptes/", {"formato": "xlsx"}),
        client.get("/api/schema/"),
        client.get("/no-existe/", HTTP_ACCEPT="application/json"),
        client.post("/api/logout/", content_type="application/json"),  # 403, no CSRF token
    ]
    assert [a.status_code for a in answers] == [200, 200, 200, 200, 200, 404, 403]
    for answer in answers:
        assert not answer["Content-Type"].startswith("text/html"), answer["Content-Type"]
        assert_not_a_page_policy(answer)
    static = client.get("/static/core/sascop.js")
    assert_not_a_page_policy(static)


def test_permissions_policy_turns_off_every_feature_the_app_does_not_use(client, settings):
    response = client.get("/accounts/login/")
    header = response["Permissions-Policy"]
    assert header == ", ".join(f"{f}=()" for f in settings.PERMISSIONS_POLICY)
    assert set(settings.PERMISSIONS_POLICY) >= OFF_FEATURES


def test_htmx_runs_without_eval_script_tags_or_injected_styles(client):
    """htmx's defaults need what the policy refuses (eval for hx-on, trigger filters and
    hx-vars; an inline <style> for its indicators): the pages turn them off, and no
    template uses them."""
    page = _tags(client.get("/accounts/login/").content.decode())
    config = [a["content"] for t, a in page.tags if t == "meta" and a.get("name") == "htmx-config"]
    assert len(config) == 1 and config[0] is not None
    assert json.loads(config[0]) == {
        "includeIndicatorStyles": False,
        "allowEval": False,
        "allowScriptTags": False,
    }
    css = (settings.BASE_DIR / "sascop/core/static/core/sascop.css").read_text()
    assert ".htmx-request .htmx-indicator" in css
    templates = [p.read_text() for p in settings.BASE_DIR.glob("sascop/**/templates/**/*.html")]
    assert len(templates) > 40
    for text in templates:
        assert not re.search(r"\shx-(on|vars)\b|hx-vals=['\"]js:|hx-trigger=\"[^\"]*\[", text)
