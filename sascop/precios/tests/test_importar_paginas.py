"""The import pages: a refused price book summarised (counts by kind, first rows, the
workbook back with observations), and the register of OTs upload → preview → confirm."""

from __future__ import annotations

import re
from http import HTTPStatus
from io import BytesIO
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from sascop.core import excel
from sascop.ots.models import OT
from sascop.precios.models import Concepto
from sascop.precios.tests.factories import ContratoFactory
from sascop.precios.tests.libros import ENCABEZADO, xlsx
from sascop.precios.tests.test_importar_ots import catalogos, ot, registro, reprogramacion
from sascop.precios.tests.test_libros_reales import lista_pue

pytestmark = pytest.mark.django_db
__all__ = ["catalogos"]  # the fixture, used by name


def _token(c: Client) -> str:
    c.get("/precios/")
    return c.cookies["csrftoken"].value


def _subir(c: Client, url: str, contenido: bytes) -> Any:
    archivo = SimpleUploadedFile("libro.xlsx", contenido, content_type=excel.XLSX)
    return c.post(url, {"archivo": archivo, "csrfmiddlewaretoken": _token(c)})


def _confirmar(c: Client, url: str, vista: Any) -> Any:
    html = vista.content.decode()
    archivo_id = re.search(r'name="archivo_id" value="(\d+)"', html)
    assert archivo_id, html
    return c.post(
        url, {"archivo_id": archivo_id.group(1), "confirmar": "1", "csrfmiddlewaretoken": _token(c)}
    )


def _descarga(c: Client, html: str) -> Any:
    enlace = re.search(r'<a href="([^"]+/observaciones/)" download>', html)
    assert enlace, html
    response = c.get(enlace.group(1))
    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"] == excel.XLSX
    return load_workbook(BytesIO(response.content))


def test_a_refused_book_shows_counts_by_kind_then_its_first_50_rows(admin):
    filas: list[list[Any]] = [
        ["C-5", f"1.{n}", f"Concepto {n}", "DIA", None, "diez", None] for n in range(60)
    ]
    filas.append(["C-5", "9", "Sin unidad", None, None, 10, None])
    filas.append(["C-5", "10", "Último", "DIA", None, 10, None])

    response = _subir(admin, "/precios/importar/", xlsx({"C-5": [ENCABEZADO, *filas]}))

    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    html = response.content.decode()
    assert "El libro tiene 61 filas que no se pudieron leer" in html
    tipos = re.findall(r'<tr><td>([^<]*)</td><td class="num">(\d+)</td></tr>', html)
    assert tipos == [("P.U. M.N. no es un número", "60"), ("Falta la unidad", "1")]
    assert "Las primeras 50 filas de 61" in html
    assert len(re.findall(r"<tr><td>C-5</td>", html)) == 50
    assert "11 filas más en el libro con observaciones." in html
    hoja = _descarga(admin, html)["C-5"]
    assert hoja.cell(row=1, column=10).value == "OBSERVACIONES"
    assert hoja.cell(row=2, column=10).value == "P.U. M.N. no es un número: «diez»."
    assert hoja.cell(row=62, column=10).value == "Falta la unidad."
    assert hoja.cell(row=63, column=10).value is None
    assert not Concepto.objects.exists()


def test_another_user_cannot_download_a_refused_book(admin, role_client):
    html = _subir(admin, "/precios/importar/", xlsx({"C-5": [ENCABEZADO, ["C-5", "1", "x"]]}))
    enlace = re.search(r'<a href="([^"]+/observaciones/)" download>', html.content.decode())
    assert enlace

    assert role_client("Administración").get(enlace.group(1)).status_code == HTTPStatus.NOT_FOUND


def test_the_pue_list_preview_counts_its_proposals(admin):
    vista = _subir(admin, "/precios/importar/", lista_pue())

    assert vista.status_code == HTTPStatus.OK
    html = vista.content.decode()
    assert (
        "Propuestas de PUE sin clave: <strong>3</strong> nuevas, <strong>0</strong> "
        "actualizadas, <strong>0</strong> sin cambios; 1 renglón repetido guardado una sola vez."
    ) in html
    assert "BME-1, BME-404, BME-9" in html
    assert not Concepto.objects.exists()
    _confirmar(admin, "/precios/importar/", vista)
    assert Concepto.objects.filter(partida="").count() == 3


URL_OTS = "/ots/importar/"


def test_the_register_page_previews_then_imports(admin, catalogos):
    datos = registro(
        reprogramacion("OT-1", 1, fecha_inicio_real="15/04/204"),
        ot("OT-1", id_embarcacion=9),
        ot("OT-2", id_estatus_ot_id=99),
    )

    vista = _subir(admin, URL_OTS, datos)

    assert vista.status_code == HTTPStatus.OK
    html = vista.content.decode()
    assert "Al confirmar se crearán <strong>2</strong> OT" in html
    assert "1 fila no se podrá importar; las demás entrarán." in html
    assert "Embarcación 9 (por nombrar)" in html
    assert "Fila 2, columna fecha_inicio_real: «15/04/204»" in html
    assert "a diferencia del libro de precios, que es todo o nada" in html
    assert not OT.objects.exists()

    response = _confirmar(admin, URL_OTS, vista)

    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    assert "<strong>2</strong> creadas" in html
    assert "1 fila no se pudo importar; las demás entraron." in html
    assert "2 OT nuevas, 0 actualizadas y 0 sin cambios." in html
    assert OT.objects.count() == 2
    libro = _descarga(admin, html)
    hoja = libro.worksheets[0]
    assert hoja.cell(row=1, column=27).value == "OBSERVACIONES"
    assert hoja.cell(row=4, column=27).value == "id_estatus_ot_id «99» no es un estatus de OT."


def test_the_ot_pages_show_the_four_places(admin, catalogos):
    _confirmar(admin, URL_OTS, _subir(admin, URL_OTS, registro(ot("OT-1", id_patio=6))))
    principal = OT.objects.get()

    lista = admin.get("/ots/").content.decode()
    detalle = admin.get(f"/ots/{principal.pk}/").content.decode()
    filtrada = admin.get("/ots/", {"patio": principal.patio_id}).content.decode()

    assert "Patio 6 (por nombrar)" in lista
    assert "<dt>Patio</dt><dd>Patio 6 (por nombrar)</dd>" in detalle
    assert "OT-1" in filtrada
    assert 'href="/ots/importar/"' in lista


def test_the_import_pages_queries_do_not_grow_with_the_contracts(admin):
    def consultas(url: str) -> int:
        with CaptureQueriesContext(connection) as capturadas:
            assert admin.get(url).status_code == HTTPStatus.OK
        return len(capturadas.captured_queries)

    ContratoFactory(numero="1")
    # The session's caches warmed first, as they are for any page after the first.
    for url in ("/precios/importar/", URL_OTS):
        consultas(url)
    antes = (consultas("/precios/importar/"), consultas(URL_OTS))
    for numero in range(2, 7):
        ContratoFactory(numero=str(numero))

    assert (consultas("/precios/importar/"), consultas(URL_OTS)) == antes


def test_only_who_may_add_and_change_ots_imports_a_register(role_client):
    consulta = role_client("Consulta")

    assert consulta.get(URL_OTS).status_code == HTTPStatus.FORBIDDEN
