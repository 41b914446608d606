"""One amount per OT: its contracted amount is its active Anexo C's total when it has one,
else the amount typed or imported — in the API, the OT's page (with a warning when both
differ), the list, its export and the dashboard."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal
from http import HTTPStatus

import openpyxl
import pytest
from django.apps import apps

from sascop.estadisticas.selectors import calcular, estadisticas, montos_por_cliente
from sascop.ots.tests.factories import OTFactory
from sascop.precios.models import AnexoOT, TipoCambio
from sascop.precios.tests.factories import AnexoFactory, ConceptoFactory, linea_de
from sascop.precios.tests.test_anexo_ot import BUENO, importar, libro

pytestmark = pytest.mark.django_db
URL = "/operaciones/api/ots/"
# BUENO: 10 x $1,234.50 + 2.5 x $1,500.00 in pesos, 2.5 x $15.50 in dollars.
ANEXO_MN, ANEXO_USD = "16095.00", "38.75"


@pytest.fixture
def catalogo():
    """The price book `BUENO` names (as in test_anexo_ot)."""
    c5 = AnexoFactory(clave="C-5")
    conceptos = [
        ("2.1", "Tubería de 8 pulgadas", "DIA", "1234.50", "0.00"),
        ("2.2", "Tubería de 10 pulgadas", "DIA", "1500.00", "15.50"),
        ("3", "Buzo de saturación", "HOM/DIA", "0.00", "950.25"),
    ]
    return {
        partida: ConceptoFactory(
            anexo=c5,
            partida=partida,
            concepto=texto,
            unidad=unidad,
            pu_mn=Decimal(mn),
            pu_usd=Decimal(usd),
        )
        for partida, texto, unidad, mn, usd in conceptos
    }


@pytest.fixture
def ingenieria(role_client):
    return role_client("Ingeniería")


@pytest.fixture
def ot():
    return OTFactory(orden_trabajo="OT-M", monto_mxn=Decimal("1000.00"), monto_usd=Decimal("5"))


def _montos(client, ot_id):
    body = client.get(f"{URL}{ot_id}/").json()
    return {
        k: body[k]
        for k in (
            "monto_mxn",
            "monto_usd",
            "monto_contratado_mxn",
            "monto_contratado_usd",
            "monto_origen",
        )
    }


def test_without_an_anexo_the_amount_typed_is_the_contracted_one(ingenieria, ot):
    assert _montos(ingenieria, ot.pk) == {
        "monto_mxn": "1000.00",
        "monto_usd": "5.00",
        "monto_contratado_mxn": "1000.00",
        "monto_contratado_usd": "5.00",
        "monto_origen": "capturado",
    }


def test_the_anexo_import_sets_the_contracted_amount(ingenieria, csrf, ot, catalogo):
    respuesta = importar(ingenieria, csrf, ot.pk, libro(*BUENO))
    assert respuesta.status_code == HTTPStatus.CREATED

    anexo = AnexoOT.objects.get(ot=ot, activo=True)
    assert (anexo.importe_mn, anexo.importe_usd) == (Decimal(ANEXO_MN), Decimal(ANEXO_USD))
    assert _montos(ingenieria, ot.pk) == {
        "monto_mxn": "1000.00",  # what was typed stays as it was
        "monto_usd": "5.00",
        "monto_contratado_mxn": ANEXO_MN,
        "monto_contratado_usd": ANEXO_USD,
        "monto_origen": "anexo",
    }
    listado = ingenieria.get(URL).json()["ots"][0]
    assert (listado["monto_contratado_mxn"], listado["monto_origen"]) == (ANEXO_MN, "anexo")


def test_each_new_version_replaces_or_adds_to_the_total(ingenieria, csrf, ot, catalogo):
    importar(ingenieria, csrf, ot.pk, libro(*BUENO))
    # reemplazar: the new version alone (3 x $950.25 in dollars).
    solo_buzos = ["C-5", "3", "Buzo de saturación", "HOM/DIA", 3, None, None]
    importar(ingenieria, csrf, ot.pk, libro(solo_buzos))
    assert _montos(ingenieria, ot.pk)["monto_contratado_mxn"] == "0.00"
    assert _montos(ingenieria, ot.pk)["monto_contratado_usd"] == "2850.75"

    # actualizar: the active lines kept, the sheet's new ones added.
    importar(ingenieria, csrf, ot.pk, libro(*BUENO), modo="actualizar")

    montos = _montos(ingenieria, ot.pk)
    assert (montos["monto_contratado_mxn"], montos["monto_contratado_usd"]) == (
        ANEXO_MN,
        "2889.50",
    )
    versiones = AnexoOT.objects.filter(ot=ot).order_by("version")
    assert [(a.version, a.activo, a.importe_usd) for a in versiones] == [
        (1, False, Decimal(ANEXO_USD)),
        (2, False, Decimal("2850.75")),
        (3, True, Decimal("2889.50")),
    ]


def test_the_page_says_where_the_amount_comes_from_and_warns_when_they_differ(
    ingenieria,
    csrf,
    ot,
    catalogo,
    time_machine,
):
    time_machine.move_to("2026-03-10T12:00:00-06:00", tick=False)
    sin_anexo = ingenieria.get(f"/ots/{ot.pk}/").content.decode()
    assert "Capturado o importado (la OT no tiene Anexo C)" in sin_anexo
    assert 'id="aviso-monto"' not in sin_anexo

    TipoCambio.objects.create(fecha=datetime.date(2026, 3, 1), valor=Decimal("20.0000"))
    importar(ingenieria, csrf, ot.pk, libro(*BUENO))
    pagina = ingenieria.get(f"/ots/{ot.pk}/").content.decode()

    assert (
        "El anexo suma $16,095.00 MXN; el monto capturado es $1,000.00 MXN. "
        "El anexo suma $38.75 USD; el monto capturado es $5.00 USD."
    ) in pagina
    assert "El Anexo C vigente de la OT" in pagina
    assert "$16,095.00 MXN" in pagina
    # Homologated: 16,095.00 + 38.75 x 20.
    assert "$16,870.00 MXN a 20.0000 MXN por USD (vigente desde 01/03/2026)" in pagina
    assert "Monto capturado MXN" in pagina

    ot.monto_mxn, ot.monto_usd = Decimal(ANEXO_MN), Decimal(ANEXO_USD)
    ot.save()
    iguales = ingenieria.get(f"/ots/{ot.pk}/").content.decode()
    assert 'id="aviso-monto"' not in iguales
    assert "Monto capturado MXN" not in iguales


def test_the_list_and_its_export_show_the_contracted_amount(ingenieria, csrf, ot, catalogo):
    OTFactory(orden_trabajo="OT-SIN", monto_mxn=Decimal("7.10"), monto_usd=Decimal("0"))
    importar(ingenieria, csrf, ot.pk, libro(*BUENO))

    pagina = ingenieria.get("/ots/", {"orden": "orden_trabajo"}).content.decode()
    assert "$16,095.00 MXN" in pagina
    assert "$1,000.00 MXN" not in pagina
    assert "$7.10 MXN" in pagina

    respuesta = ingenieria.get("/ots/", {"orden": "orden_trabajo", "exportar": "xlsx"})
    hoja = openpyxl.load_workbook(io.BytesIO(b"".join(respuesta.streaming_content)))["OTs"]
    titulos = [c.value for c in hoja[1]]
    fila = {t: c for t, c in zip(titulos, hoja[2], strict=True)}
    assert fila["Orden de trabajo"].value == "OT-M"
    assert fila["Monto MXN"].value == pytest.approx(16095.00)
    assert fila["Monto MXN"].number_format == "#,##0.00"
    assert fila["Monto USD"].value == pytest.approx(38.75)
    assert fila["Origen del monto"].value == "Anexo C"
    assert fila["Monto capturado MXN"].value == pytest.approx(1000.00)
    assert fila["Monto capturado MXN"].number_format == "#,##0.00"
    otra = {t: c.value for t, c in zip(titulos, hoja[3], strict=True)}
    assert (otra["Monto MXN"], otra["Origen del monto"]) == (pytest.approx(7.10), "Capturado")


def test_the_dashboard_adds_the_contracted_amounts(ingenieria, csrf, ot, catalogo):
    otra = OTFactory(cliente=ot.cliente, monto_mxn=Decimal("0.10"), monto_usd=Decimal("0"))
    importar(ingenieria, csrf, ot.pk, libro(*BUENO))

    figuras = estadisticas()
    assert figuras["montos_ot"] == {"mxn": Decimal("16095.10"), "usd": Decimal("38.75")}
    # The running totals plus the anexos' adjustments are what the rows say.
    assert figuras == calcular()
    assert montos_por_cliente() == [
        {
            "cliente_id": ot.cliente_id,
            "cliente": ot.cliente.descripcion,
            "total_otes": 2,
            "mxn": Decimal("16095.10"),
            "usd": Decimal("38.75"),
        }
    ]
    pagina = ingenieria.get("/").content.decode()
    assert "<strong>$16,095.10</strong><span>Monto de OTs (MXN)</span>" in pagina
    # A filtered dashboard computes the same from the rows.
    filtrada = ingenieria.get("/", {"cliente": otra.cliente_id}).content.decode()
    assert "<strong>$16,095.10</strong><span>Monto de OTs (MXN)</span>" in filtrada


@pytest.mark.parametrize("pagina", [URL, "/ots/"])
def test_the_lists_queries_do_not_grow_with_ots_that_have_an_anexo(
    ingenieria, django_assert_max_num_queries, django_assert_num_queries, pagina
):
    for _ in range(2):
        linea_de(OTFactory())
    ingenieria.get("/api/user/")
    with django_assert_max_num_queries(100) as pocas:
        ingenieria.get(pagina)

    for _ in range(20):
        linea_de(OTFactory())
        OTFactory()

    with django_assert_num_queries(len(pocas)):
        assert ingenieria.get(pagina, {"por_pagina": 50}).status_code == HTTPStatus.OK


def test_the_migration_computes_the_totals_of_existing_versions(ot, catalogo):
    import importlib

    migracion = importlib.import_module("sascop.precios.migrations.0009_anexo_ot_importes")
    linea = linea_de(ot, concepto=catalogo["2.2"], volumen=Decimal("2.5"))
    linea_de(ot, concepto=catalogo["2.1"], volumen=Decimal("0.333"))
    AnexoOT.objects.update(importe_mn=0, importe_usd=0)

    migracion.calcular_importes(apps, None)

    anexo = AnexoOT.objects.get(pk=linea.anexo_ot_id)
    # 2.5 x 1,500.00 + 0.333 x 1,234.50 (411.0885, to the cent: 411.09); 2.5 x 15.50.
    assert (anexo.importe_mn, anexo.importe_usd) == (Decimal("4161.09"), Decimal("38.75"))
