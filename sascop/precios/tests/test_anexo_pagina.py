"""The page of an OT's Anexo C (`/ots/<id>/anexo/`): lines and totals, upload (reemplazar,
actualizar), the refused rows with the link to the annotated workbook, versions, export;
permissions as the API's, CSRF, query counts."""

from __future__ import annotations

import datetime
import io
import re
from decimal import Decimal
from http import HTTPStatus

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from sascop.core.tests.navegador import csrf_token, page_html
from sascop.ots.tests.factories import OTFactory
from sascop.precios import services
from sascop.precios.models import AnexoOT, ImportacionAnexoFallida, TipoCambio
from sascop.precios.tests.factories import AnexoFactory, ConceptoFactory
from sascop.precios.tests.libros import TITULOS, xlsx

pytestmark = pytest.mark.django_db
ENCABEZADO = ["ANEXO", "PARTIDA", "CONCEPTO", "UNIDAD", "VOLUMEN PTE"]
BUENO = [
    ["C-5", "2.1.", "Tubería de 8 pulgadas", "Día", 10],
    ["C-5", 2.2, "Tubería de 10 pulgadas", "DIA", 2.5],
]


def libro(*filas) -> bytes:
    return xlsx({"Anexo OT": [*TITULOS, ENCABEZADO, *filas]})


def subir(c: Client, ot_id: int, datos: bytes, modo: str = "reemplazar", token: bool = True):
    campos: dict[str, object] = {
        "archivo": SimpleUploadedFile("anexo.xlsx", datos),
        "modo": modo,
    }
    if token:
        campos["csrfmiddlewaretoken"] = csrf_token(c)
    return c.post(f"/ots/{ot_id}/anexo/", campos)


@pytest.fixture
def ot():
    return OTFactory(orden_trabajo="OT-2026-017")


@pytest.fixture
def catalogo():
    c5 = AnexoFactory(clave="C-5")
    return [
        ConceptoFactory(
            anexo=c5, partida="2.1", concepto="Tubería de 8 pulgadas", unidad="DIA",
            pu_mn=Decimal("1234.50"), pu_usd=Decimal("0.00"),
        ),
        ConceptoFactory(
            anexo=c5, partida="2.2", concepto="Tubería de 10 pulgadas", unidad="DIA",
            pu_mn=Decimal("1500.00"), pu_usd=Decimal("15.50"),
        ),
        ConceptoFactory(
            anexo=c5, partida="3", concepto="Buzo de saturación", unidad="HOM/DIA",
            pu_mn=Decimal("0.00"), pu_usd=Decimal("950.25"),
        ),
    ]  # fmt: skip


@pytest.fixture
def ingenieria(role_client):
    return role_client("Ingeniería")


def test_an_ot_without_anexo_offers_the_upload(ingenieria, ot, catalogo):
    html = page_html(ingenieria.get(f"/ots/{ot.pk}/anexo/"))

    assert "Anexo C de la OT OT-2026-017" in html
    assert "Esta OT aún no tiene anexo C" in html
    assert 'enctype="multipart/form-data"' in html
    assert '<label for="id_archivo">Libro de Excel (.xlsx)</label>' in html
    assert "Exportar a Excel" not in html


def test_a_good_workbook_becomes_the_active_version_with_lines_and_totals(
    ingenieria, ot, catalogo, time_machine
):
    time_machine.move_to("2026-03-10T12:00:00-06:00", tick=False)
    TipoCambio.objects.create(fecha=datetime.date(2026, 3, 1), valor=Decimal("20.0000"))

    response = subir(ingenieria, ot.pk, libro(*BUENO))

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == f"/ots/{ot.pk}/anexo/"
    html = page_html(ingenieria.get(response["Location"]))
    # 10 x 1234.50 + 2.5 x 1500 = 16,095.00 MXN; 2.5 x 15.50 = 38.75 USD; at 20: 16,870.00.
    assert "Anexo versión 1 importado: 2 partidas, $16,095.00 MXN y $38.75 USD." in html
    assert "Versión 1 (vigente)" in html
    assert "<dd>$16,095.00 MXN</dd>" in html
    assert "<dd>$38.75 USD</dd>" in html
    assert "<dd>$16,870.00 MXN</dd>" in html
    assert "20.0000 MXN por USD, vigente desde el 01/03/2026" in html
    assert html.index("Tubería de 8 pulgadas") < html.index("Tubería de 10 pulgadas")
    assert '<td class="num nowrap">$12,345.00</td>' in html
    assert f'href="/operaciones/api/ots/{ot.pk}/anexo/?formato=xlsx&amp;version=1"' in html


def test_bad_rows_are_listed_nothing_is_stored_and_the_annotated_workbook_is_linked(
    ingenieria, ot, catalogo
):
    response = subir(ingenieria, ot.pk, libro(BUENO[0], ["C-5", "9.9", "No existe", "DIA", 1]))

    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    html = page_html(response)
    fallida = ImportacionAnexoFallida.objects.get()
    assert "El libro tiene renglones con errores; no se importó nada." in html
    assert re.search(
        r'<td class="num">6</td>\s*<td class="nowrap">9.9</td>\s*'
        r"<td>La partida 9.9 del anexo C-5 no está en el catálogo de precios.</td>",
        html,
    )
    enlace = f"/operaciones/api/ots/{ot.pk}/anexo/errores/{fallida.pk}/"
    assert f'href="{enlace}" download>Descargar el libro con la columna OBSERVACIONES' in html
    assert not AnexoOT.objects.exists()
    assert ingenieria.get(enlace).status_code == HTTPStatus.OK


def test_many_bad_rows_are_counted_by_kind_and_only_the_first_50_listed(ingenieria, ot, catalogo):
    malas = [["C-5", f"9.{n}", "No existe", "DIA", 1] for n in range(55)]
    malas += [["C-5", "2.1", "Tubería de 8 pulgadas", "DIA", "mucho"]]

    response = subir(ingenieria, ot.pk, libro(*malas))

    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    html = page_html(response)
    tipos = re.findall(r'<tr><td>([^<]*)</td><td class="num">(\d+)</td></tr>', html)
    assert tipos == [
        ("La partida … del anexo C-… no está en el catálogo de precios", "55"),
        ("VOLUMEN PTE no es un número", "1"),
    ]
    assert len(re.findall(r'<td class="nowrap">', html)) == 50
    assert "6 renglones más en el libro con observaciones." in html


def test_an_unreadable_file_is_said_next_to_the_field(ingenieria, ot):
    response = subir(ingenieria, ot.pk, b"no es un libro")

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert 'id="id_archivo_error"><li>No se pudo leer el libro:' in page_html(response)
    assert not AnexoOT.objects.exists()


def test_a_file_over_the_limit_is_refused(ingenieria, ot, catalogo, settings):
    settings.MAX_UPLOAD_BODY_BYTES = 1024

    response = subir(ingenieria, ot.pk, libro(*BUENO, *[BUENO[0]] * 200))

    assert response.status_code == HTTPStatus.REQUEST_ENTITY_TOO_LARGE
    assert not AnexoOT.objects.exists()


def test_versions_are_listed_and_an_older_one_can_be_viewed(ingenieria, ot, catalogo):
    subir(ingenieria, ot.pk, libro(BUENO[0]))
    subir(ingenieria, ot.pk, libro(["C-5", "3", "Buzo de saturación", "HOM/DIA", 4]), "actualizar")

    actual = page_html(ingenieria.get(f"/ots/{ot.pk}/anexo/"))
    anterior = page_html(ingenieria.get(f"/ots/{ot.pk}/anexo/?version=1"))

    assert "Versión 2 (vigente)" in actual
    assert "Buzo de saturación" in actual and "Tubería de 8 pulgadas" in actual  # actualizar
    assert f'<a href="/ots/{ot.pk}/anexo/?version=1">1</a>' in actual
    assert "Versión 1 (anterior)" in anterior
    assert "Buzo de saturación" not in anterior.split("Versiones")[0]
    assert ingenieria.get(f"/ots/{ot.pk}/anexo/?version=9").status_code == HTTPStatus.NOT_FOUND


def test_the_page_needs_the_apis_permissions(role_client, client, user, json_login, ot, catalogo):
    consulta = role_client("Consulta")
    json_login()

    assert client.get(f"/ots/{ot.pk}/anexo/").status_code == HTTPStatus.FORBIDDEN
    page = consulta.get(f"/ots/{ot.pk}/anexo/")
    assert page.status_code == HTTPStatus.OK
    assert "Subir una nueva versión" not in page_html(page)
    assert subir(consulta, ot.pk, libro(*BUENO)).status_code == HTTPStatus.FORBIDDEN
    assert not AnexoOT.objects.exists()
    assert Client().get(f"/ots/{ot.pk}/anexo/").status_code == HTTPStatus.FOUND  # to login


def test_the_upload_needs_the_csrf_token(ingenieria, ot, catalogo):
    response = subir(ingenieria, ot.pk, libro(*BUENO), token=False)

    assert response.status_code == HTTPStatus.FORBIDDEN
    assert not AnexoOT.objects.exists()


def test_unknown_ot_is_a_404(ingenieria):
    assert ingenieria.get("/ots/999999/anexo/").status_code == HTTPStatus.NOT_FOUND


def test_page_queries_do_not_grow_with_the_lines_or_versions(
    ingenieria, ot, catalogo, assert_same_queries
):
    otra = OTFactory()
    subir(ingenieria, ot.pk, libro(BUENO[0]))
    subir(ingenieria, otra.pk, libro(*BUENO))
    subir(ingenieria, otra.pk, libro(*BUENO, ["C-5", "3", "Buzo de saturación", "HOM/DIA", 4]))
    ingenieria.get("/api/user/")

    assert_same_queries(
        lambda: ingenieria.get(f"/ots/{ot.pk}/anexo/"),
        lambda: ingenieria.get(f"/ots/{otra.pk}/anexo/"),
    )


def test_a_version_imported_by_nobody_in_particular_still_shows(ingenieria, ot, catalogo):
    # A command or a deleted user leaves no author.
    services.anexo_importar(
        usuario=None, ot_id=ot.pk, archivo=io.BytesIO(libro(*BUENO)), nombre_archivo="a.xlsx"
    )

    response = ingenieria.get(f"/ots/{ot.pk}/anexo/")

    assert response.status_code == HTTPStatus.OK
    assert "<td>a.xlsx</td>\n              <td>—</td>" in page_html(response)
