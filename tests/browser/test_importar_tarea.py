"""A large price book imported from the page through the task queue, in a real browser: the
upload leads to a page named by the task with a labelled progress bar that follows the task
(polling its API) up to 100 %, then the preview; the user may leave and come back; the
confirmation goes the same way to the result. At desktop and 390 px, without sideways
scroll, console errors or serious accessibility faults.

The worker (`manage.py trabajar`) runs in the test's own process, between the browser's
steps: the live server's in-memory database is not reachable from another process."""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from sascop.accounts.tests.factories import PASSWORD
from sascop.precios.models import Concepto
from sascop.precios.tests.libros import ENCABEZADO, xlsx
from tests.browser.conftest import PHONE, page_wide_scroll
from tests.browser.test_admin_pages import _usuario

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
TAREA = re.compile(r"/precios/importar/tareas/[0-9a-f-]{36}/$")
AL_CIEN = "() => document.querySelector('#avance-tarea')?.value === 100"


def _trabajar() -> None:
    call_command(
        "trabajar", "--max-tareas", "1", "--intervalo", "0", "--id", "w-prueba", stdout=StringIO()
    )


def test_a_large_price_book_shows_its_progress_up_to_100_and_then_what_it_did(
    page: Page, browser_login, screenshot, console_errors, axe, settings, tmp_path
):
    settings.IMPORTAR_FILAS_EN_TAREA = 20
    filas = [["C-7", f"1.{n}", f"Concepto {n}", "DIA", 1, 10 + n, None] for n in range(30)]
    libro = tmp_path / "grande.xlsx"
    libro.write_bytes(xlsx({"C-7": [ENCABEZADO, *filas]}))
    _usuario("ana", "Administración")
    browser_login("ana", PASSWORD)

    page.goto("/precios/importar/")
    page.get_by_label("Libro de precios o lista de PUE (.xlsx)").set_input_files(libro)
    page.get_by_role("button", name="Ver vista previa").click()

    expect(page).to_have_url(TAREA)
    tarea = page.url
    barra = page.get_by_label("Filas leídas")
    expect(barra).to_have_attribute("value", "0")
    expect(page.get_by_role("status")).to_have_text("Esperando a que el proceso de tareas la tome…")
    expect(page.get_by_role("heading", name="Preparando la vista previa")).to_be_visible()
    assert axe(page) == []
    screenshot(page, "importar-tarea")
    page.set_viewport_size(PHONE)
    assert page_wide_scroll(page) == 0
    page.set_viewport_size({"width": 1280, "height": 800})

    # Leaving and coming back: the page's address still follows the task.
    page.goto("/precios/")
    page.goto(tarea)
    expect(page.get_by_label("Filas leídas")).to_be_visible()

    _trabajar()
    # The page, polling the task, fills the bar; then it shows what the import would do.
    page.wait_for_function(AL_CIEN, polling="raf")
    expect(page.get_by_role("heading", name="Vista previa: contrato principal")).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("se crearán 30 conceptos")
    assert not Concepto.objects.exists()

    page.get_by_role("button", name="Confirmar importación").click()
    expect(page).to_have_url(TAREA)
    assert page.url != tarea
    expect(page.get_by_role("heading", name="Importando el libro")).to_be_visible()
    _trabajar()
    page.wait_for_function(AL_CIEN, polling="raf")
    expect(
        page.get_by_role("heading", name="Libro importado en el contrato principal")
    ).to_be_visible()
    assert Concepto.objects.count() == 30
    assert axe(page) == []
    assert console_errors == []
