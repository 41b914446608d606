"""Saved searches: a user names the search shown (its query string), sees theirs, opens one
by its link and deletes it; nobody reads or deletes anyone else's (404). The API and the
page, with the CSRF check on."""

from __future__ import annotations

import re
from http import HTTPStatus
from unittest.mock import ANY

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from conftest import PASSWORD
from sascop.accounts.tests.factories import UserFactory
from sascop.consulta.models import BusquedaGuardada

API = "/operaciones/api/consulta/guardadas/"
pytestmark = pytest.mark.django_db


@pytest.fixture
def lector(db, json_login):
    """A user of the read-only role, and their logged-in client (CSRF enforced)."""

    def hacer(nombre: str) -> tuple[object, Client]:
        usuario = UserFactory(username=nombre, email=f"{nombre}@sascop.mx")
        usuario.groups.add(Group.objects.get(name="Consulta"))
        c = Client(enforce_csrf_checks=True)
        json_login(nombre, PASSWORD, c=c)
        return usuario, c

    return hacer


def _token(c: Client) -> dict[str, str]:
    return {"X-CSRFToken": c.cookies["csrftoken"].value}


def _guardar(c: Client, nombre: str, parametros: str):
    return c.post(
        API,
        {"nombre": nombre, "parametros": parametros},
        content_type="application/json",
        headers=_token(c),
    )


def test_a_user_saves_lists_opens_and_deletes_their_search(lector, datos):
    ana, c = lector("lucia")

    # A whole link is read too: its page and export parameters are left out.
    response = _guardar(
        c,
        "  Compresión   PEMEX ",
        f"http://testserver/consulta/?pagina=2&q=compresion&formato=xlsx&cliente={datos['pemex'].pk}"
        "&tipo=",
    )

    assert response.status_code == HTTPStatus.CREATED
    guardada = BusquedaGuardada.objects.get()
    cuerpo = {
        "id": guardada.pk,
        "nombre": "Compresión PEMEX",
        "parametros": f"q=compresion&cliente={datos['pemex'].pk}",
        "url": f"/consulta/?q=compresion&cliente={datos['pemex'].pk}",
        "creada": ANY,
        "actualizada": ANY,
    }
    assert response.json() == cuerpo
    assert guardada.usuario == ana
    assert c.get(API).json() == [cuerpo]
    assert c.get(f"{API}{guardada.pk}/").json() == cuerpo
    assert c.get(f"{API}{guardada.pk}/")["Cache-Control"] == "no-store"

    # Its link is the search.
    pagina = c.get(cuerpo["url"])
    assert pagina.status_code == HTTPStatus.OK
    assert re.findall(r'<li><a href="[^"]+">([^<]+)</a><p class="extracto">', pagina.text) == [
        "PEP-SUB-0815",
        "OT-2026-015",
        "OT-2026-015 · " + datos["concepto"].anexo.clave + " 4.7.3",
    ]

    assert c.delete(f"{API}{guardada.pk}/", headers=_token(c)).status_code == HTTPStatus.NO_CONTENT
    assert c.get(API).json() == []
    assert c.get(f"{API}{guardada.pk}/").status_code == HTTPStatus.NOT_FOUND


def test_the_same_name_again_replaces_the_search(lector, db):
    _ana, c = lector("lucia")
    primera = _guardar(c, "Ductos", "q=ducto")

    segunda = _guardar(c, "Ductos", "q=ducto&tipo=ot")

    assert (primera.status_code, segunda.status_code) == (HTTPStatus.CREATED, HTTPStatus.OK)
    assert segunda.json()["id"] == primera.json()["id"]
    assert [b["parametros"] for b in c.get(API).json()] == ["q=ducto&tipo=ot"]


def test_nobody_sees_or_deletes_anyone_elses_search(lector, db):
    _lucia, de_ana = lector("lucia")
    _beto, de_beto = lector("beto")
    suya = _guardar(de_ana, "Mía", "q=ducto").json()
    _guardar(de_beto, "Mía", "q=riser")  # the same name is each user's own

    assert [b["parametros"] for b in de_beto.get(API).json()] == ["q=riser"]
    assert de_beto.get(f"{API}{suya['id']}/").status_code == HTTPStatus.NOT_FOUND
    respuesta = de_beto.delete(f"{API}{suya['id']}/", headers=_token(de_beto))
    assert respuesta.status_code == HTTPStatus.NOT_FOUND
    assert respuesta.json()["code"] == "not_found"
    assert de_ana.get(f"{API}{suya['id']}/").status_code == HTTPStatus.OK

    # Nor through the page.
    pagina = de_beto.post(f"/consulta/guardadas/{suya['id']}/eliminar/", headers=_token(de_beto))
    assert pagina.status_code == HTTPStatus.NOT_FOUND
    assert BusquedaGuardada.objects.filter(pk=suya["id"]).exists()
    assert "Mía" in de_ana.get("/consulta/").text
    assert "/consulta/?q=ducto" not in de_beto.get("/consulta/").text


def test_a_search_without_words_or_with_a_bad_filter_is_refused(lector, db):
    _ana, c = lector("lucia")

    sin_palabras = _guardar(c, "Nada", "tipo=ot")
    mal_filtro = _guardar(c, "Mal", "q=ducto&tipo=factura")
    sin_nombre = _guardar(c, "   ", "q=ducto")
    largo = _guardar(c, "x" * 101, "q=ducto")

    assert sin_palabras.status_code == HTTPStatus.BAD_REQUEST
    assert sin_palabras.json()["fields"] == {"parametros": ["A search needs words to find."]}
    assert list(mal_filtro.json()["fields"]) == ["parametros"]
    assert mal_filtro.json()["fields"]["parametros"][0].startswith("tipo: ")
    assert list(sin_nombre.json()["fields"]) == ["nombre"]
    assert list(largo.json()["fields"]) == ["nombre"]
    assert BusquedaGuardada.objects.count() == 0


def test_saving_needs_the_csrf_token_a_session_and_a_role(lector, client, json_login, user):
    _ana, c = lector("lucia")

    sin_token = c.post(API, {"nombre": "x", "parametros": "q=x"}, content_type="application/json")

    assert sin_token.status_code == HTTPStatus.FORBIDDEN
    assert sin_token.json()["code"] == "csrf_failed"
    assert Client().get(API).status_code == HTTPStatus.UNAUTHORIZED
    json_login()  # a user without roles
    assert client.get(API).status_code == HTTPStatus.FORBIDDEN


def test_the_page_saves_the_search_shown_and_deletes_it(lector, datos):
    _ana, c = lector("lucia")

    response = c.post(
        "/consulta/?q=compresion&tipo=ot&pagina=2",
        {"accion": "guardar", "nombre": "OTs de compresión"},
        headers=_token(c),
    )

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == "/consulta/?q=compresion&tipo=ot"
    pagina = c.get(response["Location"]).text
    assert "Búsqueda guardada como «OTs de compresión»." in pagina
    guardada = BusquedaGuardada.objects.get()
    assert '<a href="/consulta/?q=compresion&amp;tipo=ot">OTs de compresión</a>' in pagina

    borrada = c.post(f"/consulta/guardadas/{guardada.pk}/eliminar/?q=compresion", headers=_token(c))

    assert borrada.status_code == HTTPStatus.FOUND
    assert borrada["Location"] == "/consulta/?q=compresion"
    pagina = c.get(borrada["Location"]).text
    assert "Búsqueda guardada «OTs de compresión» eliminada." in pagina
    assert not BusquedaGuardada.objects.exists()


def test_the_page_shows_a_missing_name_next_to_its_field(lector, datos):
    _ana, c = lector("lucia")

    response = c.post(
        "/consulta/?q=compresion", {"accion": "guardar", "nombre": ""}, headers=_token(c)
    )

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert 'id="id_nombre_error"' in response.text
    assert "PEP-SUB-0815" in response.text  # the search is still shown
    assert not BusquedaGuardada.objects.exists()


def test_the_saved_searches_are_documented_in_the_openapi_schema(admin):
    esquema = admin.get("/api/schema/", {"format": "json"}).json()

    assert set(esquema["paths"][API]) == {"get", "post"}
    assert set(esquema["paths"][API + "{id}/"]) == {"get", "delete"}
    assert set(esquema["paths"]["/operaciones/api/consulta/correo/"]) == {"post"}
    detalle = esquema["paths"][API + "{id}/"]["delete"]["responses"]
    assert set(detalle) >= {"204", "404"}
    assert "202" in esquema["paths"]["/operaciones/api/consulta/correo/"]["post"]["responses"]


def test_the_list_costs_the_same_queries_however_long(lector, db, assert_same_queries):
    _lucia, c = lector("lucia")
    _guardar(c, "Una", "q=ducto")
    c.get(API)  # with Redis, the first read copies the user there
    una = assert_same_queries(lambda: c.get(API), lambda: c.get(API))
    for n in range(5):
        _guardar(c, f"Otra {n}", f"q=ducto{n}")

    assert assert_same_queries(lambda: c.get(API), lambda: c.get(API)) == una
    assert len(c.get(API).json()) == 6
