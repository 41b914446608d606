from __future__ import annotations

import io
import json
import re
from http import HTTPStatus

import pytest
from django.conf import settings
from django.utils import timezone
from openpyxl import load_workbook

from sascop.ots.tests.factories import OTFactory
from sascop.ptes.tests.factories import PTEFactory

URL = "/consulta/"
pytestmark = pytest.mark.django_db
# Session and user, the filter form's catalogs (clients and sites: one query), the search (the
# catalogs in one query, each kind, its page), the KPIs (OTs with their active anexos, their
# production priced by its anexo lines, PTEs: one query), the saved searches.
QUERIES_PAGINA = 17 - (1 if settings.REDIS_URL else 0)


def _titulos(html: str) -> list[str]:
    return re.findall(r'<li><a href="[^"]+">([^<]+)</a><p class="extracto">', html)


def test_anonymous_goes_to_the_login_page_and_comes_back(client):
    response = client.get(URL, {"q": "ducto"})

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == "/accounts/login/?next=%2Fconsulta%2F%3Fq%3Dducto"


def test_the_page_searches_without_accents_and_highlights_in_spanish(admin, datos):
    response = admin.get(URL, {"q": "compresion"})

    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    assert "<h1>Consulta</h1>" in html
    assert _titulos(html) == [
        "PEP-SUB-0815",
        "OT-2026-015",
        f"{datos['concepto'].anexo.clave} 4.7.3",
        f"OT-2026-015 · {datos['concepto'].anexo.clave} 4.7.3",
        f"pte {datos['otra'].pk} · ana · {timezone.localdate():%d/%m/%Y}",
    ]
    assert "SOLDADOR DE TUBERÍA PARA <mark>COMPRESIÓN</mark>" in html
    assert '<h2 id="titulo-linea_anexo">Partidas de Anexo C <span class="tenue">(1)</span>' in html
    assert "OTs atrasadas" in html
    # The chart of the OTs found by status, from data (no inline script).
    datos_grafica = re.search(
        r'<script id="grafica-ots-estatus" type="application/json">(.*?)</script>', html
    )
    assert datos_grafica is not None
    assert json.loads(datos_grafica.group(1)) == {
        "etiquetas": ["En ejecución"],
        "series": [{"nombre": "OTs", "valores": [1]}],
        "formato": "entero",
        "enlaces": ["/consulta/?q=compresion&tipo=ot&estatus=8"],
        "horizontal": False,
    }


def test_the_query_string_is_the_state(admin, datos):
    html = admin.get(URL, {"q": "compresion", "tipo": "ot", "cliente": datos["pemex"].pk})
    texto = html.content.decode()

    assert _titulos(texto) == ["OT-2026-015"]
    assert 'value="compresion"' in texto
    assert f'<option value="{datos["pemex"].pk}" selected>PEMEX Exploración</option>' in texto
    assert (
        f'href="/consulta/?q=compresion&amp;tipo=ot&amp;cliente={datos["pemex"].pk}'
        '&amp;formato=xlsx"' in texto
    )


def test_one_kind_is_paged(admin, db):
    OTFactory.create_batch(27, descripcion_trabajo="Buceo saturado")

    primera = admin.get(URL, {"q": "buceo", "tipo": "ot"}).content.decode()
    segunda = admin.get(URL, {"q": "buceo", "tipo": "ot", "pagina": 2}).content.decode()

    assert len(_titulos(primera)) == 25
    assert len(_titulos(segunda)) == 2
    assert "Página 2 de 2" in segunda
    assert not set(_titulos(primera)) & set(_titulos(segunda))


def test_a_bad_filter_is_shown_next_to_its_field(admin, db):
    response = admin.get(URL, {"q": "ducto", "desde": "ayer"})

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert 'id="id_desde_error"' in response.content.decode()


def test_nothing_found_says_so(admin, db):
    html = admin.get(URL, {"q": "zzzz"}).content.decode()

    assert "No se encontró nada para «zzzz»." in html


def test_the_page_exports_what_was_found_in_spanish(admin, datos):
    response = admin.get(URL, {"q": "oleogasoducto abk", "formato": "xlsx"})

    assert response.status_code == HTTPStatus.OK
    hoja = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert hoja is not None
    filas = list(hoja.iter_rows(values_only=True))
    assert [f[:2] for f in filas] == [
        ("Tipo", "Título"),
        ("PTEs", "PEP-SUB-0815"),
        ("OTs", "OT-2026-015"),
    ]


def test_the_page_costs_the_same_queries_however_much_it_finds(admin, datos, assert_same_queries):
    admin.get(URL, {"q": "compresion"})  # with Redis, the first read copies the user there
    antes = assert_same_queries(
        lambda: admin.get(URL, {"q": "compresion"}),
        lambda: admin.get(URL, {"q": "compresion"}),
    )
    PTEFactory.create_batch(8, descripcion_trabajo="Compresión adicional")
    OTFactory.create_batch(8, descripcion_trabajo="Compresión adicional")

    despues = assert_same_queries(
        lambda: admin.get(URL, {"q": "compresion"}),
        lambda: admin.get(URL, {"q": "compresion"}),
    )
    assert antes == despues == QUERIES_PAGINA
