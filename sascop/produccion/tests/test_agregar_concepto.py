"""The sheet's "Agregar concepto": search the price book by key or text and add a concept
to the OT's anexo (programmed volume 0) as a new anexo version, without a workbook; for the
roles that may change an OT's anexo only."""

from __future__ import annotations

from decimal import Decimal
from http import HTTPStatus
from typing import Any

import pytest

from sascop.actividad.models import RegistroActividad
from sascop.core.tests.navegador import page_html
from sascop.ots.tests.factories import OTFactory
from sascop.precios.models import AnexoOT, Concepto
from sascop.precios.tests.factories import ConceptoFactory, PUEFactory, linea_de

pytestmark = pytest.mark.django_db
URL = "/produccion/sabana/agregar-concepto/"
SABANA = "/produccion/sabana/?ot=OT-2026-060&anio=2026&mes=5"


@pytest.fixture
def ot():
    ot = OTFactory(orden_trabajo="OT-2026-060")
    linea_de(
        ot,
        concepto=ConceptoFactory(anexo__clave="C-5", partida="2.1", concepto="Tubería"),
        volumen=Decimal("100"),
    )
    c5 = Concepto.objects.get(partida="2.1").anexo
    ConceptoFactory(anexo=c5, partida="2.3", concepto="Abrazadera de acero", pu_mn=Decimal("50"))
    ConceptoFactory(anexo=c5, partida="2.30", concepto="Soldadura")
    PUEFactory(anexo=c5, partida="2.31", concepto="Abrazadera especial")
    return ot


def _token(c: Any) -> str:
    return c.cookies["csrftoken"].value


def test_the_sheet_offers_it_to_those_who_may_change_the_anexo(engineer, viewer, ot):
    assert 'id="titulo-agregar-concepto"' in page_html(engineer.get(SABANA))
    assert "agregar-concepto" not in page_html(viewer.get(SABANA))
    assert viewer.get(f"{URL}?ot={ot.pk}&buscar=2").status_code == HTTPStatus.FORBIDDEN


def test_search_by_key_or_text_offers_authorised_concepts_not_in_the_anexo(engineer, ot):
    por_clave = page_html(
        engineer.get(
            f"{URL}?ot={ot.pk}&buscar=2.3.",
            HTTP_HX_REQUEST="true",
            HTTP_HX_TARGET="resultados-concepto",
        )
    )
    por_texto = page_html(engineer.get(f"{URL}?ot={ot.pk}&buscar=abrazadera"))

    assert "<html" not in por_clave and "<html" in por_texto
    assert "Agregar C-5 2.3" in por_clave and "Agregar C-5 2.30" in por_clave
    assert "2.31" not in por_clave  # a PUE not authorised
    assert "Agregar C-5 2.1" not in por_clave  # already in the anexo
    assert 'Agregar C-5 2.3"' in por_texto and "2.30" not in por_texto


def test_add_makes_a_new_version_with_the_line_at_volume_zero(engineer, ot):
    engineer.get(SABANA)
    concepto = Concepto.objects.get(partida="2.3")

    respuesta = engineer.post(
        URL,
        {
            "csrfmiddlewaretoken": _token(engineer),
            "ot": ot.pk,
            "concepto": concepto.pk,
            "volver": SABANA,
        },
    )

    assert respuesta.status_code == HTTPStatus.FOUND and respuesta["Location"] == SABANA
    activo = AnexoOT.objects.get(ot=ot, activo=True)
    assert activo.version == 2
    lineas = {
        linea.concepto.partida: (linea.volumen, linea.pu_mn)
        for linea in activo.partidas.select_related("concepto")
    }
    assert lineas == {"2.1": (Decimal("100"), Decimal("1000.00")), "2.3": (0, Decimal("50.00"))}
    assert RegistroActividad.objects.filter(entidad_id=str(activo.pk), accion="crear").exists()
    pagina = page_html(engineer.get(SABANA))
    assert "Se agregó la partida 2.3 del anexo C-5 al anexo de la OT (versión 2)" in pagina
    assert "Abrazadera de acero" in pagina


def test_adding_twice_or_an_unauthorised_concept_changes_nothing(engineer, ot):
    engineer.get(SABANA)
    ya = Concepto.objects.get(partida="2.1")
    pue = Concepto.objects.get(partida="2.31")

    for concepto in (ya, pue):
        engineer.post(
            URL, {"csrfmiddlewaretoken": _token(engineer), "ot": ot.pk, "concepto": concepto.pk}
        )

    assert AnexoOT.objects.filter(ot=ot).count() == 1
    pagina = page_html(engineer.get(SABANA))
    assert "El anexo de la OT ya tiene la partida 2.1 del anexo C-5." in pagina
    assert "La partida 2.31 aún no está autorizada." in pagina


def test_going_back_only_to_a_sheet(engineer, ot):
    engineer.get(SABANA)
    concepto = Concepto.objects.get(partida="2.30")

    respuesta = engineer.post(
        URL,
        {
            "csrfmiddlewaretoken": _token(engineer),
            "ot": ot.pk,
            "concepto": concepto.pk,
            "volver": "https://otro.example/produccion/sabana/?x",
        },
    )

    assert respuesta["Location"] == f"/produccion/sabana/?ot={ot.pk}"


def test_add_needs_the_csrf_token(engineer, ot):
    engineer.get(SABANA)
    concepto = Concepto.objects.get(partida="2.3")

    respuesta = engineer.post(URL, {"ot": ot.pk, "concepto": concepto.pk})

    assert respuesta.status_code == HTTPStatus.FORBIDDEN
    assert AnexoOT.objects.filter(ot=ot).count() == 1


def test_the_search_costs_the_same_queries_whatever_it_finds(engineer, ot, assert_same_queries):
    c5 = Concepto.objects.get(partida="2.1").anexo
    for n in range(12):
        ConceptoFactory(anexo=c5, partida=f"8.{n + 1}", concepto=f"Buceo {n}")
    engineer.get(SABANA)

    assert_same_queries(
        lambda: engineer.get(f"{URL}?ot={ot.pk}&buscar=soldadura"),
        lambda: engineer.get(f"{URL}?ot={ot.pk}&buscar=buceo"),
    )
