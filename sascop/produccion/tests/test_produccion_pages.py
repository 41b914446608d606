"""The production pages: the list (filters, export, permissions, query counts) and the
capture (one day of an OT, rows pasted from Excel with a preview, all-or-nothing)."""

from __future__ import annotations

import datetime
import io
import re
from decimal import Decimal
from http import HTTPStatus
from typing import Any

import pytest
from django.test import Client
from openpyxl import load_workbook

from sascop.catalogos.tests.factories import SitioFactory
from sascop.core.tests.navegador import csrf_token, page_html
from sascop.ots.tests.factories import OTFactory
from sascop.precios.tests.factories import AnexoFactory, ConceptoFactory, linea_de
from sascop.produccion.models import Produccion
from sascop.produccion.tests.factories import ProduccionFactory

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "vista-previa"}


def _texto(response) -> str:
    """The page's text as a person reads it (no tags, single spaces)."""
    return " ".join(re.sub(r"<[^>]+>", " ", page_html(response)).split())


@pytest.fixture
def obra():
    """An OT with a site and an anexo of two lines to capture against; another OT with a
    line of its own."""
    ot = OTFactory(orden_trabajo="OT-2026-017")
    c5 = AnexoFactory(clave="C-5")
    otra = OTFactory()
    return {
        "ot": ot,
        "p1": linea_de(
            ot, concepto=ConceptoFactory(anexo=c5, partida="2.1", concepto="Inspección visual")
        ),
        "p2": linea_de(
            ot, concepto=ConceptoFactory(anexo=c5, partida="4.4", concepto="Limpieza de lastre")
        ),
        "otra": otra,
        "p3": linea_de(otra, concepto=ConceptoFactory(anexo=c5, partida="4.5", concepto="Otra")),
        "otro_sitio": SitioFactory(descripcion="Plataforma Akal-C", frente=ot.sitio.frente),
    }


# --- List --------------------------------------------------------------------------------


def test_list_shows_rows_with_es_mx_figures_and_filters_by_ot_and_dates(viewer, obra):
    ProduccionFactory(
        ot=obra["ot"],
        partida_anexo=obra["p1"],
        fecha_produccion=datetime.date(2026, 3, 2),
        volumen_produccion=Decimal("1234.5"),
    )
    ProduccionFactory(
        ot=obra["otra"], partida_anexo=obra["p3"], fecha_produccion=datetime.date(2026, 3, 3)
    )

    todas = _texto(viewer.get("/produccion/"))
    filtrada = _texto(viewer.get("/produccion/?ot=OT-2026-017&fecha_desde=2026-03-01"))

    assert "2 filas de producción" in todas
    assert "1 fila de producción" in filtrada
    assert "1,234.50" in filtrada and "02/03/2026" in filtrada
    assert "Inspección visual" in filtrada and "Otra" not in filtrada


def test_the_ot_filter_takes_its_id_from_links_and_says_when_it_is_unknown(viewer, obra):
    ProduccionFactory(ot=obra["ot"], partida_anexo=obra["p1"])
    ProduccionFactory(ot=obra["otra"], partida_anexo=obra["p3"])

    por_id = _texto(viewer.get(f"/produccion/?ot={obra['ot'].pk}"))
    desconocida = _texto(viewer.get("/produccion/?ot=NO-EXISTE"))

    assert "1 fila de producción" in por_id
    assert "No hay una OT «NO-EXISTE»" in desconocida and "2 filas de producción" in desconocida


def test_partida_filter_takes_the_key_as_people_write_it(viewer, obra):
    ProduccionFactory(ot=obra["ot"], partida_anexo=obra["p1"])
    ProduccionFactory(ot=obra["ot"], partida_anexo=obra["p2"])

    for escrita in ("2.1", "2.1."):
        html = _texto(viewer.get(f"/produccion/?partida={escrita}"))
        assert "1 fila de producción" in html and "Inspección visual" in html


def test_export_writes_the_filtered_rows_as_a_typed_workbook(viewer, obra):
    ProduccionFactory(
        ot=obra["ot"], partida_anexo=obra["p1"], fecha_produccion=datetime.date(2026, 3, 2)
    )
    ProduccionFactory(ot=obra["otra"], partida_anexo=obra["p3"])

    response = viewer.get("/produccion/?ot=OT-2026-017&exportar=xlsx")
    hoja = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active

    assert response.status_code == HTTPStatus.OK
    filas = list(hoja.iter_rows(values_only=True))
    assert filas[0][:4] == ("Fecha", "Orden de trabajo", "Anexo", "Partida")
    assert len(filas) == 2
    assert filas[1][0] == datetime.datetime(2026, 3, 2)
    assert filas[1][2:4] == ("C-5", "2.1")
    assert filas[1][8] == 10.5  # a number, not text
    assert hoja.freeze_panes == "A2"


def test_the_api_list_exports_too(viewer, obra):
    ProduccionFactory(ot=obra["ot"], partida_anexo=obra["p1"])

    response = viewer.get(f"/operaciones/api/produccion/?ot={obra['ot'].pk}&formato=xlsx")
    hoja = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active

    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert hoja.max_row == 2


def test_list_queries_do_not_grow_with_the_page(viewer, obra, assert_same_queries):
    viewer.get("/api/user/")
    for _ in range(2):
        ProduccionFactory(ot=obra["ot"], partida_anexo=obra["p1"])

    def small():
        assert viewer.get("/produccion/?por_pagina=50").status_code == 200

    small()
    for _ in range(28):
        ProduccionFactory(ot=obra["otra"], partida_anexo=obra["p3"])

    def large():
        assert "30 filas de producción" in _texto(viewer.get("/produccion/?por_pagina=50"))

    assert_same_queries(small, large)


def test_an_anonymous_visit_goes_to_the_login_page(client):
    response = client.get("/produccion/captura/?ot=7")

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == "/accounts/login/?next=%2Fproduccion%2Fcaptura%2F%3Fot%3D7"


def test_consulta_reads_the_list_but_cannot_capture(viewer, obra):
    assert viewer.get("/produccion/").status_code == HTTPStatus.OK
    assert "Capturar producción" not in page_html(viewer.get("/produccion/"))
    assert viewer.get("/produccion/captura/").status_code == HTTPStatus.FORBIDDEN


# --- Capture -----------------------------------------------------------------------------


def _pegar(c: Client, ot: str, texto: str, accion: str, **headers: Any) -> Any:
    return c.post(
        f"/produccion/captura/?ot={ot}",
        {"accion": accion, "texto": texto, "csrfmiddlewaretoken": csrf_token(c)},
        **headers,
    )


def test_capture_needs_the_csrf_token(capturista, obra):
    capturista.get("/produccion/captura/?ot=OT-2026-017")
    response = capturista.post(
        "/produccion/captura/?ot=OT-2026-017", {"accion": "guardar", "texto": "x"}
    )

    assert response.status_code == HTTPStatus.FORBIDDEN
    assert not Produccion.objects.exists()


def test_a_paste_with_one_bad_row_is_previewed_row_by_row_and_nothing_is_saved(capturista, obra):
    capturista.get("/produccion/captura/?ot=OT-2026-017")
    texto = (
        "Fecha\tPartida\tVolumen\tSitio\n"
        "02/03/2026\t2.1\t1,250.5\t\n"
        "03/03/2026\t9.9\t3\t\n"
        "04/03/2026\t4.4\t2,5\tPlataforma Akal-C\n"
    )

    preview = _pegar(capturista, "OT-2026-017", texto, "revisar", **HTMX)
    html = page_html(preview)

    assert preview.status_code == HTTPStatus.OK
    assert "<html" not in html  # only the preview, swapped in place
    assert "1 de 3 filas tienen errores" in html
    assert "La partida 9.9 no está entre las de esta OT." in html
    assert html.count('class="fila-bien"') == 2
    assert not Produccion.objects.exists()

    guardar = _pegar(capturista, "OT-2026-017", texto, "guardar")
    assert guardar.status_code == HTTPStatus.BAD_REQUEST
    assert "No se guardó nada" in page_html(guardar)
    assert not Produccion.objects.exists()


def test_a_good_paste_is_saved_all_at_once_and_the_list_shows_it(capturista, obra):
    capturista.get("/produccion/captura/?ot=OT-2026-017")
    texto = "02/03/2026\t\t2.1.\t1,250.5\tCMA\n2026-03-03\t\t4.4\t2,5\t\t\tbuzo 2\n"

    preview = page_html(_pegar(capturista, "OT-2026-017", texto, "revisar", **HTMX))
    response = _pegar(capturista, "OT-2026-017", texto, "guardar")

    assert "Las 2 filas están bien" in preview
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"].startswith("/produccion/?ot=OT-2026-017&fecha_desde=2026-03-02")
    filas = Produccion.objects.order_by("fecha_produccion")
    assert [(f.partida_anexo, f.volumen_produccion, f.tipo_tiempo) for f in filas] == [
        (obra["p1"], Decimal("1250.5"), "CMA"),
        (obra["p2"], Decimal("2.5"), "TE"),
    ]
    assert filas[1].comentario == "buzo 2" and filas[1].sitio == obra["ot"].sitio
    assert "Se guardaron 2 filas" in page_html(capturista.get(response["Location"]))


def test_a_paste_repeating_stored_production_marks_that_row(capturista, obra):
    ProduccionFactory(
        ot=obra["ot"],
        partida_anexo=obra["p1"],
        sitio=obra["ot"].sitio,
        fecha_produccion=datetime.date(2026, 3, 2),
    )
    capturista.get("/produccion/captura/?ot=OT-2026-017")
    texto = "02/03/2026\t\t4.4\t1\n02/03/2026\t\t2.1\t1\n"

    html = page_html(_pegar(capturista, "OT-2026-017", texto, "revisar", **HTMX))

    filas = re.findall(r'<tr class="(fila-[a-z-]+)">', html)
    assert filas == ["fila-bien", "fila-con-error"]
    assert "Ya hay producción" in html
    assert Produccion.objects.count() == 1


def _lineas(page: str) -> tuple[dict[str, str], dict[str, str]]:
    """The day form's hidden line fields (`linea-<i>`: the line's id) and each line's
    number `<i>` by the key shown in its row ("C-5 2.1")."""
    filas = re.findall(
        r'<th scope="row" class="nowrap">([^<]+)</th>.*?name="linea-(\d+)" value="(\d+)"',
        page,
        flags=re.DOTALL,
    )
    return {f"linea-{i}": pk for _clave, i, pk in filas}, {clave: i for clave, i, _pk in filas}


def _formulario_dia(capturista: Client) -> tuple[dict[str, str], dict[str, str]]:
    """The day form of OT-2026-017 as the page shows it: its line fields (`_lineas`)."""
    return _lineas(page_html(capturista.get("/produccion/captura/?ot=OT-2026-017")))


def _enviar_dia(capturista: Client, datos: dict[str, str]) -> Any:
    """Send OT-2026-017's day form for 2026-03-05 (TE) with `datos`."""
    return capturista.post(
        "/produccion/captura/?ot=OT-2026-017",
        {
            "accion": "dia",
            "fecha": "2026-03-05",
            "tipo_tiempo": "TE",
            **datos,
            "csrfmiddlewaretoken": csrf_token(capturista),
        },
    )


def test_one_day_of_an_ot_is_captured_line_by_line(capturista, obra):
    campos, por_clave = _formulario_dia(capturista)

    response = _enviar_dia(
        capturista,
        {
            "sitio": "",
            "comentario": "",
            **campos,
            f"vol-{por_clave['C-5 2.1']}": "12.5",
            f"vol-{por_clave['C-5 4.4']}": "",
        },
    )

    assert response.status_code == HTTPStatus.FOUND
    (fila,) = Produccion.objects.all()
    assert (fila.partida_anexo, fila.volumen_produccion) == (obra["p1"], Decimal("12.5"))
    assert fila.fecha_produccion == datetime.date(2026, 3, 5)


def test_a_bad_volume_in_the_day_is_marked_on_its_line(capturista, obra):
    claves, _por_clave = _formulario_dia(capturista)

    response = _enviar_dia(
        capturista, {**claves, **{k.replace("linea", "vol"): "-3" for k in claves}}
    )

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "El volumen debe ser mayor que cero." in page_html(response)
    assert 'aria-invalid="true"' in page_html(response)
    assert not Produccion.objects.exists()


def test_an_unknown_ot_is_said_next_to_the_field(capturista):
    response = capturista.get("/produccion/captura/?ot=NO-EXISTE")

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "No hay una OT «NO-EXISTE»" in page_html(response)


def test_a_key_in_two_anexos_needs_the_anexo_and_a_line_of_another_ot_is_refused(capturista, obra):
    linea_de(
        obra["ot"],
        concepto=ConceptoFactory(anexo=AnexoFactory(clave="C-5-1"), partida="2.1", concepto="X"),
    )
    capturista.get("/produccion/captura/?ot=OT-2026-017")
    texto = (
        "02/03/2026\t\t2.1\t1\n"
        "02/03/2026\tc 5 1\t2.1\t1\n"
        "02/03/2026\t\t4.5\t1\n"
        "32/03/2026\t\t4.4\tuno\n"
    )

    html = page_html(_pegar(capturista, "OT-2026-017", texto, "revisar", **HTMX))

    assert re.findall(r'<tr class="(fila-[a-z-]+)">', html) == [
        "fila-con-error",
        "fila-bien",
        "fila-con-error",
        "fila-con-error",
    ]
    assert "La partida 2.1 está en varios anexos (C-5, C-5-1): indica cuál." in html
    assert "La partida 4.5 no está entre las de esta OT." in html
    assert "«32/03/2026» no es una fecha" in html and "«uno» no es un volumen." in html


def _oficios(ot):
    """Two trades of C-4's partida 4.7 on the OT's anexo: one key, two concepts."""
    c4 = AnexoFactory(clave="C-4")
    return [
        linea_de(ot, concepto=ConceptoFactory(anexo=c4, partida="4.7", concepto=texto))
        for texto in ("OPERARIO ESPECIALISTA (TUBERO)", "OPERARIO ESPECIALISTA (ELÉCTRICO)")
    ]


def test_a_pasted_row_of_a_shared_partida_is_told_apart_by_its_concept_text(capturista, obra):
    tubero, electrico = _oficios(obra["ot"])
    capturista.get("/produccion/captura/?ot=OT-2026-017")
    texto = (
        "Fecha\tPartida\tConcepto\tVolumen\n"
        "02/03/2026\t4.7\toperario  especialista (electrico)\t2\n"
        "02/03/2026\t4.7\tOPERARIO ESPECIALISTA (TUBERO)\t3\n"
        "03/03/2026\t4.7\t\t1\n"
        "03/03/2026\t4.7\tOPERARIO ESPECIALISTA (PINTOR)\t1\n"
    )

    html = page_html(_pegar(capturista, "OT-2026-017", texto, "revisar", **HTMX))

    assert re.findall(r'<tr class="(fila-[a-z-]+)">', html) == [
        "fila-bien", "fila-bien", "fila-con-error", "fila-con-error",
    ]  # fmt: skip
    assert "La partida C-4 4.7 tiene varios conceptos en esta OT" in html
    assert "«OPERARIO ESPECIALISTA (PINTOR)» no es uno de los conceptos" in html

    lineas = texto.splitlines()
    _pegar(capturista, "OT-2026-017", "\n".join(lineas[:3]), "guardar")

    guardadas = dict(Produccion.objects.values_list("partida_anexo", "volumen_produccion"))
    assert guardadas == {electrico.pk: Decimal("2"), tubero.pk: Decimal("3")}


def test_the_day_form_keeps_each_trade_of_a_shared_partida_on_its_own_line(capturista, obra):
    tubero, electrico = _oficios(obra["ot"])
    campos, _por_clave = _formulario_dia(capturista)
    por_linea = {pk: campo.removeprefix("linea-") for campo, pk in campos.items()}

    response = _enviar_dia(
        capturista,
        {
            "sitio": "",
            "comentario": "",
            **campos,
            f"vol-{por_linea[str(tubero.pk)]}": "8",
            f"vol-{por_linea[str(electrico.pk)]}": "4",
        },
    )

    assert response.status_code == HTTPStatus.FOUND
    guardadas = dict(Produccion.objects.values_list("partida_anexo", "volumen_produccion"))
    assert guardadas == {tubero.pk: Decimal("8"), electrico.pk: Decimal("4")}
    # Loaded again to correct it, each trade shows its own volume.
    page = page_html(
        capturista.get("/produccion/captura/?ot=OT-2026-017&fecha=2026-03-05&tipo_tiempo=TE")
    )
    for linea, volumen in ((tubero, "8"), (electrico, "4")):
        i = por_linea[str(linea.pk)]
        assert re.search(rf'id="vol-{i}" name="vol-{i}" value="{volumen}"', page)


# --- Correcting a day already captured ---------------------------------------------------


def _dia(capturista, obra, volumenes: dict[str, str], mostrados: dict[str, str]):
    campos, por_clave = _formulario_dia(capturista)
    return _enviar_dia(
        capturista,
        {
            "sitio": "",
            "comentario": "",
            **campos,
            **{f"vol-{por_clave[c]}": v for c, v in volumenes.items()},
            **{f"antes-{por_clave[c]}": v for c, v in mostrados.items()},
        },
    )


def test_the_day_loads_what_is_stored_and_corrects_it(capturista, obra):
    ProduccionFactory(
        ot=obra["ot"], partida_anexo=obra["p1"], fecha_produccion=datetime.date(2026, 3, 5),
        volumen_produccion=Decimal("12.5"),
    )  # fmt: skip
    ProduccionFactory(
        ot=obra["ot"], partida_anexo=obra["p2"], fecha_produccion=datetime.date(2026, 3, 5),
        volumen_produccion=Decimal("3"),
    )  # fmt: skip

    cargada = capturista.get(
        "/produccion/captura/",
        {"ot": "OT-2026-017", "fecha": "2026-03-05", "tipo_tiempo": "TE", "sitio": ""},
    )
    html = page_html(cargada)
    assert cargada.status_code == HTTPStatus.OK
    assert re.search(r'name="antes-\d+" value="12.5"', html)
    assert re.search(r'name="vol-\d+" value="12.5"', html)
    assert re.search(r'name="vol-\d+" value="3"', html)
    assert 'value="2026-03-05"' in html

    # 12.5 corrected to 14, 3 emptied: deleted.
    response = _dia(
        capturista, obra, {"C-5 2.1": "14", "C-5 4.4": ""}, {"C-5 2.1": "12.5", "C-5 4.4": "3"}
    )

    assert response.status_code == HTTPStatus.FOUND, _texto(response)
    assert list(Produccion.objects.values_list("partida_anexo", "volumen_produccion")) == [
        (obra["p1"].pk, Decimal("14"))
    ]


def test_an_empty_line_the_page_did_not_show_is_left_alone(capturista, obra):
    ProduccionFactory(
        ot=obra["ot"], partida_anexo=obra["p2"], fecha_produccion=datetime.date(2026, 3, 5),
        volumen_produccion=Decimal("3"),
    )  # fmt: skip

    # The page was not loaded for that day: 4.4 was never shown, so its blank keeps it.
    response = _dia(capturista, obra, {"C-5 2.1": "2", "C-5 4.4": ""}, {})

    assert response.status_code == HTTPStatus.FOUND
    assert sorted(Produccion.objects.values_list("partida_anexo", "volumen_produccion")) == sorted(
        [(obra["p1"].pk, Decimal("2")), (obra["p2"].pk, Decimal("3"))]
    )


def test_a_bad_correction_saves_nothing(capturista, obra):
    ProduccionFactory(
        ot=obra["ot"], partida_anexo=obra["p1"], fecha_produccion=datetime.date(2026, 3, 5),
        volumen_produccion=Decimal("12.5"),
    )  # fmt: skip

    response = _dia(capturista, obra, {"C-5 2.1": "-1", "C-5 4.4": "2"}, {"C-5 2.1": "12.5"})

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert 'aria-invalid="true"' in page_html(response)
    assert list(Produccion.objects.values_list("volumen_produccion", flat=True)) == [
        Decimal("12.5")
    ]


# --- OT suggestions ----------------------------------------------------------------------


def test_ot_suggestions_find_part_of_the_number_or_of_the_description(
    viewer, obra, assert_same_queries
):
    OTFactory(orden_trabajo="OT-GRZ-801-24-013", descripcion_trabajo="Mantenimiento a ducto")
    OTFactory(orden_trabajo="OT-ABC-1", descripcion_trabajo="Inspección 801 de boyas")
    viewer.get("/api/user/")

    def pedir():
        return viewer.get("/produccion/ots/", {"q": "801-24"})

    una = assert_same_queries(pedir, pedir)
    for n in range(20):
        OTFactory(orden_trabajo=f"OT-XYZ-801-24-{n:03d}")
    assert assert_same_queries(pedir, pedir) == una
    assert len(pedir().json()["ots"]) == 15  # the first 15

    OTFactory._meta.model.objects.filter(orden_trabajo__startswith="OT-XYZ").delete()
    por_numero = pedir()
    por_texto = viewer.get("/produccion/ots/", {"q": "ducto"})
    los_dos = viewer.get("/produccion/ots/", {"q": "801"})

    assert por_numero.status_code == HTTPStatus.OK
    assert por_numero.json() == {
        "ots": [{"orden_trabajo": "OT-GRZ-801-24-013", "descripcion": "Mantenimiento a ducto"}]
    }
    assert [o["orden_trabajo"] for o in por_texto.json()["ots"]] == ["OT-GRZ-801-24-013"]
    assert [o["orden_trabajo"] for o in los_dos.json()["ots"]] == [
        "OT-ABC-1",
        "OT-GRZ-801-24-013",
    ]
    assert viewer.get("/produccion/ots/", {"q": ""}).json() == {"ots": []}
