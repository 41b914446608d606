from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest

from sascop.ots.tests.factories import OTFactory
from sascop.precios.tests.factories import AnexoFactory, ConceptoFactory, linea_de
from sascop.produccion.models import ReporteDiario
from sascop.produccion.tests.factories import ProduccionFactory

D = datetime.date


def firmar(ot: Any, *fechas: datetime.date, estatus: str = "FIRMADO") -> None:
    for fecha in fechas:
        ReporteDiario.objects.update_or_create(
            ot=ot, sitio=ot.sitio, fecha=fecha, defaults={"estatus": estatus}
        )


@pytest.fixture
def obra(db) -> dict[str, Any]:
    return crear_obra()


def crear_obra() -> dict[str, Any]:
    """An OT with a C-5 line (P.U. 1,000.50 M.N. / 20.25 USD), a second C-5 line, a C-2
    line, a T line of another anexo, and production on 3-5 May (3 and 4 signed off)."""
    ot = OTFactory(orden_trabajo="OT-7/2026", oficio_ot="PEP-OT-77")
    c5 = AnexoFactory(clave="C-5")
    c2 = AnexoFactory(clave="C-2")
    buceo = linea_de(
        ot,
        concepto=ConceptoFactory(anexo=c5, partida="5.1", concepto="Buzo", unidad="JOR"),
        pu_mn=Decimal("1000.50"),
        pu_usd=Decimal("20.25"),
        orden=1,
    )
    lancha = linea_de(
        ot,
        concepto=ConceptoFactory(anexo=c5, partida="5.2", concepto="Lancha", unidad="DIA"),
        pu_mn=Decimal("300.00"),
        pu_usd=Decimal("0.00"),
        orden=2,
    )
    gpu = linea_de(
        ot,
        concepto=ConceptoFactory(anexo=c2, partida="2.1", concepto="Equipo GPU", unidad="DIA"),
        pu_mn=Decimal("50.00"),
        pu_usd=Decimal("1.00"),
        orden=3,
    )
    filas = {
        "buceo3": ProduccionFactory(
            ot=ot, partida_anexo=buceo, fecha_produccion=D(2026, 5, 3), volumen_produccion=2
        ),
        "buceo4": ProduccionFactory(
            ot=ot, partida_anexo=buceo, fecha_produccion=D(2026, 5, 4), volumen_produccion=3
        ),
        "buceo5": ProduccionFactory(
            ot=ot, partida_anexo=buceo, fecha_produccion=D(2026, 5, 5), volumen_produccion=4
        ),
        "lancha3": ProduccionFactory(
            ot=ot,
            partida_anexo=lancha,
            fecha_produccion=D(2026, 5, 3),
            volumen_produccion=Decimal("1.5"),
        ),
        "gpu3": ProduccionFactory(
            ot=ot, partida_anexo=gpu, fecha_produccion=D(2026, 5, 3), volumen_produccion=1
        ),
    }
    firmar(ot, D(2026, 5, 3), D(2026, 5, 4))
    return {"ot": ot, "buceo": buceo, "lancha": lancha, "gpu": gpu, **filas}
