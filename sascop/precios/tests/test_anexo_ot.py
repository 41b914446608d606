"""An OT's anexo: import against the price book, versions, totals, exports, the refused
workbook with observations, permissions and limits."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal
from http import HTTPStatus
from unittest.mock import ANY

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sascop.actividad.models import RegistroActividad
from sascop.core.tests.test_openapi_document import assert_documented
from sascop.ots.tests.factories import OTFactory
from sascop.precios import libros_salida, services
from sascop.precios.models import (
    AnexoOT,
    ImportacionAnexoFallida,
    PartidaAnexoOT,
    ProgramaDiario,
    TipoCambio,
)
from sascop.precios.tests.factories import AnexoFactory, ConceptoFactory, PUEFactory
from sascop.precios.tests.libros import NO_ES_UN_LIBRO, TITULOS, xlsx

# A client that asks for Spanish: the messages asserted are the users' wording.
ES_MX = {"HTTP_ACCEPT_LANGUAGE": "es-MX"}
pytestmark = pytest.mark.django_db
ENCABEZADO = ["ANEXO", "PARTIDA", "CONCEPTO", "UNIDAD", "VOLUMEN PTE", "P.U. M.N.", "P.U. USD"]


@pytest.fixture
def ot():
    return OTFactory()


@pytest.fixture
def catalogo():
    c5 = AnexoFactory(clave="C-5")
    return {
        "2.1": ConceptoFactory(
            anexo=c5, partida="2.1", concepto="Tubería de 8 pulgadas", unidad="DIA",
            pu_mn=Decimal("1234.50"), pu_usd=Decimal("0.00"),
        ),
        "2.2": ConceptoFactory(
            anexo=c5, partida="2.2", concepto="Tubería de 10 pulgadas", unidad="DIA",
            pu_mn=Decimal("1500.00"), pu_usd=Decimal("15.50"),
        ),
        "3": ConceptoFactory(
            anexo=c5, partida="3", concepto="Buzo de saturación", unidad="HOM/DIA",
            pu_mn=Decimal("0.00"), pu_usd=Decimal("950.25"),
        ),
    }  # fmt: skip


@pytest.fixture
def ingenieria(role_client):
    return role_client("Ingeniería")


def url(ot_id: int) -> str:
    return f"/operaciones/api/ots/{ot_id}/anexo/"


def libro(*filas, fechas=()) -> bytes:
    return xlsx({"Anexo OT": [*TITULOS, [*ENCABEZADO, *fechas], *filas]})


BUENO = [
    ["C-5", "2.1.", "Tubería de 8 pulgadas", "Día", 10, 999, None, 4, 6],
    ["C-5", 2.2, "TUBERIA DE 10 PULGADAS.", "dia", 2.5, None, None],
]


def importar(client, csrf, ot_id, datos: bytes, **extra):
    archivo = SimpleUploadedFile("anexo.xlsx", datos)
    return client.post(url(ot_id), {"archivo": archivo, **extra}, **csrf(client), **ES_MX)


def test_a_good_workbook_becomes_version_1_with_the_catalogs_prices(ingenieria, csrf, ot, catalogo):
    datos = libro(*BUENO, fechas=[datetime.date(2026, 3, 2), "2026-03-03"])

    response = importar(ingenieria, csrf, ot.pk, datos)

    assert response.status_code == HTTPStatus.CREATED, response.content
    # 10 times 1234.50 (the sheet's 999 loses) + 2.5 times 1500; 2.5 times 15.50 in dollars.
    assert response.json() == {
        "version": 1,
        "partidas": 2,
        "importe_mn": "16095.00",
        "importe_usd": "38.75",
    }
    anexo = AnexoOT.objects.get()
    assert (anexo.ot_id, anexo.version, anexo.activo, anexo.nombre_archivo) == (
        ot.pk, 1, True, "anexo.xlsx",
    )  # fmt: skip
    programa = ProgramaDiario.objects.values_list("partida__concepto__partida", "fecha", "volumen")
    assert list(programa) == [
        ("2.1", datetime.date(2026, 3, 2), Decimal("4.0000")),
        ("2.1", datetime.date(2026, 3, 3), Decimal("6.0000")),
    ]  # fmt: skip
    registro = RegistroActividad.objects.get(entidad="anexoot")
    assert (registro.accion, registro.entidad_id, registro.valor_nuevo) == (
        "crear", str(anexo.pk), f"Anexo de OT {ot.pk} v1",
    )  # fmt: skip


def test_get_returns_lines_totals_and_the_rate_in_force(
    ingenieria, csrf, ot, catalogo, time_machine
):
    time_machine.move_to("2026-03-10T12:00:00-06:00", tick=False)
    TipoCambio.objects.create(fecha=datetime.date(2020, 1, 1), valor=Decimal("19.1648"))
    TipoCambio.objects.create(fecha=datetime.date(2026, 3, 1), valor=Decimal("20.0000"))
    TipoCambio.objects.create(fecha=datetime.date(2026, 4, 1), valor=Decimal("21.0000"))
    importar(ingenieria, csrf, ot.pk, libro(*BUENO, fechas=["2026-03-02"]))
    consulta = ingenieria

    response = consulta.get(url(ot.pk))

    assert response.status_code == HTTPStatus.OK
    assert response.json() == {
        "version": 1,
        "activo": True,
        "creado_en": "2026-03-10T18:00:00Z",
        "partidas": [
            {
                "id": ANY, "anexo": "C-5", "partida": "2.1", "concepto": "Tubería de 8 pulgadas",
                "unidad": "DIA", "volumen": "10.0000", "pu_mn": "1234.50", "pu_usd": "0.00",
                "importe_mn": "12345.00", "importe_usd": "0.00", "ejecutado": "0.0000",
                "excedente": "0.0000", "programa": {"2026-03-02": "4.0000"},
            },
            {
                "id": ANY, "anexo": "C-5", "partida": "2.2", "concepto": "Tubería de 10 pulgadas",
                "unidad": "DIA", "volumen": "2.5000", "pu_mn": "1500.00", "pu_usd": "15.50",
                "importe_mn": "3750.00", "importe_usd": "38.75", "ejecutado": "0.0000",
                "excedente": "0.0000", "programa": {},
            },
        ],
        "totales": {"importe_mn": "16095.00", "importe_usd": "38.75", "homologado_mn": "16870.00"},
        "tipo_cambio": {"fecha": "2026-03-01", "valor": "20.0000"},
    }  # fmt: skip
    etag = response["ETag"]
    assert etag.startswith('"') and consulta.get(url(ot.pk))["ETag"] == etag
    TipoCambio.objects.filter(fecha=datetime.date(2026, 3, 1)).update(valor=Decimal("20.5"))
    assert consulta.get(url(ot.pk))["ETag"] != etag


def test_get_queries_do_not_grow_with_the_lines(
    ingenieria, csrf, ot, catalogo, assert_same_queries
):
    importar(ingenieria, csrf, ot.pk, libro(BUENO[0]))
    todas = libro(
        *BUENO,
        ["C-5", "3", "Buzo de saturación", "HOM/DIA", 1, None, None, 1, 1],
        fechas=["2026-03-02", "2026-03-03"],
    )
    importar(ingenieria, csrf, ot.pk, todas)
    ingenieria.get(url(ot.pk))  # with Redis the user row is cached after a first request

    cuantas = assert_same_queries(
        lambda: ingenieria.get(url(ot.pk), {"version": 1}),
        lambda: ingenieria.get(url(ot.pk), {"version": 2}),
    )

    # session, user, permissions, OT, anexo, lines, programme, rate (fewer with Redis)
    assert cuantas <= 9


def test_without_a_rate_homologado_is_null(ingenieria, csrf, ot, catalogo):
    importar(ingenieria, csrf, ot.pk, libro(*BUENO))

    body = ingenieria.get(url(ot.pk)).json()

    assert body["totales"] == {
        "importe_mn": "16095.00",
        "importe_usd": "38.75",
        "homologado_mn": None,
    }
    assert body["tipo_cambio"] is None


def test_a_new_import_is_a_new_version_and_the_old_stays_readable(ingenieria, csrf, ot, catalogo):
    importar(ingenieria, csrf, ot.pk, libro(*BUENO))

    response = importar(
        ingenieria, csrf, ot.pk, libro(["C-5", "3", "Buzo de saturación", "HOM/DÍA", 2])
    )

    assert response.status_code == HTTPStatus.CREATED
    assert response.json() == {
        "version": 2, "partidas": 1, "importe_mn": "0.00", "importe_usd": "1900.50",
    }  # fmt: skip
    activa = ingenieria.get(url(ot.pk)).json()
    anterior = ingenieria.get(url(ot.pk), {"version": 1}).json()
    assert (activa["version"], activa["activo"], [p["partida"] for p in activa["partidas"]]) == (
        2, True, ["3"],
    )  # fmt: skip
    assert (anterior["version"], anterior["activo"], len(anterior["partidas"])) == (1, False, 2)
    falta = ingenieria.get(url(ot.pk), {"version": 3})
    assert falta.status_code == HTTPStatus.NOT_FOUND
    assert falta.json() == {
        "error": "Not found",
        "code": "not_found",
        "detail": f"OT {ot.pk} has no anexo version 3.",
    }


def test_actualizar_only_adds_new_lines(ingenieria, csrf, ot, catalogo):
    importar(ingenieria, csrf, ot.pk, libro(BUENO[0], fechas=["2026-03-02", "2026-03-03"]))
    hoja = libro(
        ["C-5", "2.1", "Tubería de 8 pulgadas", "DIA", 99],  # known: kept as it was
        ["C-5", "3", "Buzo de saturación", "HOM/DIA", 1],
    )

    response = importar(ingenieria, csrf, ot.pk, hoja, modo="actualizar")

    assert response.status_code == HTTPStatus.CREATED, response.content
    assert response.json()["version"] == 2
    partidas = ingenieria.get(url(ot.pk)).json()["partidas"]
    assert [(p["partida"], p["volumen"], p["programa"]) for p in partidas] == [
        ("2.1", "10.0000", {"2026-03-02": "4.0000", "2026-03-03": "6.0000"}),
        ("3", "1.0000", {}),
    ]


def test_bad_rows_are_a_422_nothing_is_stored_and_the_workbook_comes_back_annotated(
    ingenieria, csrf, ot, catalogo
):
    PUEFactory(anexo=catalogo["2.1"].anexo, partida="PUE-1", concepto="Grapa", unidad="PZA")
    datos = libro(
        BUENO[0],
        ["C-5", "9.9", "No existe", "DIA", 1],
        ["C-5", "2.2", "Otra cosa", "M2", 1],
        ["C-5", "PUE-1", "Grapa", "PZA", 1],
        ["C-5", "3", "Buzo de saturación", "HOM/DIA", "muchos"],
    )

    response = importar(ingenieria, csrf, ot.pk, datos)

    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    fallida = ImportacionAnexoFallida.objects.get()
    assert response.json() == {
        "error": "Invalid workbook",
        "code": "invalid_workbook",
        "detail": "Algunas filas del anexo están mal; no se importó nada.",
        "filas": [
            {"fila": 6, "partida": "9.9", "errores": [
                "La partida 9.9 del anexo C-5 no está en el catálogo de precios.",
            ]},
            {"fila": 7, "partida": "2.2", "errores": [
                "El CONCEPTO no es el del catálogo de precios: «Tubería de 10 pulgadas».",
                "La UNIDAD M2 no es la del catálogo de precios (DIA).",
            ]},
            {"fila": 8, "partida": "PUE-1", "errores": [
                "La partida PUE-1 aún no está autorizada."
            ]},
            {"fila": 9, "partida": "3", "errores": ["VOLUMEN PTE no es un número: «muchos»."]},
        ],
        "observaciones": f"/operaciones/api/ots/{ot.pk}/anexo/errores/{fallida.pk}/",
    }  # fmt: skip
    assert not AnexoOT.objects.exists() and not PartidaAnexoOT.objects.exists()
    assert not RegistroActividad.objects.filter(entidad="anexoot").exists()

    devuelto = ingenieria.get(response.json()["observaciones"])

    assert devuelto.status_code == HTTPStatus.OK
    assert devuelto["Content-Type"] == libros_salida.TIPO_XLSX
    hoja = openpyxl.load_workbook(io.BytesIO(devuelto.content)).worksheets[0]
    columna = [hoja.cell(row=n, column=10).value for n in range(1, 10)]  # after 4, 6
    assert columna == [
        None, None, None, "OBSERVACIONES", None,
        "La partida 9.9 del anexo C-5 no está en el catálogo de precios.",
        "El CONCEPTO no es el del catálogo de precios: «Tubería de 10 pulgadas». "
        "La UNIDAD M2 no es la del catálogo de precios (DIA).",
        "La partida PUE-1 aún no está autorizada.",
        "VOLUMEN PTE no es un número: «muchos».",
    ]  # fmt: skip
    assert hoja.cell(row=6, column=3).value == "No existe"  # the sender's sheet, as sent


def test_no_header_row_and_empty_sheet_are_422_with_the_whole_sheet_in_filas(
    ingenieria, csrf, ot, catalogo
):
    sin_encabezado = importar(ingenieria, csrf, ot.pk, xlsx({"A": [["ANEXO", "PARTIDA"], [1, 2]]}))
    vacia = importar(ingenieria, csrf, ot.pk, xlsx({"A": []}))

    assert sin_encabezado.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert sin_encabezado.json()["filas"] == [
        {
            "fila": None,
            "partida": None,
            "errores": [
                "No se encontró el encabezado: se esperaban las columnas ANEXO, PARTIDA, CONCEPTO, "
                "UNIDAD y VOLUMEN PTE en las primeras 30 filas."
            ],
        }
    ]
    assert vacia.json()["filas"] == [
        {"fila": None, "partida": None, "errores": ["La hoja está vacía."]}
    ]
    hoja = openpyxl.load_workbook(
        io.BytesIO(ingenieria.get(sin_encabezado.json()["observaciones"]).content)
    ).worksheets[0]
    assert (
        hoja.cell(row=1, column=3).value
        == "OBSERVACIONES " + (sin_encabezado.json()["filas"][0]["errores"][0])
    )


def _refusado(filas: int) -> bytes:
    """An anexo whose first sheet has a date, a money format and a gap of empty rows, `filas`
    wrong rows, and a second sheet: what comes back of each is checked."""
    libro = openpyxl.Workbook()
    hoja = libro.active
    hoja.title = "Anexo OT"
    for titulo in TITULOS:
        hoja.append(titulo)
    hoja.append([*ENCABEZADO, datetime.date(2026, 3, 2)])
    hoja.cell(row=4, column=8).number_format = "dd/mm/yyyy"
    hoja.append(BUENO[0][:7])
    hoja.cell(row=5, column=6).number_format = "#,##0.00"
    for n in range(filas):
        # Row 6 on, after two empty rows from the second wrong one.
        hoja.append([])
        hoja.append(["C-5", f"9.{n}", "No existe", "DIA", 1] if n else ["C-5", "9.9", "x"])
    otra = libro.create_sheet("Notas")
    otra.append(["Hoja que no se importa", 3])
    salida = io.BytesIO()
    libro.save(salida)
    return salida.getvalue()


def test_the_annotated_copy_keeps_every_sheet_value_format_and_row_number(
    ingenieria, csrf, ot, catalogo
):
    response = importar(ingenieria, csrf, ot.pk, _refusado(3))

    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert [(f["fila"], f["errores"]) for f in response.json()["filas"]] == [
        (7, ["Falta la unidad.", "Falta VOLUMEN PTE."]),
        (9, ["La partida 9.1 del anexo C-5 no está en el catálogo de precios."]),
        (11, ["La partida 9.2 del anexo C-5 no está en el catálogo de precios."]),
    ]
    devuelto = ingenieria.get(response.json()["observaciones"])
    assert devuelto.status_code == HTTPStatus.OK
    libro = openpyxl.load_workbook(io.BytesIO(devuelto.content))
    assert libro.sheetnames == ["Anexo OT", "Notas"]
    hoja = libro["Anexo OT"]
    # The widest row is the header's (eight columns): OBSERVACIONES is the ninth.
    assert [[c.value for c in fila] for fila in hoja.iter_rows(min_row=4)] == [
        [*ENCABEZADO, datetime.datetime(2026, 3, 2), "OBSERVACIONES"],
        [*BUENO[0][:7], None, None],
        [None] * 9,
        ["C-5", "9.9", "x", None, None, None, None, None, "Falta la unidad. Falta VOLUMEN PTE."],
        [None] * 9,
        ["C-5", "9.1", "No existe", "DIA", 1, None, None, None,
         "La partida 9.1 del anexo C-5 no está en el catálogo de precios."],
        [None] * 9,
        ["C-5", "9.2", "No existe", "DIA", 1, None, None, None,
         "La partida 9.2 del anexo C-5 no está en el catálogo de precios."],
    ]  # fmt: skip
    assert hoja.cell(row=4, column=9).font.bold
    assert hoja.cell(row=4, column=8).number_format == "dd/mm/yyyy"
    assert hoja.cell(row=5, column=6).number_format == "#,##0.00"
    assert [list(f) for f in libro["Notas"].iter_rows(values_only=True)] == [
        ["Hoja que no se importa", 3]
    ]


def test_the_annotated_copy_costs_the_same_queries_however_many_rows_are_wrong(
    ingenieria, csrf, ot, catalogo, django_assert_num_queries
):
    pocas = importar(ingenieria, csrf, ot.pk, _refusado(2)).json()["observaciones"]
    muchas = importar(ingenieria, csrf, ot.pk, _refusado(400)).json()["observaciones"]
    ingenieria.get(pocas)  # with Redis the user row is cached after a first request

    # At most: the session with its user, the user's and the groups' permissions, the
    # stored workbook (Redis may hold the first three).
    with CaptureQueriesContext(connection) as primera:
        assert ingenieria.get(pocas).status_code == HTTPStatus.OK
    assert len(primera) <= 4, [q["sql"] for q in primera]
    with django_assert_num_queries(len(primera)):
        devuelto = ingenieria.get(muchas)
    hoja = openpyxl.load_workbook(io.BytesIO(devuelto.content))["Anexo OT"]
    assert hoja.cell(row=6 + 2 * 399 + 1, column=9).value == (
        "La partida 9.399 del anexo C-5 no está en el catálogo de precios."
    )


def test_a_malformed_file_is_a_400_and_keeps_nothing(ingenieria, csrf, ot):
    response = importar(ingenieria, csrf, ot.pk, b"esto no es un libro")

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json() == NO_ES_UN_LIBRO
    assert not ImportacionAnexoFallida.objects.exists()


def test_refused_workbooks_are_kept_a_day_and_a_few_per_ot(ingenieria, csrf, ot, time_machine):
    malo = libro(["C-5", "1", "x", "DIA", 1])
    time_machine.move_to("2026-03-01T10:00:00Z", tick=False)
    viejo = importar(ingenieria, csrf, ot.pk, malo).json()["observaciones"]
    time_machine.move_to("2026-03-02T11:00:00Z", tick=False)
    for _ in range(services.FALLIDAS_POR_OT + 2):
        importar(ingenieria, csrf, ot.pk, malo)

    assert ImportacionAnexoFallida.objects.count() == services.FALLIDAS_POR_OT
    assert ingenieria.get(viejo).status_code == HTTPStatus.NOT_FOUND


def test_the_export_is_a_workbook_that_imports_back(ingenieria, csrf, ot, catalogo):
    importar(ingenieria, csrf, ot.pk, libro(*BUENO, fechas=["2026-03-02", "2026-03-03"]))

    exportado = ingenieria.get(url(ot.pk), {"formato": "xlsx"})

    assert exportado.status_code == HTTPStatus.OK
    assert exportado["Content-Type"] == libros_salida.TIPO_XLSX
    assert exportado["Content-Disposition"] == f'attachment; filename="anexo-ot-{ot.pk}-v1.xlsx"'
    otra = importar(ingenieria, csrf, ot.pk, exportado.content)
    assert otra.status_code == HTTPStatus.CREATED, otra.content
    assert otra.json() == {
        "version": 2, "partidas": 2, "importe_mn": "16095.00", "importe_usd": "38.75",
    }  # fmt: skip
    assert ingenieria.get(url(ot.pk)).json()["partidas"][0]["programa"] == {
        "2026-03-02": "4.0000",
        "2026-03-03": "6.0000",
    }


def test_permissions_read_with_ot_view_import_with_ingenieria_or_administracion(
    role_client, csrf, ot, catalogo
):
    consulta = role_client("Consulta")
    administracion = role_client("Administración")

    refused = importar(consulta, csrf, ot.pk, libro(*BUENO))
    accepted = importar(administracion, csrf, ot.pk, libro(*BUENO))

    assert refused.status_code == HTTPStatus.FORBIDDEN
    assert refused.json()["code"] == "permission_denied"
    assert accepted.status_code == HTTPStatus.CREATED
    assert consulta.get(url(ot.pk)).status_code == HTTPStatus.OK
    assert consulta.get(f"{url(ot.pk)}errores/1/").status_code == HTTPStatus.FORBIDDEN


def test_unknown_ot_and_ot_without_anexo_are_404(ingenieria, csrf, ot, catalogo):
    assert importar(ingenieria, csrf, 999999, libro(*BUENO)).json() == {
        "error": "Not found",
        "code": "not_found",
        "detail": "La OT 999999 no existe.",
    }
    assert ingenieria.get(url(ot.pk)).json() == {
        "error": "Not found",
        "code": "not_found",
        "detail": f"OT {ot.pk} has no anexo yet.",
    }


def test_uploads_over_the_limit_are_refused(ingenieria, csrf, ot, catalogo, settings):
    settings.MAX_UPLOAD_BODY_BYTES = 1000

    response = importar(ingenieria, csrf, ot.pk, libro(*BUENO))

    assert response.status_code == HTTPStatus.REQUEST_ENTITY_TOO_LARGE
    assert not AnexoOT.objects.exists()


def test_a_file_past_the_general_limit_reaches_the_import(ingenieria, csrf, ot, catalogo, settings):
    relleno = b"\0" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)

    response = importar(ingenieria, csrf, ot.pk, relleno + libro(*BUENO))

    assert response.status_code == HTTPStatus.CREATED, response.content


@pytest.fixture
def document(client):
    return client.get("/api/schema/", {"format": "json"}).json()


def test_every_anexo_answer_is_documented(document, ingenieria, csrf, ot, catalogo):
    ruta = "/operaciones/api/ots/{ot_id}/anexo/"
    TipoCambio.objects.create(fecha=datetime.date(2020, 1, 1), valor=Decimal("19.1648"))

    creado = importar(ingenieria, csrf, ot.pk, libro(*BUENO, fechas=["2026-03-02"]))
    leido = ingenieria.get(url(ot.pk))
    rechazado = importar(ingenieria, csrf, ot.pk, libro(["C-5", "1", "x", "DIA", 1]))
    ilegible = importar(ingenieria, csrf, ot.pk, b"nada")
    mala_version = ingenieria.get(url(ot.pk), {"version": "x"})

    assert [r.status_code for r in (creado, leido, rechazado, ilegible, mala_version)] == [
        201, 200, 422, 400, 400,
    ]  # fmt: skip
    assert_documented(document, "POST", ruta, creado)
    assert_documented(document, "GET", ruta, leido)
    # Error bodies carry only some of the envelope's optional keys: no strict check, but
    # every key they send is documented.
    for metodo, respuesta in (("post", rechazado), ("post", ilegible), ("get", mala_version)):
        cuerpo = document["paths"][ruta][metodo]["responses"][str(respuesta.status_code)]
        nombre = cuerpo["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
        assert set(respuesta.json()) <= set(document["components"]["schemas"][nombre]["properties"])
    assert {"filas", "observaciones"} <= set(
        document["components"]["schemas"]["AnexoError"]["required"]
    )
    sin_tasa = TipoCambio.objects.all().delete() and ingenieria.get(url(ot.pk))
    assert_documented(document, "GET", ruta, sin_tasa)
    operacion = document["paths"][ruta]["get"]["responses"]["200"]["content"]
    assert sorted(operacion) == ["application/json", libros_salida.TIPO_XLSX]
    errores = document["paths"][ruta + "errores/{importacion_id}/"]["get"]["responses"]
    assert list(errores["200"]["content"]) == [libros_salida.TIPO_XLSX]


def test_asking_for_the_workbook_type_only_is_not_a_406(ingenieria, csrf, ot, catalogo):
    importar(ingenieria, csrf, ot.pk, libro(*BUENO))

    exportado = ingenieria.get(url(ot.pk), {"formato": "xlsx"}, HTTP_ACCEPT=libros_salida.TIPO_XLSX)
    falta = ingenieria.get(url(ot.pk), {"version": 9}, HTTP_ACCEPT=libros_salida.TIPO_XLSX)

    assert exportado.status_code == HTTPStatus.OK
    assert falta.status_code == HTTPStatus.NOT_FOUND
    assert falta["Content-Type"] == "application/json"
