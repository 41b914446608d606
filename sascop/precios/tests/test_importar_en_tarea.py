"""Imports above IMPORTAR_FILAS_EN_TAREA rows run on the task queue: the API answers 202 with
the task to poll, the worker (`manage.py trabajar`, run here in-process) imports the kept
workbook, and the task's result is the JSON the request would have answered."""

from __future__ import annotations

import io
import itertools
import zipfile
from http import HTTPStatus
from typing import Any
from unittest.mock import ANY

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sascop.ots.models import OT
from sascop.precios import avance, paquete
from sascop.precios.models import ArchivoImportacion, Concepto, Contrato
from sascop.precios.tests.libros import libro_de_conceptos, xlsx
from sascop.precios.tests.test_importar_ots import catalogos, ot, registro  # noqa: F401
from sascop.tareas.models import Tarea
from sascop.tareas.tests.trabajador import trabajar_una

ES_MX = {"HTTP_ACCEPT_LANGUAGE": "es-MX"}
PRECIOS = "/operaciones/api/precios/importar/"
OTS = "/operaciones/api/ots/importar/"
# The worker writes from its own connection: the test's data must be committed.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _enviar(client, csrf, url: str, datos: bytes, **extra: Any):
    archivo = SimpleUploadedFile("libro.xlsx", datos)
    return client.post(url, {"archivo": archivo, **extra}, **csrf(client), **ES_MX)


def test_the_rows_of_a_workbook_are_counted_without_reading_it():
    datos = xlsx({"A": [["x"]] * 7, "B": [["y"], [], ["z"]], "C": []})
    assert paquete.filas(io.BytesIO(datos)) == 7 + 2  # an empty row is not written
    assert paquete.filas(io.BytesIO(b"not a zip")) is None


def test_a_hostile_workbook_is_not_counted_but_refused_in_the_request(admin, csrf):
    """A sheet that grows a thousandfold is not decompressed to count its rows: the upload
    stays in the request and is refused there, as any workbook breaking a bound."""
    bomba = io.BytesIO()
    with zipfile.ZipFile(bomba, "w", zipfile.ZIP_DEFLATED) as libro:
        libro.writestr("xl/worksheets/sheet1.xml", b"<row >" + b" " * (8 * 1024 * 1024))
    assert paquete.filas(io.BytesIO(bomba.getvalue())) is None

    respuesta = admin.post(
        "/operaciones/api/precios/importar/",
        {"archivo": SimpleUploadedFile("bomba.xlsx", bomba.getvalue())},
        **csrf(admin),
    )

    assert HTTPStatus.BAD_REQUEST <= respuesta.status_code < HTTPStatus.INTERNAL_SERVER_ERROR
    assert respuesta["Content-Type"].startswith("application/json")
    assert not Tarea.objects.exists()


def test_progress_is_told_at_most_twice_a_second_however_many_rows():
    segundos = itertools.count(step=0.01)  # each look at the clock: 10 ms later
    dichas: list[int] = []
    lector = avance.Avance(dichas.append, cada=0.5, reloj=lambda: next(segundos))
    for _ in range(100_000):
        lector.fila()

    # 1,000 looks at the clock (one per 100 rows) span 10 s: about 20 reports, not 100,000.
    assert 15 <= len(dichas) <= 21
    assert dichas == sorted(dichas) and dichas[-1] <= 100_000


def test_at_the_threshold_the_import_stays_in_the_request(admin, csrf, settings):
    settings.IMPORTAR_FILAS_EN_TAREA = 31
    respuesta = _enviar(admin, csrf, PRECIOS, libro_de_conceptos(30))

    assert respuesta.status_code == HTTPStatus.OK
    assert respuesta.json()["creados"] == 30
    assert not Tarea.objects.exists()


def test_above_it_the_api_answers_202_and_the_task_answers_what_the_request_would_have(
    admin, csrf, settings
):
    datos = libro_de_conceptos(30)
    settings.IMPORTAR_FILAS_EN_TAREA = 31
    en_la_peticion = _enviar(admin, csrf, PRECIOS, datos, simular="true")
    assert en_la_peticion.status_code == HTTPStatus.OK

    settings.IMPORTAR_FILAS_EN_TAREA = 30
    respuesta = _enviar(admin, csrf, PRECIOS, datos, simular="true")

    assert respuesta.status_code == HTTPStatus.ACCEPTED
    tarea = respuesta.json()["tarea"]
    assert respuesta["Location"] == f"/operaciones/api/tareas/{tarea}/"
    assert respuesta.json() == {"tarea": tarea, "estado": "en_cola", "avance": 0, "resultado": None}
    # The workbook is kept in the database for the worker; nothing is imported yet.
    assert ArchivoImportacion.objects.filter(tipo="precios").count() == 1

    trabajar_una()

    assert admin.get(respuesta["Location"]).json() == {
        "estado": "terminada",
        "avance": 100,
        "resultado": en_la_peticion.json(),  # in the language the upload asked for, too
    }
    assert not Concepto.objects.exists()

    importada = _enviar(admin, csrf, PRECIOS, datos)
    assert importada.status_code == HTTPStatus.ACCEPTED
    trabajar_una()

    resultado = admin.get(importada["Location"]).json()["resultado"]
    assert (resultado["simulada"], resultado["creados"]) == (False, 30)
    assert Concepto.objects.count() == 30
    # The workbooks kept for the worker are gone once it has imported them.
    assert not ArchivoImportacion.objects.exists()


def test_a_refused_workbook_fails_the_task_with_the_error_the_request_would_have_answered(
    admin, csrf, settings
):
    datos = libro_de_conceptos(30, ["C-7", "9.9", "Sin precio", "DIA", 1, "diez", None])
    settings.IMPORTAR_FILAS_EN_TAREA = 100
    en_la_peticion = _enviar(admin, csrf, PRECIOS, datos)
    assert en_la_peticion.status_code == HTTPStatus.UNPROCESSABLE_ENTITY

    settings.IMPORTAR_FILAS_EN_TAREA = 10
    respuesta = _enviar(admin, csrf, PRECIOS, datos)
    trabajar_una()

    assert admin.get(respuesta["Location"]).json() == {
        "estado": "fallida",
        "avance": ANY,
        "resultado": None,
        "error": en_la_peticion.json(),
    }
    assert not Contrato.objects.exists() and not Concepto.objects.exists()
    # Kept, with its rows' errors, for the copy with observations.
    [kept] = ArchivoImportacion.objects.all()
    assert kept.errores == en_la_peticion.json()["filas"]


def test_the_task_tells_how_many_rows_it_has_read_as_it_reads(admin, csrf, settings, monkeypatch):
    monkeypatch.setattr(avance, "CADA_SEGUNDOS", 0)  # every 100 rows, for the count below
    settings.IMPORTAR_FILAS_EN_TAREA = 100
    respuesta = _enviar(admin, csrf, PRECIOS, libro_de_conceptos(449), simular="true")
    tarea = Tarea.objects.get(pk=respuesta.json()["tarea"])
    assert (tarea.hechas, tarea.total) == (0, 450)

    with CaptureQueriesContext(connection) as consultas:
        trabajar_una()

    avances = [q["sql"] for q in consultas if q["sql"].startswith('UPDATE "tareas_tarea"')]
    assert len(avances) == 4, avances  # at rows 100, 200, 300 and 400
    tarea.refresh_from_db()
    assert tarea.hechas == 400


@pytest.mark.parametrize("importacion", ["registro", "anexo"])
def test_the_register_and_anexo_tasks_tell_their_rows_read_too(
    importacion, role_client, csrf, settings, monkeypatch
):
    """Each import hands the task's progress down to its own reader: 1 header + 149 rows
    are told at row 100 (the rows are refused; the count is of rows read)."""
    from sascop.ots.tests.factories import OTFactory

    monkeypatch.setattr(avance, "CADA_SEGUNDOS", 0)
    settings.IMPORTAR_FILAS_EN_TAREA = 100
    if importacion == "registro":
        url = OTS
        datos = registro(*(ot(f"OT-{n}", id_cliente_id=None) for n in range(149)))
    else:
        url = f"/operaciones/api/ots/{OTFactory().pk}/anexo/"
        encabezado = ["ANEXO", "PARTIDA", "CONCEPTO", "UNIDAD", "VOLUMEN PTE"]
        filas = (["C-9", f"9.{n}", "Nada", "DIA", 2] for n in range(149))
        datos = xlsx({"Anexo": [encabezado, *filas]})
    respuesta = _enviar(role_client("Ingeniería"), csrf, url, datos, simular="true")
    tarea = Tarea.objects.get(pk=respuesta.json()["tarea"])
    assert (tarea.hechas, tarea.total) == (0, 150)

    trabajar_una()

    tarea.refresh_from_db()
    assert tarea.hechas == 100


def test_a_large_register_of_ots_is_queued_too(role_client, csrf, settings, catalogos):  # noqa: F811
    ingenieria = role_client("Ingeniería")
    datos = registro(*(ot(f"OT-{n}") for n in range(1, 6)))
    settings.IMPORTAR_FILAS_EN_TAREA = 100
    en_la_peticion = _enviar(ingenieria, csrf, OTS, datos, simular="true")
    assert en_la_peticion.status_code == HTTPStatus.OK

    settings.IMPORTAR_FILAS_EN_TAREA = 3
    vista = _enviar(ingenieria, csrf, OTS, datos, simular="true")
    importada = _enviar(ingenieria, csrf, OTS, datos)
    assert (vista.status_code, importada.status_code) == (HTTPStatus.ACCEPTED,) * 2
    assert not OT.objects.exists()
    trabajar_una()
    trabajar_una()

    assert ingenieria.get(vista["Location"]).json() == {
        "estado": "terminada",
        "avance": 100,
        "resultado": en_la_peticion.json(),
    }
    resultado = ingenieria.get(importada["Location"]).json()["resultado"]
    assert (resultado["simulada"], resultado["creadas"]) == (False, 5)
    assert OT.objects.count() == 5


def test_a_large_ot_anexo_is_queued_too(role_client, csrf, settings):
    from sascop.ots.tests.factories import OTFactory
    from sascop.precios.tests.factories import AnexoFactory, ConceptoFactory

    c5 = AnexoFactory(clave="C-5")
    for n in range(6):
        ConceptoFactory(anexo=c5, partida=f"2.{n}", concepto=f"Tubería {n}", unidad="DIA")
    una, otra = OTFactory(), OTFactory()
    encabezado = ["ANEXO", "PARTIDA", "CONCEPTO", "UNIDAD", "VOLUMEN PTE"]
    datos = xlsx(
        {"Anexo": [encabezado, *(["C-5", f"2.{n}", f"Tubería {n}", "DIA", 2] for n in range(6))]}
    )
    ingenieria = role_client("Ingeniería")
    settings.IMPORTAR_FILAS_EN_TAREA = 100
    en_la_peticion = _enviar(ingenieria, csrf, f"/operaciones/api/ots/{una.pk}/anexo/", datos)
    assert en_la_peticion.status_code == HTTPStatus.CREATED

    settings.IMPORTAR_FILAS_EN_TAREA = 5
    respuesta = _enviar(ingenieria, csrf, f"/operaciones/api/ots/{otra.pk}/anexo/", datos)
    assert respuesta.status_code == HTTPStatus.ACCEPTED
    nadie = _enviar(ingenieria, csrf, "/operaciones/api/ots/999999/anexo/", datos)
    assert nadie.status_code == HTTPStatus.NOT_FOUND
    trabajar_una()

    assert ingenieria.get(respuesta["Location"]).json() == {
        "estado": "terminada",
        "avance": 100,
        "resultado": en_la_peticion.json(),  # version 1 of the other OT, the same lines
    }
    assert not ArchivoImportacion.objects.exists()


def test_a_large_refused_ot_anexo_fails_with_its_rows_and_observations(role_client, csrf, settings):
    from sascop.ots.tests.factories import OTFactory

    ot_ = OTFactory()
    encabezado = ["ANEXO", "PARTIDA", "CONCEPTO", "UNIDAD", "VOLUMEN PTE"]
    datos = xlsx({"Anexo": [encabezado, *(["C-9", f"9.{n}", "Nada", "DIA", 2] for n in range(6))]})
    ingenieria = role_client("Ingeniería")
    settings.IMPORTAR_FILAS_EN_TAREA = 5
    respuesta = _enviar(ingenieria, csrf, f"/operaciones/api/ots/{ot_.pk}/anexo/", datos)
    trabajar_una()

    cuerpo = ingenieria.get(respuesta["Location"]).json()
    assert (cuerpo["estado"], cuerpo["error"]["code"]) == ("fallida", "invalid_workbook")
    assert len(cuerpo["error"]["filas"]) == 6
    observaciones = ingenieria.get(cuerpo["error"]["observaciones"])
    assert observaciones.status_code == HTTPStatus.OK
