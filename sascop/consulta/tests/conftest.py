from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest

from sascop.actividad.models import RegistroActividad
from sascop.catalogos.tests.factories import ClienteFactory, SitioFactory
from sascop.ots.tests.factories import OTFactory
from sascop.precios.tests.factories import ConceptoFactory, linea_de
from sascop.produccion.tests.factories import ProduccionFactory
from sascop.ptes.tests.factories import PTEFactory


@pytest.fixture
def admin(role_client):
    """Administración reads every kind the search finds (the activity log too)."""
    return role_client("Administración")


@pytest.fixture
def datos(db) -> dict[str, Any]:
    """A small contract: two PTEs, two OTs (one late), concepts, a line, production and a
    comment, with accents where people would not type them."""
    pemex = ClienteFactory(descripcion="PEMEX Exploración")
    abkatun = SitioFactory(descripcion="Abkatún-A Permanente")
    pte = PTEFactory(
        oficio_pte="PEP-SUB-0815",
        descripcion_trabajo="REHABILITACIÓN DE MÓDULO DE COMPRESIÓN EN OLEOGASODUCTO DE ABK-A",
        cliente=pemex,
    )
    otra = PTEFactory(oficio_pte="PEP-SUB-0900", descripcion_trabajo="Inspección de ductos")
    ot = OTFactory(
        orden_trabajo="OT-2026-015",
        oficio_ot="OF-77",
        descripcion_trabajo="Compresión y pruebas en el oleogasoducto de ABK-A",
        cliente=pemex,
        estatus=8,
        monto_mxn=Decimal("1500000.00"),
        monto_usd=Decimal("2500.00"),
        fecha_inicio_programado=datetime.date(2019, 12, 1),
        fecha_termino_programado=datetime.date(2020, 1, 31),
    )
    ot_plataforma = OTFactory(
        orden_trabajo="OT-2026-016",
        descripcion_trabajo="Mantenimiento menor",
        plataforma=abkatun,
        estatus=10,
        monto_mxn=Decimal("10.00"),
        monto_usd=Decimal("0.00"),
    )
    concepto = ConceptoFactory(partida="4.7.3", concepto="SOLDADOR DE TUBERÍA PARA COMPRESIÓN")
    ConceptoFactory(partida="5.1", concepto="Buzo de inspección")
    linea = linea_de(
        ot,
        concepto=concepto,
        volumen=Decimal("20"),
        pu_mn=Decimal("100.00"),
        pu_usd=Decimal("5.00"),
    )
    produccion = ProduccionFactory(
        ot=ot,
        partida_anexo=linea,
        fecha_produccion=datetime.date(2026, 3, 31),
        volumen_produccion=Decimal("10.5"),
    )
    comentario = RegistroActividad.objects.create(
        accion="modificar",
        entidad="pte",
        entidad_id=str(otra.pk),
        campo="comentario",
        valor_nuevo="Se espera la compresión del cliente",
        nombre_usuario="ana",
    )
    RegistroActividad.objects.create(
        accion="modificar", entidad="pte", campo="estatus", valor_nuevo="compresion"
    )
    return {
        "pte": pte,
        "otra": otra,
        "ot": ot,
        "ot_plataforma": ot_plataforma,
        "concepto": concepto,
        "linea": linea,
        "produccion": produccion,
        "comentario": comentario,
        "pemex": pemex,
        "abkatun": abkatun,
    }
