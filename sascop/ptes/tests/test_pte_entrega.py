"""A PTE's delivery: never before its request (API, page, any write), and "Marcar como
Entregada" in one click once every step is done."""

from __future__ import annotations

import datetime
import re
from http import HTTPStatus

import pytest

from sascop.catalogos.estatus import EstatusPaso, EstatusPTE
from sascop.catalogos.tests.factories import (
    PasoFactory,
)
from sascop.core.api.etags import etag_for
from sascop.core.errors import InvalidInput
from sascop.core.tests.navegador import csrf_token
from sascop.ptes import services
from sascop.ptes.models import PTE, PTEDetalle
from sascop.ptes.tests.factories import PTEFactory, catalogos_de_pte
from sascop.ptes.tests.test_ptes_api import _body

pytestmark = pytest.mark.django_db
URL = "/operaciones/api/ptes/"
HTMX = {"HTTP_HX_REQUEST": "true"}
ES_MX = {"HTTP_ACCEPT_LANGUAGE": "es-MX"}
HOY = "2026-07-16T10:00:00-06:00"


@pytest.fixture
def catalogos():
    return catalogos_de_pte([{"orden": 1}])


def _json(c, csrf, method, url, body, **headers):
    return getattr(c, method)(url, body, content_type="application/json", **csrf(c), **headers)


# --- delivery not before the request ------------------------------------------------------


def test_the_api_refuses_a_delivery_before_the_request(engineer, csrf, catalogos):
    antes = _body(catalogos, fecha_solicitud="2026-03-15", fecha_entrega="2026-03-14")

    response = _json(engineer, csrf, "post", URL, antes, **ES_MX)

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json()["fields"] == {
        "fecha_entrega": ["No puede ser anterior a fecha_solicitud."]
    }
    assert not PTE.objects.exists()
    mismo_dia = _body(catalogos, fecha_solicitud="2026-03-15", fecha_entrega="2026-03-15")
    assert _json(engineer, csrf, "post", URL, mismo_dia).status_code == HTTPStatus.CREATED


@pytest.mark.parametrize(
    "cambio",
    [{"fecha_entrega": "2026-03-09"}, {"fecha_solicitud": "2026-03-21"}],
)
def test_a_patch_of_one_date_is_checked_against_the_stored_other(engineer, csrf, cambio):
    pte = PTEFactory(fecha_solicitud=datetime.date(2026, 3, 10))
    pte.fecha_entrega = datetime.date(2026, 3, 20)
    pte.save()

    response = _json(
        engineer, csrf, "patch", f"{URL}{pte.pk}/", cambio, HTTP_IF_MATCH=etag_for(pte), **ES_MX
    )

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json()["fields"] == {
        "fecha_entrega": ["La fecha de entrega no puede ser anterior a la fecha de solicitud."]
    }
    pte.refresh_from_db()
    assert (pte.fecha_solicitud, pte.fecha_entrega) == (
        datetime.date(2026, 3, 10),
        datetime.date(2026, 3, 20),
    )


def test_every_service_write_checks_it(engineer):
    pte = PTEFactory(fecha_solicitud=datetime.date(2026, 3, 10))

    with pytest.raises(InvalidInput) as error:
        services.pte_actualizar(
            usuario=pte.creado_por or _usuario(),
            pte_id=pte.pk,
            datos={"fecha_entrega": datetime.date(2026, 3, 1)},
        )

    assert list(error.value.fields or {}) == ["fecha_entrega"]


def _usuario():
    from sascop.accounts.tests.factories import make_user

    return make_user()


def test_the_edit_page_says_it_next_to_the_field(engineer):
    pte = PTEFactory(fecha_solicitud=datetime.date(2026, 3, 10))
    formulario = engineer.get(f"/ptes/{pte.pk}/editar/").content.decode()
    version = re.search(r'name="version" value="([^"]*)"', formulario).group(1)
    datos = {
        "oficio_pte": pte.oficio_pte,
        "descripcion_trabajo": pte.descripcion_trabajo,
        "cliente": pte.cliente_id,
        "tipo": pte.tipo_id,
        "responsable_proyecto": pte.responsable_proyecto_id,
        "fecha_solicitud": "2026-03-10",
        "plazo_dias": pte.plazo_dias,
        "fecha_entrega": "2026-03-09",
        "prioridad": pte.prioridad,
        "estatus": pte.estatus,
        "version": version.replace("&quot;", '"'),
        "csrfmiddlewaretoken": csrf_token(engineer),
    }

    page = engineer.post(f"/ptes/{pte.pk}/editar/", datos).content.decode()

    assert "No puede ser anterior a la fecha de solicitud." in page
    pte.refresh_from_db()
    assert pte.fecha_entrega is None


# --- Marcar como Entregada ------------------------------------------------------------------


def _pte(*estatus, **campos):
    pte = PTEFactory(estatus=EstatusPTE.EN_PROCESO, **campos)
    for valor in estatus:
        PTEDetalle.objects.create(pte=pte, paso=PasoFactory(), estatus=valor)
    return pte


BOTON = "Marcar como Entregada</button>"


def test_offered_once_every_step_is_done(engineer, viewer):
    hecha = _pte(EstatusPaso.COMPLETADO, EstatusPaso.NO_APLICA)
    pendiente = _pte(EstatusPaso.COMPLETADO, EstatusPaso.EN_PROCESO)
    entregada = _pte(EstatusPaso.COMPLETADO)
    entregada.estatus = EstatusPTE.ENTREGADA
    entregada.save()
    sin_pasos = _pte()

    assert BOTON in engineer.get(f"/ptes/{hecha.pk}/").content.decode()
    assert BOTON not in engineer.get(f"/ptes/{pendiente.pk}/").content.decode()
    assert BOTON not in engineer.get(f"/ptes/{entregada.pk}/").content.decode()
    assert BOTON not in engineer.get(f"/ptes/{sin_pasos.pk}/").content.decode()
    assert BOTON not in viewer.get(f"/ptes/{hecha.pk}/").content.decode()  # may not edit


def test_one_click_marks_it_delivered_today(engineer, time_machine):
    time_machine.move_to(HOY, tick=False)
    pte = _pte(EstatusPaso.COMPLETADO, fecha_solicitud=datetime.date(2026, 7, 1))
    page = engineer.get(f"/ptes/{pte.pk}/").content.decode()
    version = re.search(
        r'action="/ptes/\d+/entregar/">.*?name="version" value="([^"]*)"', page
    ).group(1)

    response = engineer.post(
        f"/ptes/{pte.pk}/entregar/",
        {"version": version.replace("&quot;", '"'), "csrfmiddlewaretoken": csrf_token(engineer)},
        follow=True,
    )

    assert response.redirect_chain == [(f"/ptes/{pte.pk}/", HTTPStatus.FOUND)]
    assert f"PTE {pte.oficio_pte} marcada como Entregada." in response.content.decode()
    pte.refresh_from_db()
    assert (pte.estatus, pte.fecha_entrega) == (EstatusPTE.ENTREGADA, datetime.date(2026, 7, 16))
    assert BOTON not in response.content.decode()


def test_a_stale_page_does_not_mark_it(engineer):
    pte = _pte(EstatusPaso.COMPLETADO)
    version = etag_for(pte)
    services.pte_actualizar(usuario=_usuario(), pte_id=pte.pk, datos={"comentario": "otro"})

    response = engineer.post(
        f"/ptes/{pte.pk}/entregar/",
        {"version": version, "csrfmiddlewaretoken": csrf_token(engineer)},
        follow=True,
    )

    assert "Alguien más modificó esta PTE mientras tanto" in response.content.decode()
    pte.refresh_from_db()
    assert pte.estatus == EstatusPTE.EN_PROCESO


def test_only_who_may_edit_the_pte_marks_it(viewer):
    pte = _pte(EstatusPaso.COMPLETADO)

    response = viewer.post(
        f"/ptes/{pte.pk}/entregar/",
        {"version": etag_for(pte), "csrfmiddlewaretoken": csrf_token(viewer)},
    )

    assert response.status_code == HTTPStatus.FORBIDDEN
    pte.refresh_from_db()
    assert pte.estatus == EstatusPTE.EN_PROCESO
    assert viewer.get(f"/ptes/{pte.pk}/entregar/").status_code == HTTPStatus.METHOD_NOT_ALLOWED


def test_saving_the_last_step_offers_it_in_place(engineer):
    pte = _pte(EstatusPaso.COMPLETADO, EstatusPaso.PENDIENTE)
    ultimo = pte.detalles.get(estatus=EstatusPaso.PENDIENTE)

    fila = engineer.post(
        f"/ptes/{pte.pk}/pasos/{ultimo.pk}/",
        {
            "estatus": str(EstatusPaso.COMPLETADO),
            "version": etag_for(ultimo),
            "csrfmiddlewaretoken": csrf_token(engineer),
        },
        **HTMX,
    ).content.decode()

    assert 'id="entregar-pte" class="entregar-pte" hx-swap-oob="true"' in fila
    assert BOTON in fila
    # The button sends the page's form: a form swapped inside a table row loses its fields.
    swapped = fila[fila.index('id="entregar-pte"') :]
    assert "<form" not in swapped and 'form="form-entregar-pte"' in swapped
