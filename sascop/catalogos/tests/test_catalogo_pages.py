"""The catalog pages: a landing page, then for every catalog a list, an add and an edit
form and (de)activation, for administrators only (the API's change/add permissions); the
Excel export from the page and from the API."""

from __future__ import annotations

from http import HTTPStatus

import pytest

from sascop.actividad.models import RegistroActividad
from sascop.catalogos.declaraciones import catalogos
from sascop.catalogos.models import Cliente, Sitio
from sascop.catalogos.tests.factories import (
    ClienteFactory,
    FrenteFactory,
    SitioFactory,
    TipoClienteFactory,
)
from sascop.core.tests import exportar
from sascop.core.tests.navegador import csrf_token, post_form
from tests.envelope import assert_error

pytestmark = pytest.mark.django_db


def test_the_landing_page_names_every_catalog(admin):
    html = admin.get("/catalogos/").content.decode()

    for nombre, cat in catalogos().items():
        assert f'href="/catalogos/{nombre}/">{cat.titulo}</a>' in html


@pytest.mark.parametrize("nombre", sorted(catalogos()))
def test_every_catalog_lists_and_offers_its_form(admin, nombre):
    lista = admin.get(f"/catalogos/{nombre}/")
    form = admin.get(f"/catalogos/{nombre}/nueva/")

    assert lista.status_code == HTTPStatus.OK
    assert form.status_code == HTTPStatus.OK
    for campo in catalogos()[nombre].campos:
        assert f'name="{campo}"' in form.content.decode()


def test_list_shows_related_names_and_state(admin):
    tipo = TipoClienteFactory(descripcion="Activo de producción")
    ClienteFactory(descripcion="PEP Cantarell", tipo=tipo)
    ClienteFactory(descripcion="PEP Ku", tipo=tipo, activo=False)

    html = admin.get("/catalogos/clientes/").content.decode()

    assert "PEP Cantarell" in html and "Activo de producción" in html
    assert "Inactivo" in html and "Reactivar" in html and "Desactivar" in html
    assert "<strong>2</strong> entradas" in html
    only_active = admin.get("/catalogos/clientes/?activo=true&buscar=ku").content.decode()
    assert "<strong>0</strong> entradas" in only_active


def test_add_an_entry_through_the_service_and_log_it(admin):
    tipo = TipoClienteFactory()
    response = post_form(
        admin, "/catalogos/clientes/nueva/", {"descripcion": "PEP Abkatún", "tipo": tipo.pk}
    )

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == "/catalogos/clientes/"
    cliente = Cliente.objects.get(descripcion="PEP Abkatún")
    assert RegistroActividad.objects.filter(entidad="cliente", entidad_id=str(cliente.pk)).exists()


def test_field_errors_come_back_next_to_the_fields(admin):
    ClienteFactory(descripcion="PEP Ku")
    tipo = TipoClienteFactory()

    response = post_form(
        admin, "/catalogos/clientes/nueva/", {"descripcion": "PEP Ku", "tipo": tipo.pk}
    )

    assert response.status_code == HTTPStatus.BAD_REQUEST
    html = response.content.decode()
    assert 'class="errorlist" id="id_descripcion_error"' in html
    assert Cliente.objects.filter(descripcion="PEP Ku").count() == 1


def test_an_inactive_choice_is_refused_for_new_entries(admin):
    inactivo = FrenteFactory(descripcion="Frente cerrado", activo=False)

    form = admin.get("/catalogos/sitios/nueva/").content.decode()
    response = post_form(
        admin, "/catalogos/sitios/nueva/", {"descripcion": "Akal-C", "frente": inactivo.pk}
    )

    assert "Frente cerrado" not in form
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert not Sitio.objects.filter(descripcion="Akal-C").exists()


def test_edit_keeps_a_retired_choice_the_entry_already_has(admin):
    sitio = SitioFactory(descripcion="Akal-C")
    sitio.frente.activo = False
    sitio.frente.save()

    form = admin.get(f"/catalogos/sitios/{sitio.pk}/editar/").content.decode()
    response = post_form(
        admin,
        f"/catalogos/sitios/{sitio.pk}/editar/",
        {"descripcion": "Akal-J", "tipo": "plataforma", "frente": sitio.frente_id},
    )

    assert sitio.frente.descripcion in form
    assert response.status_code == HTTPStatus.FOUND
    sitio.refresh_from_db()
    assert sitio.descripcion == "Akal-J"


def test_deactivate_and_reactivate_return_to_the_filtered_list(admin):
    cliente = ClienteFactory(descripcion="PEP Ku")
    url = f"/catalogos/clientes/{cliente.pk}/activo/"

    off = post_form(admin, url, {"activo": "0", "volver": "/catalogos/clientes/?buscar=ku"})
    cliente.refresh_from_db()
    assert off["Location"] == "/catalogos/clientes/?buscar=ku" and cliente.activo is False

    on = post_form(admin, url, {"activo": "1", "volver": "//evil.example/"})
    cliente.refresh_from_db()
    assert on["Location"] == "/catalogos/clientes/" and cliente.activo is True


def test_deactivate_needs_the_csrf_token(admin):
    cliente = ClienteFactory()

    response = admin.post(f"/catalogos/clientes/{cliente.pk}/activo/", {"activo": "0"})

    assert response.status_code == HTTPStatus.FORBIDDEN
    cliente.refresh_from_db()
    assert cliente.activo is True


@pytest.mark.parametrize("rol", ["Consulta", "Ingeniería", "Captura de producción"])
def test_non_administrators_get_403_as_from_the_api_writes(role_client, rol):
    c = role_client(rol)
    cliente = ClienteFactory()

    assert c.get("/catalogos/").status_code == HTTPStatus.FORBIDDEN
    assert c.get("/catalogos/clientes/").status_code == HTTPStatus.FORBIDDEN
    assert c.get("/catalogos/clientes/nueva/").status_code == HTTPStatus.FORBIDDEN
    assert c.get(f"/catalogos/clientes/{cliente.pk}/editar/").status_code == HTTPStatus.FORBIDDEN
    response = post_form(c, f"/catalogos/clientes/{cliente.pk}/activo/", {"activo": "0"})
    assert response.status_code == HTTPStatus.FORBIDDEN
    # The API refuses the same user the same write.
    api = c.delete(
        f"/operaciones/api/catalogos/clientes/{cliente.pk}/",
        HTTP_X_CSRFTOKEN=csrf_token(c),
    )
    assert api.status_code == HTTPStatus.FORBIDDEN
    cliente.refresh_from_db()
    assert cliente.activo is True


def test_anonymous_visitors_go_to_the_login_page(client):
    response = client.get("/catalogos/clientes/")

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == "/accounts/login/?next=%2Fcatalogos%2Fclientes%2F"


def test_an_unknown_catalog_is_a_404(admin):
    assert admin.get("/catalogos/nada/").status_code == HTTPStatus.NOT_FOUND


def test_the_list_costs_the_same_queries_whatever_the_page_size(admin, assert_same_queries):
    for _ in range(30):
        SitioFactory()

    admin.get("/api/user/")  # the user row is cached after the first request with Redis
    assert_same_queries(
        lambda: admin.get("/catalogos/sitios/?por_pagina=10"),
        lambda: admin.get("/catalogos/sitios/?por_pagina=100"),
    )


def test_page_and_api_export_the_filtered_entries_as_typed_cells(admin):
    tipo = TipoClienteFactory(descripcion="Activo")
    ClienteFactory(descripcion="PEP Cantarell", tipo=tipo)
    ClienteFactory(descripcion="PEP Ku", tipo=tipo, activo=False)

    pagina = exportar.hoja(admin.get("/catalogos/clientes/?activo=true&exportar=xlsx"), "Clientes")
    api = exportar.hoja(
        admin.get("/operaciones/api/catalogos/clientes/?activo=true&formato=xlsx"), "Clientes"
    )

    for hoja in (pagina, api):
        filas = list(hoja.iter_rows(values_only=True))
        assert filas[0] == ("Id", "Descripción", "Tipo", "Clave anterior", "Activo")
        assert len(filas) == 2
        assert isinstance(filas[1][0], int)
        assert filas[1][1:] == ("PEP Cantarell", "Activo", None, "Sí")
        assert hoja.freeze_panes == "A2"


def test_export_writes_numbers_as_numbers_and_choices_as_labels(admin):
    from sascop.catalogos.tests.factories import PasoOtFactory

    PasoOtFactory(descripcion="Arranque", orden=3)

    pasos = exportar.hoja(
        admin.get("/operaciones/api/catalogos/pasos-ot/?formato=xlsx"), "Pasos de OT"
    )
    tipos = exportar.hoja(admin.get("/operaciones/api/catalogos/tipos/?formato=xlsx"), "Tipos")

    fila = next(pasos.iter_rows(min_row=2, values_only=True))
    assert fila[1:4] == ("Arranque", 3, 1)
    assert all(
        f[2] in {"Cliente", "PTE", "OT"} for f in tipos.iter_rows(min_row=2, values_only=True)
    )


def test_the_api_export_refuses_an_unknown_format(admin):
    response = admin.get("/operaciones/api/catalogos/clientes/?formato=csv")

    assert_error(response, HTTPStatus.BAD_REQUEST, "invalid")


def test_htmx_filters_swap_only_the_table(admin):
    ClienteFactory(descripcion="PEP Ku")

    response = admin.get(
        "/catalogos/clientes/?buscar=ku",
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="tabla-catalogo",
    )

    html = response.content.decode()
    assert html.lstrip().startswith('<section id="tabla-catalogo"')
    assert "PEP Ku" in html and "<nav" not in html.split("<section", 1)[0]
