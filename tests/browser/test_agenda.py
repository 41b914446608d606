"""Schedule truth in a real browser: the dashboard's late OTs open exactly those OTs, with
their days late; a PTE whose last step is saved in place offers "Marcar como Entregada",
and one click delivers it. At phone and desktop width, without sideways scroll, console
errors or serious accessibility faults."""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from sascop.accounts.tests.factories import PASSWORD
from sascop.catalogos.estatus import EstatusOT, EstatusPaso, EstatusPTE
from sascop.catalogos.tests.factories import ClienteFactory, PasoFactory
from sascop.ots.tests.factories import OTFactory
from sascop.ptes.models import PTE, PTEDetalle
from sascop.ptes.tests.factories import PTEFactory
from tests.browser.conftest import DESKTOP, PHONE, page_wide_scroll
from tests.browser.test_ot_pages import _usuario

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _ot(orden: str, dias_para_el_fin: int, estatus: int = EstatusOT.EN_EJECUCION) -> None:
    hoy = timezone.localdate()
    OTFactory(
        orden_trabajo=orden,
        cliente=ClienteFactory(descripcion=f"Cliente {orden}"),
        estatus=estatus,
        fecha_inicio_programado=hoy - datetime.timedelta(days=60),
        fecha_termino_programado=hoy + datetime.timedelta(days=dias_para_el_fin),
    )


def test_the_dashboards_late_ots_open_exactly_those(
    page: Page, browser_login, screenshot, console_errors, axe
):
    _ot("OT-TARDE", -12)
    _ot("OT-AYER", -1)
    _ot("OT-HOY", 0)
    _ot("OT-HECHA", -30, EstatusOT.TERMINADA)
    _usuario("ivan")
    browser_login("ivan", PASSWORD)

    page.goto("/")
    atrasadas = page.locator("#atrasadas tbody tr")
    expect(atrasadas).to_have_count(2)
    expect(atrasadas.first).to_contain_text("OT-TARDE")
    expect(atrasadas.first.locator("td.num")).to_have_text("12")
    for width in (PHONE, DESKTOP):
        page.set_viewport_size(width)
        assert page_wide_scroll(page) == 0
        assert axe(page) == []
    screenshot(page, "tablero-ots-atrasadas")

    page.locator("#cifra-atrasadas").click()
    page.wait_for_url(re.compile(r"/ots/\?atrasadas=true"))
    filas = page.locator("#ots tbody tr")
    expect(filas).to_have_count(2)
    expect(filas.first).to_contain_text("OT-TARDE")
    expect(filas.first).to_contain_text("12 días de atraso")
    expect(filas.nth(1)).to_contain_text("1 día de atraso")
    for width in (PHONE, DESKTOP):
        page.set_viewport_size(width)
        assert page_wide_scroll(page) == 0
        assert axe(page) == []
    screenshot(page, "ots-atrasadas")
    assert console_errors == []


def test_saving_the_last_step_offers_marcar_como_entregada(
    page: Page, browser_login, screenshot, console_errors, axe
):
    pte = PTEFactory(
        oficio_pte="PTE-2026-0300",
        estatus=EstatusPTE.EN_PROCESO,
        fecha_solicitud=timezone.localdate() - datetime.timedelta(days=5),
    )
    PTEDetalle.objects.create(pte=pte, paso=PasoFactory(orden=1), estatus=EstatusPaso.COMPLETADO)
    PTEDetalle.objects.create(
        pte=pte, paso=PasoFactory(orden=2, descripcion="Entrega de propuesta")
    )
    _usuario("ivan")
    browser_login("ivan", PASSWORD)

    page.goto(f"/ptes/{pte.pk}/")
    boton = page.get_by_role("button", name="Marcar como Entregada")
    expect(boton).to_have_count(0)

    page.evaluate("window.sinRecarga = true")
    paso = page.locator("tr", has=page.get_by_role("rowheader", name="Entrega de propuesta"))
    paso.get_by_role("link", name="Editar").click()
    formulario = page.locator(".paso-edicion")
    formulario.get_by_label("Estatus").select_option(label="Completado")
    formulario.get_by_role("button", name="Guardar paso").click()
    expect(boton).to_be_visible()
    assert page.evaluate("window.sinRecarga") is True
    for width in (PHONE, DESKTOP):
        page.set_viewport_size(width)
        assert page_wide_scroll(page) == 0
        assert axe(page) == []
    screenshot(page, "pte-marcar-entregada", focus=boton)

    boton.click()
    page.wait_for_load_state("networkidle")
    expect(page.get_by_text("PTE PTE-2026-0300 marcada como Entregada.")).to_be_visible()
    expect(boton).to_have_count(0)
    entregada = PTE.objects.get(pk=pte.pk)
    assert (entregada.estatus, entregada.fecha_entrega) == (
        EstatusPTE.ENTREGADA,
        timezone.localdate(),
    )
    assert console_errors == []
