"""SascopClient against a live server: sessions, CSRF, errors, retries, resources."""

from __future__ import annotations

import datetime

import pytest
import requests
from django.contrib.auth.models import Group
from sascop_client import (
    AuthenticationRequired,
    Conflict,
    CSRFFailed,
    InvalidCredentials,
    NotFound,
    PermissionDenied,
    PreconditionFailed,
    RateLimited,
    SascopAPIClient,
    SascopClient,
    ServerError,
    ServiceUnavailable,
    SessionExpired,
    ValidationError,
)

from sascop.accounts.tests.factories import PASSWORD, UserFactory, enrol_totp
from sascop.catalogos.tests.factories import (
    ClienteFactory,
    ResponsableFactory,
    TipoPTEFactory,
)
from sascop.ots.tests.factories import OTFactory
from sascop.precios.tests.factories import linea_de
from sascop.ptes.tests.factories import PTEFactory
from tests.server import gunicorn

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


class CountingSession(requests.Session):
    def __init__(self) -> None:
        super().__init__()
        self.sent: list[str] = []

    def request(self, method, url, *args, **kwargs):
        self.sent.append(f"{method} {url}")
        return super().request(method, url, *args, **kwargs)


@pytest.fixture
def engineer_user(transactional_db):
    member = UserFactory(username="ingeniera", email="ing@sascop.mx")
    member.groups.add(Group.objects.get(name="Ingeniería"))
    return member


@pytest.fixture
def api(live_server, engineer_user) -> SascopClient:
    client = SascopClient(live_server.url, backoff=0)
    client.login("ingeniera", PASSWORD)
    return client


def test_login_session_whoami_logout(live_server, engineer_user):
    client = SascopClient(live_server.url)

    answer = client.login("ing@sascop.mx", PASSWORD)

    assert answer["message"] == "Login successful"
    assert client.whoami()["username"] == "ingeniera"
    status = client.session()
    assert status["authenticated"] is True and status["expires_at"]
    client.logout()
    with pytest.raises(AuthenticationRequired):
        client.whoami()


def test_two_factor_login_with_a_code(live_server, engineer_user):
    _, codes = enrol_totp(engineer_user)
    client = SascopClient(live_server.url, relogin=True)

    assert client.login("ingeniera", PASSWORD) == {"mfa_required": True, "message": "MFA required"}
    with pytest.raises(AuthenticationRequired):
        client.whoami()
    with pytest.raises(InvalidCredentials):
        client.login_code("000000")
    assert client.login_code(codes[0])["message"] == "Login successful"
    assert client.whoami()["username"] == "ingeniera"
    client.logout()


def test_csrf_and_referer_are_added_to_unsafe_requests(api):
    sent = []
    api.http.hooks["response"].append(lambda r, *a, **k: sent.append(r.request.headers))

    api.post(
        "/api/password/change/",
        {"current_password": PASSWORD, "new_password": "Otra-Clave-Segura-99"},
    )

    assert sent[-1]["X-CSRFToken"] == api.http.cookies["csrftoken"]
    assert sent[-1]["Referer"] == api.base_url + "/"


def test_each_error_type_from_real_answers(live_server, api, engineer_user):
    anonymous = SascopClient(live_server.url)
    with pytest.raises(AuthenticationRequired) as not_logged:
        anonymous.whoami()
    assert not_logged.value.status == 401 and not_logged.value.code == "not_authenticated"

    with pytest.raises(InvalidCredentials):
        anonymous.login("ingeniera", "equivocada")

    with pytest.raises(ValidationError) as invalid:
        api.ptes.create()
    assert "oficio_pte" in invalid.value.fields

    with pytest.raises(NotFound):
        api.ptes.get(987654)

    forged = SascopClient(live_server.url)
    forged.login("ingeniera", PASSWORD)
    for cookie in list(forged.http.cookies):  # a token with no matching cookie
        if cookie.name == "csrftoken":
            forged.http.cookies.clear(cookie.domain, cookie.path, cookie.name)
    with pytest.raises(CSRFFailed):
        forged.post("/api/logout/")

    UserFactory(username="sinrol")
    nobody = SascopClient(live_server.url)
    nobody.login("sinrol", PASSWORD)
    with pytest.raises(PermissionDenied) as denied:
        nobody.estadisticas()
    assert denied.value.status == 403

    ot = OTFactory()
    row = {
        "ot": ot.pk,
        "partida_anexo": linea_de(ot).pk,
        "fecha_produccion": "2026-08-01",
        "volumen_produccion": "3.5",
    }
    UserFactory(username="captura").groups.add(Group.objects.get(name="Captura de producción"))
    capture = SascopClient(live_server.url)
    capture.login("captura", PASSWORD)
    capture.produccion.create(**row)
    with pytest.raises(Conflict):
        capture.produccion.create(**row)

    locked = SascopClient(live_server.url)
    for _ in range(4):
        with pytest.raises(InvalidCredentials):
            locked.login("ingeniera", "mala")
    with pytest.raises(RateLimited) as limited:
        locked.login("ingeniera", "mala")
    assert limited.value.retry_after == 900


def test_session_expired_and_opt_in_relogin(live_server, engineer_user, time_machine):
    time_machine.move_to("2026-05-04T08:00:00Z", tick=True)
    plain = SascopClient(live_server.url)
    plain.login("ingeniera", PASSWORD)
    renewing = SascopClient(live_server.url, relogin=True)
    renewing.login("ingeniera", PASSWORD)

    time_machine.shift(7201)  # past the idle timeout

    with pytest.raises(SessionExpired):
        plain.whoami()
    assert renewing.whoami()["username"] == "ingeniera"  # logged in again, once


def test_relogin_is_attempted_only_once(live_server, engineer_user, time_machine):
    time_machine.move_to("2026-05-04T08:00:00Z", tick=True)
    renewing = SascopClient(live_server.url, relogin=True)
    renewing.login("ingeniera", PASSWORD)
    time_machine.shift(7201)
    engineer_user.set_password("Cambiada-Por-Admin-1")
    engineer_user.save()

    with pytest.raises(InvalidCredentials):
        renewing.whoami()


def test_list_iterates_every_page_lazily(live_server, engineer_user):
    PTEFactory.create_batch(230)
    counting = CountingSession()
    client = SascopClient(live_server.url, session=counting)
    client.login("ingeniera", PASSWORD)

    items = client.ptes.list()
    first = next(items)
    assert len(counting.sent) == 2  # login + the first page only
    rest = list(items)

    assert len(rest) + 1 == 230
    assert len({first["id"], *(p["id"] for p in rest)}) == 230
    assert len(counting.sent) == 4  # pages of 100, 100, 30


def test_filters_pass_through(api):
    PTEFactory(descripcion_trabajo="Cambio de ánodos en Akal")
    PTEFactory.create_batch(3)

    assert [p["descripcion_trabajo"] for p in api.ptes.list(buscar="ánodos")] == [
        "Cambio de ánodos en Akal"
    ]


def test_update_with_stale_etag_raises_precondition_failed(api):
    pte = api.ptes.create(
        oficio_pte="PTE-CLI-1",
        descripcion_trabajo="Desde el cliente",
        fecha_solicitud=datetime.date(2026, 3, 1).isoformat(),
        plazo_dias=10,
        responsable_proyecto=ResponsableFactory().pk,
        cliente=ClienteFactory().pk,
        tipo=TipoPTEFactory().pk,
    )
    fresh = api.ptes.get(pte["id"])
    updated = api.ptes.update(pte["id"], etag=fresh.etag, comentario="primera")

    assert updated["comentario"] == "primera" and updated.etag != fresh.etag
    with pytest.raises(PreconditionFailed):
        api.ptes.update(pte["id"], etag=fresh.etag, comentario="pisaría la primera")
    api.ptes.delete(pte["id"], etag=updated.etag)
    with pytest.raises(NotFound):
        api.ptes.get(pte["id"])


def test_bulk_production_and_statistics(api):
    from django.contrib.auth.models import Permission

    engineer = api.whoami()
    assert engineer["username"] == "ingeniera"
    user = UserFactory._meta.model.objects.get(username="ingeniera")
    user.user_permissions.add(Permission.objects.get(codename="add_produccion"))
    ot = OTFactory()
    linea = linea_de(ot)
    rows = [
        {
            "ot": ot.pk,
            "partida_anexo": linea.pk,
            "fecha_produccion": f"2026-08-0{d}",
            "volumen_produccion": "1.5",
        }
        for d in range(1, 4)
    ]

    result = api.produccion.create_many(rows)

    assert result["creadas"] == 3
    assert api.estadisticas()["total_produccion"] == 3


@pytest.mark.urls("sascop.core.tests.urls")
def test_server_error(api):
    with pytest.raises(ServerError) as error:
        api.get("/api/test/boom/")
    assert error.value.code == "server_error" and error.value.status == 500


def test_idempotent_requests_retry_on_503_but_post_does_not(tmp_path):
    env = {"DATABASE_URL": "sqlite:////nonexistent-dir/db.sqlite3", "REDIS_URL": ""}
    with gunicorn(env) as url:
        counting = CountingSession()
        client = SascopClient(url, retries=2, backoff=0, session=counting)

        with pytest.raises(ServiceUnavailable):
            client.get("/healthz")
        gets = len(counting.sent)
        with pytest.raises(ServiceUnavailable):
            client.post("/api/login/", {"username": "a", "password": "b"})

    assert gets == 3
    assert len(counting.sent) - gets == 1


def test_connection_errors_are_retried_for_reads_only():
    counting = CountingSession()
    client = SascopClient("http://127.0.0.1:9", retries=2, backoff=0, session=counting)

    with pytest.raises(requests.ConnectionError):
        client.get("/api/user/")
    with pytest.raises(requests.ConnectionError):
        client.post("/api/logout/")

    assert len(counting.sent) == 3 + 1


def test_compatibility_client_documented_flow(live_server, engineer_user):
    legacy = SascopAPIClient(live_server.url)

    assert legacy.login("ingeniera", PASSWORD) is True
    assert legacy.get("/api/user/").json()["username"] == "ingeniera"
    response = legacy.post(
        "/api/password/change/",
        {"current_password": PASSWORD, "new_password": "Clave-Nueva-Del-Legado-7"},
    )
    assert response.status_code == 200
    assert SascopAPIClient(live_server.url).login("ingeniera", "mala") is False


def test_every_request_asks_for_json(live_server, engineer_user):
    # A session of the caller's own (requests' default Accept is */*) must not change that.
    client = SascopClient(live_server.url, session=requests.Session())
    legacy = SascopAPIClient(live_server.url)

    with pytest.raises(NotFound) as missing:
        client.get("/nope/")
    legacy_missing = legacy.get("/nope/")

    envelope = {
        "error": "Not found",
        "code": "not_found",
        "detail": "The requested resource was not found.",
    }
    assert missing.value.body == envelope
    assert legacy_missing.status_code == 404
    assert legacy_missing.json() == envelope
