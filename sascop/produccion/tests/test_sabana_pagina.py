"""The monthly sheet as a page: the grid (programmed, executed, excess, signed-off days),
saving the month with the version it was drawn from, cell errors, permissions, export."""

from __future__ import annotations

import datetime
import io
import json
import re
from decimal import Decimal
from http import HTTPStatus
from typing import Any

import openpyxl
import pytest

from sascop.core.tests.navegador import page_html
from sascop.ots.tests.factories import OTFactory
from sascop.precios.tests.factories import ConceptoFactory, linea_de
from sascop.produccion import excedentes
from sascop.produccion.models import Produccion, ReporteDiario
from sascop.produccion.tests.factories import ProduccionFactory, tuberia_programada

pytestmark = pytest.mark.django_db
URL = "/produccion/sabana/"


@pytest.fixture
def hoja():
    """An OT whose anexo has a line of 100 M, programmed and executed in May 2026 (15.5 M
    beyond the authorised volume on the 5th), and the 31st signed off."""
    ot = OTFactory(orden_trabajo="OT-2026-050")
    tubo = tuberia_programada(ot)
    for fecha, volumen in (("2026-05-04", "75.5"), ("2026-05-05", "40")):
        ProduccionFactory(
            ot=ot, partida_anexo=tubo, fecha_produccion=fecha, volumen_produccion=Decimal(volumen)
        )
    ReporteDiario.objects.create(
        ot=ot, sitio=ot.sitio, fecha=datetime.date(2026, 5, 31), estatus="FIRMADO"
    )
    excedentes.recalcular_todo()
    return {"ot": ot, "tubo": tubo}


def _celda(html: str, linea: int, dia: int) -> str:
    patron = rf'<td class="celda[^"]*"[^>]*>(?:(?!</td>).)*name="e-{linea}-{dia}"(?:(?!</td>).)*'
    found = re.search(patron, html, re.S)
    assert found is not None, f"no cell {linea}/{dia}"
    return found.group(0)


def _enviar(c: Any, html: str, cambios: dict[str, str], **params: Any) -> Any:
    """Post the grid back as a browser would: every input as shown, with `cambios`."""
    datos = dict(re.findall(r'name="(e-\d+-\d+)" value="([^"]*)"', html))
    datos.update(cambios)
    datos["version"] = (
        re.search(r'name="version" value="([^"]+)"', html).group(1).replace("&quot;", '"')
    )
    datos["csrfmiddlewaretoken"] = c.cookies["csrftoken"].value
    query = {"ot": "OT-2026-050", "anio": 2026, "mes": 5, **params}
    return c.post(f"{URL}?" + "&".join(f"{k}={v}" for k, v in query.items()), datos)


def test_the_grid_shows_programmed_executed_excess_and_signed_days(viewer, hoja):
    response = viewer.get(URL, {"ot": "OT-2026-050", "anio": 2026, "mes": 5})
    html = page_html(response)
    linea = hoja["tubo"].pk

    assert response.status_code == HTTPStatus.OK
    assert 'value="75.5"' in _celda(html, linea, 4) and ">40.00<" in _celda(html, linea, 4)
    assert "con-excedente" in _celda(html, linea, 5) and "Excedente: 15.50" in _celda(
        html, linea, 5
    )
    assert "con-excedente" not in _celda(html, linea, 4)
    assert "readonly" in _celda(html, linea, 31)  # signed off; and Consulta cannot edit
    assert "Guardar sábana" not in html
    assert "$115,500.00" in html  # the month's amount: 115.5 M at $1,000


def test_saving_the_month_creates_corrects_and_deletes_days(capturista, hoja):
    html = page_html(capturista.get(URL, {"ot": "OT-2026-050", "anio": 2026, "mes": 5}))
    linea = hoja["tubo"].pk

    response = _enviar(
        capturista, html, {f"e-{linea}-4": "60", f"e-{linea}-5": "", f"e-{linea}-6": "1.5"}
    )

    assert response.status_code == HTTPStatus.FOUND
    filas = dict(
        Produccion.objects.filter(tipo_tiempo="TE").values_list(
            "fecha_produccion__day", "volumen_produccion"
        )
    )
    assert filas == {4: Decimal("60"), 6: Decimal("1.5")}


def test_a_stale_grid_saves_nothing_and_keeps_what_was_typed(capturista, hoja):
    html = page_html(capturista.get(URL, {"ot": "OT-2026-050", "anio": 2026, "mes": 5}))
    linea = hoja["tubo"].pk
    Produccion.objects.filter(fecha_produccion__day=5).update(volumen_produccion=41)

    response = _enviar(capturista, html, {f"e-{linea}-7": "9"})

    assert response.status_code == HTTPStatus.PRECONDITION_FAILED
    assert "Alguien más guardó esta sábana" in page_html(response)
    assert 'value="9"' in _celda(page_html(response), linea, 7)
    assert not Produccion.objects.filter(fecha_produccion__day=7).exists()
    # Saving again (the page now carries the new version) applies it.
    assert _enviar(capturista, page_html(response), {}).status_code == HTTPStatus.FOUND
    assert Produccion.objects.filter(fecha_produccion__day=7).exists()


def test_a_bad_cell_is_marked_and_nothing_is_saved(capturista, hoja):
    html = page_html(capturista.get(URL, {"ot": "OT-2026-050", "anio": 2026, "mes": 5}))
    linea = hoja["tubo"].pk

    response = _enviar(capturista, html, {f"e-{linea}-8": "-2", f"e-{linea}-9": "3"})

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert 'aria-invalid="true"' in _celda(page_html(response), linea, 8)
    assert "Revisa las celdas marcadas" in page_html(response)
    assert not Produccion.objects.filter(fecha_produccion__day__in=[8, 9]).exists()


def test_a_bad_cell_the_grid_does_not_show_is_named_in_the_notice(capturista, hoja):
    # A day the month does not have, sent by a tampered form: no input to mark, so the
    # notice names it.
    html = page_html(capturista.get(URL, {"ot": "OT-2026-050", "anio": 2026, "mes": 5}))
    linea = hoja["tubo"].pk

    response = _enviar(capturista, html, {f"e-{linea}-32": "1", f"e-{linea}-9": "3"})

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert f"Línea {linea}, día 32: No es un día del mes." in page_html(response)
    assert not Produccion.objects.filter(fecha_produccion__day=9).exists()


def test_a_change_on_a_signed_day_is_refused(capturista, hoja):
    html = page_html(capturista.get(URL, {"ot": "OT-2026-050", "anio": 2026, "mes": 5}))

    response = _enviar(capturista, html, {f"e-{hoja['tubo'].pk}-31": "4"})

    assert response.status_code == HTTPStatus.CONFLICT
    assert "No se guardó nada" in page_html(response)
    assert not Produccion.objects.filter(fecha_produccion__day=31).exists()


def test_consulta_cannot_save(viewer, hoja):
    viewer.get(URL, {"ot": "OT-2026-050", "anio": 2026, "mes": 5})
    response = viewer.post(
        f"{URL}?ot=OT-2026-050&anio=2026&mes=5",
        {f"e-{hoja['tubo'].pk}-7": "9", "csrfmiddlewaretoken": viewer.cookies["csrftoken"].value},
    )

    assert response.status_code == HTTPStatus.FORBIDDEN
    assert not Produccion.objects.filter(fecha_produccion__day=7).exists()


def test_export_is_the_sheet_workbook(viewer, hoja):
    response = viewer.get(URL, {"ot": "OT-2026-050", "anio": 2026, "mes": 5, "exportar": "xlsx"})
    libro = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))

    assert libro.sheetnames == ["2026-05"]
    assert libro["2026-05"]["A2"].value == "C-5"


def test_an_unknown_ot_is_said_next_to_the_field(viewer):
    response = viewer.get(URL, {"ot": "NO-EXISTE", "anio": 2026, "mes": 5})

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "No hay una OT «NO-EXISTE»" in page_html(response)


def test_the_grid_queries_do_not_grow_with_its_lines(
    viewer, hoja, django_assert_max_num_queries, django_assert_num_queries
):
    viewer.get("/api/user/")

    def pagina():
        assert viewer.get(URL, {"ot": "OT-2026-050", "anio": 2026, "mes": 5}).status_code == 200

    with django_assert_max_num_queries(50) as una:
        pagina()
    for n in range(5):
        anexo = hoja["tubo"].concepto.anexo
        linea_de(hoja["ot"], concepto=ConceptoFactory(anexo=anexo, partida=f"9.{n}"))
    with django_assert_num_queries(len(una)):
        pagina()


def _rejilla(html: str) -> dict[str, Any]:
    found = re.search(r'<script id="datos-rejilla" type="application/json">(.*?)</script>', html)
    assert found is not None
    return dict(json.loads(found.group(1)))


def test_the_grid_gets_the_sheet_its_version_and_what_it_may_change(viewer, capturista, hoja):
    params = {"ot": "OT-2026-050", "anio": 2026, "mes": 5}
    lectura = viewer.get(URL, params)
    captura = capturista.get(URL, params)
    api = capturista.get("/operaciones/api/produccion/sabana/", {**params, "ot": hoja["ot"].pk})

    rejilla = _rejilla(page_html(captura))
    assert rejilla == {
        "datos": api.json(),
        "version": api["ETag"],
        "api": f"/operaciones/api/produccion/sabana/?ot={hoja['ot'].pk}&anio=2026&mes=5"
        "&tipo_tiempo=TE",
        "editable": True,
        "primer_dia_futuro": 32,  # May 2026 is over
        "reportes": {
            "api": f"/operaciones/api/ots/{hoja['ot'].pk}/reportes-diarios/?anio=2026&mes=5",
            "sitio": hoja["ot"].sitio_id,
            "editable": True,
            "estados": ["PENDIENTE", "PROCESO", "FALTA FIRMA PEMEX", "FIRMADO"],
        },
    }
    assert _rejilla(page_html(lectura))["editable"] is False
    assert _rejilla(page_html(lectura))["reportes"]["editable"] is False
    assert '<script id="textos-rejilla" type="application/json">' in page_html(captura)
    # The grid's script and its library, from this site; no script written into the page.
    assert "/static/vendor/tabulator/tabulator.min.js" in page_html(captura)
    assert "/static/produccion/sabana.js" in page_html(captura)
    assert not re.search(r"<script(?![^>]*(src=|application/json))", page_html(captura))


def test_a_month_to_come_takes_nothing_yet(capturista, hoja):
    hoy = datetime.date.today()
    response = capturista.get(URL, {"ot": "OT-2026-050", "anio": hoy.year + 1, "mes": 1})

    assert _rejilla(page_html(response))["primer_dia_futuro"] == 1
