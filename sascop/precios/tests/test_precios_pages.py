"""The price-book pages: anexos and concepts with filters and es-MX money, the workbook
import with its per-row errors, "Autorizar" on a PUE (the version rule), the Excel export
from the page and the API; permissions as the API's."""

from __future__ import annotations

import re
from decimal import Decimal
from http import HTTPStatus
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from sascop.core import excel
from sascop.core.api.etags import etag_for
from sascop.core.tests import exportar
from sascop.core.tests.navegador import csrf_token, post_form
from sascop.precios.models import Concepto
from sascop.precios.tests.factories import (
    AnexoFactory,
    ConceptoFactory,
    ContratoFactory,
    PUEFactory,
)
from sascop.precios.tests.libros import ENCABEZADO, TITULOS, libro_simple, xlsx

pytestmark = pytest.mark.django_db
URL = "/precios/"


@pytest.fixture
def libro():
    c5 = AnexoFactory(clave="C-5")
    c10 = AnexoFactory(clave="C-10", contrato=c5.contrato)
    ConceptoFactory(
        anexo=c5,
        partida="2.1",
        concepto="Tubería de acero",
        pu_mn=Decimal("1234567.5"),
        pu_usd=Decimal("15.25"),
    )
    ConceptoFactory(anexo=c5, partida="2.10", concepto="Abrazadera")
    pue = PUEFactory(anexo=c10, partida="PUE-1", concepto="Grapa de reparación")
    return pue


def _partidas(html: str) -> list[str]:
    return re.findall(r'<td class="nowrap">([^<]+)</td>', html)


def test_lists_anexos_and_concepts_in_book_order_with_es_mx_money(role_client, libro):
    html = role_client("Consulta").get(URL).content.decode()

    assert "<strong>C-5</strong> <span>2 conceptos</span>" in html
    assert "<strong>C-10</strong> <span>1 concepto · 1 por autorizar</span>" in html
    assert "$1,234,567.50" in html and '<td class="num">$15.25</td>' in html
    assert _partidas(html) == ["PUE-1", "2.1", "2.10"]
    assert "Importar libro" not in html and ">Autorizar<" not in html


def test_filters_by_anexo_text_type_and_status(role_client, libro):
    c = role_client("Consulta")

    por_anexo = c.get(f"{URL}?anexo=C-5").content.decode()
    por_texto = c.get(f"{URL}?buscar=abrazadera").content.decode()
    por_tipo = c.get(f"{URL}?tipo=extraordinaria").content.decode()
    por_estatus = c.get(f"{URL}?estatus=AUTORIZADO&anexo=C-10").content.decode()

    assert _partidas(por_anexo) == ["2.1", "2.10"]
    assert _partidas(por_texto) == ["2.10"]
    assert _partidas(por_tipo) == ["PUE-1"]
    assert _partidas(por_estatus) == []


def test_an_unknown_anexo_is_reported_and_left_out(role_client, libro):
    response = role_client("Consulta").get(f"{URL}?anexo=Z-99")

    html = response.content.decode()
    assert response.status_code == HTTPStatus.OK
    assert 'id="id_anexo_error"' in html and len(_partidas(html)) == 3


def test_the_list_costs_the_same_queries_whatever_the_page_size(admin, assert_same_queries):
    anexo = AnexoFactory(clave="C-5")
    for _ in range(15):
        ConceptoFactory(anexo=anexo)
        PUEFactory(anexo=anexo)

    admin.get("/api/user/")  # the user row is cached after the first request with Redis
    assert_same_queries(
        lambda: admin.get(f"{URL}?por_pagina=10"),
        lambda: admin.get(f"{URL}?por_pagina=100"),
    )


def test_authorise_a_pue_with_the_version_the_list_showed(admin, libro):
    html = admin.get(URL).content.decode()
    assert f'name="version" value="{etag_for(libro)}"' in html.replace("&quot;", '"')

    response = post_form(
        admin,
        f"/precios/conceptos/{libro.pk}/autorizar/",
        {"version": etag_for(libro), "volver": "/precios/?anexo=C-10"},
    )

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == "/precios/?anexo=C-10"
    libro.refresh_from_db()
    assert libro.estatus == Concepto.Estatus.AUTORIZADO
    pagina = admin.get(response["Location"]).content.decode()
    assert "Concepto PUE-1 del anexo C-10 autorizado." in pagina


def test_a_stale_version_authorises_nothing_and_says_so(admin, libro):
    viejo = etag_for(libro)
    Concepto.objects.filter(pk=libro.pk).update(version=libro.version + 1)

    response = post_form(admin, f"/precios/conceptos/{libro.pk}/autorizar/", {"version": viejo})

    libro.refresh_from_db()
    assert libro.estatus == Concepto.Estatus.EN_ELABORACION
    assert "no se autorizó" in admin.get(response["Location"]).content.decode()


@pytest.mark.parametrize("rol", ["Consulta", "Ingeniería"])
def test_only_those_allowed_authorise(role_client, libro, rol):
    c = role_client(rol)

    response = post_form(
        c, f"/precios/conceptos/{libro.pk}/autorizar/", {"version": etag_for(libro)}
    )

    assert response.status_code == HTTPStatus.FORBIDDEN
    libro.refresh_from_db()
    assert libro.estatus == Concepto.Estatus.EN_ELABORACION


def test_authorise_needs_the_csrf_token(admin, libro):
    response = admin.post(f"/precios/conceptos/{libro.pk}/autorizar/", {"version": etag_for(libro)})

    assert response.status_code == HTTPStatus.FORBIDDEN
    libro.refresh_from_db()
    assert libro.estatus == Concepto.Estatus.EN_ELABORACION


def _subir(c: Client, contenido: bytes, **extra: object):
    archivo = SimpleUploadedFile("libro.xlsx", contenido, content_type=excel.XLSX)
    return c.post(
        "/precios/importar/", {"archivo": archivo, "csrfmiddlewaretoken": csrf_token(c), **extra}
    )


def _confirmar(c: Client, vista_previa) -> Any:
    """Post the preview's "Confirmar importación" form."""
    html = vista_previa.content.decode()
    archivo_id = re.search(r'name="archivo_id" value="(\d+)"', html)
    assert archivo_id, html
    return c.post(
        "/precios/importar/",
        {"archivo_id": archivo_id.group(1), "confirmar": "1", "csrfmiddlewaretoken": csrf_token(c)},
    )


def test_import_a_workbook_see_the_preview_then_confirm(admin):
    vista = _subir(admin, libro_simple())

    assert vista.status_code == HTTPStatus.OK
    html = vista.content.decode()
    assert "Vista previa: contrato principal" in html
    assert "se crearán <strong>2</strong> conceptos" in html
    assert not Concepto.objects.exists()

    response = _confirmar(admin, vista)

    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    assert "<strong>2</strong> creados" in html
    assert Concepto.objects.filter(anexo__clave="C-5").count() == 2
    again = _confirmar(admin, _subir(admin, libro_simple())).content.decode()
    assert "<strong>0</strong> creados" in again and "<strong>2</strong> sin cambios" in again


def test_a_preview_is_confirmed_once_and_only_by_its_uploader(admin, role_client):
    vista = _subir(admin, libro_simple())
    otro = role_client("Administración")

    assert _confirmar(otro, vista).status_code == HTTPStatus.NOT_FOUND
    assert _confirmar(admin, vista).status_code == HTTPStatus.OK
    assert _confirmar(admin, vista).status_code == HTTPStatus.NOT_FOUND
    assert Concepto.objects.count() == 2


def test_the_preview_lists_the_prices_that_change(admin):
    _confirmar(admin, _subir(admin, libro_simple(precio=1234.5)))

    html = _subir(admin, libro_simple(precio=1300)).content.decode()

    assert "se actualizará <strong>1</strong>" in html
    fila = (
        r"<tr><td>C-5</td><td>2.1</td><td>[^<]*</td><td>P.U. M.N.</td>"
        r"<td class=\"num\">([^<]*)</td><td class=\"num\">([^<]*)</td>"
    )
    filas = re.findall(fila, html)
    assert filas == [("$1,234.50", "$1,300.00")]
    assert Concepto.objects.get(partida="2.1").pu_mn == Decimal("1234.50")


def test_the_page_says_which_contract_it_imports_into(admin):
    ContratoFactory(numero="640857800")

    html = admin.get("/precios/importar/").content.decode()

    assert "Se importa en el contrato <strong>640857800</strong>." in html


def test_a_workbook_with_bad_rows_stores_nothing_and_lists_each_row(admin):
    datos = xlsx(
        {
            "C-5": [
                *TITULOS,
                ENCABEZADO,
                ["C-5", "2.1", "Bueno", "DIA", None, 10, None],
                ["C-5", "2.2", "Precio en letras", "DIA", None, "diez", None],
            ]
        }
    )

    response = _subir(admin, datos)

    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    html = response.content.decode()
    assert "No se importó nada." in html
    filas = re.findall(r"<tr><td>([^<]*)</td><td class=\"num\">(\d+)</td><td>([^<]*)</td>", html)
    assert filas == [("C-5", "6", "2.2")]
    assert not Concepto.objects.exists()


def test_a_file_that_is_not_a_workbook_is_said_plainly(admin):
    response = _subir(admin, b"not a zip")

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "El archivo no es un libro .xlsx legible." in response.content.decode()


def test_no_file_is_an_error_next_to_the_field(admin):
    response = admin.post("/precios/importar/", {"csrfmiddlewaretoken": csrf_token(admin)})

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert 'id="id_archivo_error"' in response.content.decode()


@pytest.mark.parametrize("rol", ["Consulta", "Ingeniería"])
def test_only_administration_imports(role_client, rol):
    c = role_client(rol)

    assert c.get("/precios/importar/").status_code == HTTPStatus.FORBIDDEN
    assert _subir(c, libro_simple()).status_code == HTTPStatus.FORBIDDEN
    assert not Concepto.objects.exists()


def test_anonymous_visitors_go_to_the_login_page(client):
    response = client.get(URL)

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == "/accounts/login/?next=%2Fprecios%2F"


def test_page_and_api_export_the_filtered_concepts_with_money_as_numbers(role_client, libro):
    c = role_client("Consulta")

    pagina = exportar.hoja(c.get(f"{URL}?anexo=C-5&exportar=xlsx"), "Conceptos")
    api = exportar.hoja(
        c.get("/operaciones/api/precios/conceptos/?anexo=C-5&formato=xlsx"), "Conceptos"
    )

    for hoja in (pagina, api):
        filas = list(hoja.iter_rows(values_only=True))
        assert filas[0][:6] == ("Contrato", "Anexo", "Partida", "Concepto", "Unidad", "P.U. M.N.")
        assert [f[2] for f in filas[1:]] == ["2.1", "2.10"]
        assert filas[1][5] == 1234567.5 and filas[1][6] == 15.25
        assert filas[1][9:11] == ("Ordinaria", "Autorizado")
        assert hoja["F2"].number_format == excel.DINERO


def test_the_import_page_takes_files_over_the_general_body_limit(admin, settings):
    # A workbook larger than an ordinary form may be (the page declares it takes uploads,
    # as the API view does) still reaches the import.
    contenido = libro_simple()
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = len(contenido) // 2

    response = _confirmar(admin, _subir(admin, contenido))

    assert response.status_code == HTTPStatus.OK
    assert Concepto.objects.count() == 2
    other = admin.post(
        "/catalogos/clientes/nueva/",
        {"descripcion": "x" * len(contenido), "csrfmiddlewaretoken": csrf_token(admin)},
    )
    assert other.status_code == HTTPStatus.REQUEST_ENTITY_TOO_LARGE


def test_a_body_over_the_upload_limit_is_refused_before_it_is_read(admin, settings):
    contenido = libro_simple()
    settings.MAX_UPLOAD_BODY_BYTES = len(contenido)  # the multipart body is always larger

    response = _subir(admin, contenido)

    assert response.status_code == HTTPStatus.REQUEST_ENTITY_TOO_LARGE
    assert not Concepto.objects.exists()


def test_htmx_filters_swap_only_the_table(role_client, libro):
    response = role_client("Consulta").get(
        f"{URL}?anexo=C-5", HTTP_HX_REQUEST="true", HTTP_HX_TARGET="tabla-conceptos"
    )

    html = response.content.decode()
    assert html.lstrip().startswith('<section id="tabla-conceptos"')
    assert _partidas(html) == ["2.1", "2.10"]
