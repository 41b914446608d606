"""The import pages of a workbook above IMPORTAR_FILAS_EN_TAREA rows: the upload (and the
confirmation) send the browser to a page named by the task, with a progress bar while the
worker has it, then the same preview, result or refusal as without the queue."""

from __future__ import annotations

import re
from http import HTTPStatus
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sascop.core import excel
from sascop.ots.models import OT
from sascop.precios.models import Concepto
from sascop.precios.tests.libros import libro_de_conceptos, xlsx
from sascop.precios.tests.test_importar_ots import catalogos, ot, registro
from sascop.precios.tests.test_importar_paginas import _confirmar, _descarga, _subir, _token
from sascop.tareas.models import Tarea
from sascop.tareas.tests.trabajador import trabajar_una

# The worker writes from its own connection: the test's data must be committed.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
__all__ = ["catalogos"]  # the fixture, used by name
CONSULTAS = 8
TAREA = re.compile(r"^/(precios|ots)/importar/tareas/([0-9a-f-]{36})/$")


@pytest.fixture
def admin(role_client, settings):
    settings.IMPORTAR_FILAS_EN_TAREA = 20
    return role_client("Administración")


def _a_la_tarea(respuesta: Any) -> str:
    assert respuesta.status_code == HTTPStatus.FOUND, respuesta.content.decode()[:500]
    assert TAREA.match(respuesta["Location"]), respuesta["Location"]
    return respuesta["Location"]


def test_a_large_price_book_goes_preview_and_import_through_the_queue(admin):
    pagina = _a_la_tarea(_subir(admin, "/precios/importar/", libro_de_conceptos(30)))

    html = admin.get(pagina).content.decode()
    tarea = pagina.split("/")[-2]
    # A labelled progress bar, and the task it polls.
    assert '<label for="avance-tarea">Filas leídas</label>' in html
    assert '<progress id="avance-tarea" max="100" value="0"' in html
    assert f'data-tarea="/operaciones/api/tareas/{tarea}/"' in html
    assert "Esperando a que el proceso de tareas la tome…" in html
    assert "Confirmar importación" not in html

    trabajar_una()
    vista = admin.get(pagina)
    html = vista.content.decode()
    assert "data-tarea=" not in html
    assert "Vista previa: contrato principal" in html
    assert "se crearán <strong>30</strong> conceptos" in html
    # Its forms go to the import page, not to this one (which only shows the task).
    assert html.count('action="/precios/importar/"') == 2
    assert not Concepto.objects.exists()

    # Leaving and coming back: the address still shows the preview.
    assert "Vista previa: contrato principal" in admin.get(pagina).content.decode()

    importacion = _a_la_tarea(_confirmar(admin, "/precios/importar/", vista))
    assert "Importando el libro" in admin.get(importacion).content.decode()
    trabajar_una()

    html = admin.get(importacion).content.decode()
    assert "Libro importado en el contrato principal" in html
    assert Concepto.objects.count() == 30


def test_a_large_refused_price_book_is_shown_refused_with_its_observations(admin):
    mala = ["C-7", "9.9", "Sin precio", "DIA", 1, "diez", None]
    pagina = _a_la_tarea(_subir(admin, "/precios/importar/", libro_de_conceptos(30, mala)))
    trabajar_una()

    html = admin.get(pagina).content.decode()
    assert "No se importó nada." in html
    assert "El libro tiene 1 fila que no se pudo leer" in html
    hoja = _descarga(admin, html).worksheets[0]
    assert "P.U. M.N." in str(hoja.cell(row=32, column=hoja.max_column).value)
    assert not Concepto.objects.exists()


def test_a_worker_that_died_with_the_task_is_said_on_the_page(admin):
    pagina = _a_la_tarea(_subir(admin, "/precios/importar/", libro_de_conceptos(30)))
    from django_tasks_db.models import DBTaskResult

    from sascop.tareas import recuperacion

    DBTaskResult.objects.update(status="RUNNING", worker_ids=["w-muerto"])
    recuperacion.fallar_interrumpidas("w-muerto")

    html = admin.get(pagina).content.decode()
    assert "se detuvo antes de terminar y no se guardó nada" in html


def test_the_task_page_costs_the_same_queries_waiting_and_done(admin):
    pagina = _a_la_tarea(_subir(admin, "/precios/importar/", libro_de_conceptos(30)))
    admin.get(pagina)  # the session's first reads (copied to Redis when there is one)

    # The same few whatever the workbook's size: the session and its user (unless Redis
    # holds them), the task, its queue row, the kept workbook, the contracts.
    with CaptureQueriesContext(connection) as esperando:
        admin.get(pagina)
    trabajar_una()
    with CaptureQueriesContext(connection) as terminada:
        assert "Vista previa" in admin.get(pagina).content.decode()

    assert len(esperando) <= CONSULTAS, [q["sql"][:80] for q in esperando]
    assert len(terminada) == len(esperando), [q["sql"][:80] for q in terminada]


def test_another_users_task_is_not_found(admin, role_client):
    pagina = _a_la_tarea(_subir(admin, "/precios/importar/", libro_de_conceptos(30)))
    otro = role_client("Administración")

    assert otro.get(pagina).status_code == HTTPStatus.NOT_FOUND
    # Nor is a price-book task an OT register's.
    assert admin.get(pagina.replace("/precios/", "/ots/")).status_code == HTTPStatus.NOT_FOUND


def test_a_large_register_of_ots_goes_preview_and_import_through_the_queue(
    role_client, settings, catalogos
):
    settings.IMPORTAR_FILAS_EN_TAREA = 3
    ingenieria = role_client("Ingeniería")
    datos = registro(*(ot(f"OT-{n}") for n in range(1, 6)), ot("OT-6", id_estatus_ot_id=99))
    pagina = _a_la_tarea(_subir(ingenieria, "/ots/importar/", datos))
    assert '<progress id="avance-tarea"' in ingenieria.get(pagina).content.decode()
    trabajar_una()

    vista = ingenieria.get(pagina)
    html = vista.content.decode()
    assert "Vista previa" in html
    assert "1 fila no se podrá importar; las demás entrarán." in html
    assert not OT.objects.exists()

    importacion = _a_la_tarea(_confirmar(ingenieria, "/ots/importar/", vista))
    trabajar_una()

    html = ingenieria.get(importacion).content.decode()
    assert "Registro importado" in html
    assert "1 fila no se pudo importar; las demás entraron." in html
    assert OT.objects.count() == 5
    assert Tarea.objects.filter(tipo="importar_ots").count() == 2


def _anexo(c: Any, url: str, contenido: bytes) -> Any:
    archivo = SimpleUploadedFile("anexo.xlsx", contenido, content_type=excel.XLSX)
    datos = {"archivo": archivo, "modo": "reemplazar", "csrfmiddlewaretoken": _token(c)}
    return c.post(url, datos)


def test_a_large_ot_anexo_uploaded_on_its_page_goes_through_the_queue(role_client, settings):
    from sascop.ots.tests.factories import OTFactory
    from sascop.precios.tests.factories import AnexoFactory, ConceptoFactory

    c5 = AnexoFactory(clave="C-5")
    for n in range(6):
        ConceptoFactory(anexo=c5, partida=f"2.{n}", concepto=f"Tubería {n}", unidad="DIA")
    ot_ = OTFactory()
    encabezado = ["ANEXO", "PARTIDA", "CONCEPTO", "UNIDAD", "VOLUMEN PTE"]
    bueno = [["C-5", f"2.{n}", f"Tubería {n}", "DIA", 2] for n in range(6)]
    settings.IMPORTAR_FILAS_EN_TAREA = 5
    ingenieria = role_client("Ingeniería")
    url = f"/ots/{ot_.pk}/anexo/"

    pagina = _anexo(ingenieria, url, xlsx({"Anexo": [encabezado, *bueno]}))
    assert pagina.status_code == HTTPStatus.FOUND
    assert re.match(rf"^{url}tareas/[0-9a-f-]{{36}}/$", pagina["Location"])
    html = ingenieria.get(pagina["Location"]).content.decode()
    assert '<progress id="avance-tarea"' in html and "Importando el libro" in html
    trabajar_una()

    hecho = ingenieria.get(pagina["Location"], follow=True)
    assert hecho.redirect_chain == [(url, HTTPStatus.FOUND)]
    assert "Anexo versión 1 importado: 6 partidas" in hecho.content.decode()

    malo = [["C-9", f"9.{n}", "Nada", "DIA", 2] for n in range(6)]
    pagina = _anexo(ingenieria, url, xlsx({"Anexo": [encabezado, *malo]}))
    trabajar_una()
    html = ingenieria.get(pagina["Location"]).content.decode()
    assert "El libro tiene renglones con errores; no se importó nada." in html
    assert f"/operaciones/api/ots/{ot_.pk}/anexo/errores/" in html
