"""Stored monthly sheets (produccion.hojas): read back in one query while nothing they read
has changed, and never served once something has, whatever wrote it."""

from __future__ import annotations

import datetime
from decimal import Decimal
from http import HTTPStatus
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from sascop.catalogos.models import Sitio
from sascop.ots.models import OT
from sascop.precios.models import Anexo, Concepto, PartidaAnexoOT, ProgramaDiario
from sascop.produccion import hojas
from sascop.produccion.models import CambioHoja, HojaGuardada, Produccion, ReporteDiario
from sascop.produccion.tests.test_sabana import _get, hoja  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


def _sql(captured: CaptureQueriesContext) -> list[str]:
    return [q["sql"] for q in captured.captured_queries]


def test_a_sheet_nobody_changed_is_read_back_in_one_query(viewer, hoja):  # noqa: F811
    primera = _get(viewer, hoja["ot"])
    assert HojaGuardada.objects.filter(ot_id=hoja["ot"].pk).count() == 1

    with CaptureQueriesContext(connection) as captured:
        segunda = _get(viewer, hoja["ot"])

    assert segunda.status_code == HTTPStatus.OK
    assert segunda.content == primera.content
    assert segunda["ETag"] == primera["ETag"]
    de_la_hoja = [s for s in _sql(captured) if "produccion_" in s or "precios_" in s]
    assert len(de_la_hoja) == 1, de_la_hoja
    assert "produccion_hojaguardada" in de_la_hoja[0]


def _fila(ot: OT, dia: int) -> Any:
    return Produccion.objects.filter(ot=ot, fecha_produccion=datetime.date(2026, 5, dia))


# Each write goes around the services and model signals (QuerySet.update/delete, bulk_create):
# only the triggers see it. Then: where in the sheet it shows, and what it shows.
ESCRITURAS = {
    "production edited": (
        lambda h: _fila(h["ot"], 4).update(volumen_produccion=Decimal("7")),
        lambda d: d["partidas"][0]["ejecutado"]["4"],
        "7.0000",
    ),
    "production deleted": (
        lambda h: _fila(h["ot"], 31).delete(),
        lambda d: d["partidas"][1]["ejecutado"],
        {},
    ),
    "programmed volume": (
        lambda h: ProgramaDiario.objects.filter(partida=h["tubo"]).update(volumen=3),
        lambda d: d["partidas"][0]["programado"]["4"],
        "3.0000",
    ),
    "daily report signed": (
        lambda h: ReporteDiario.objects.bulk_create(
            [
                ReporteDiario(
                    ot=h["ot"], sitio_id=h["ot"].sitio_id, fecha="2026-05-02", estatus="FIRMADO"
                )
            ]
        ),
        lambda d: d["reportes"]["2"],
        "FIRMADO",
    ),
    "authorised volume": (
        lambda h: PartidaAnexoOT.objects.filter(pk=h["buzo"].pk).update(volumen=5),
        lambda d: d["partidas"][1]["autorizado"],
        "5.0000",
    ),
    "concept text": (
        lambda h: Concepto.objects.filter(pk=h["tubo"].concepto_id).update(concepto="Ducto"),
        lambda d: d["partidas"][0]["concepto"],
        "Ducto",
    ),
    "anexo key": (
        lambda h: Anexo.objects.filter(pk=h["tubo"].concepto.anexo_id).update(clave="C-5-1"),
        lambda d: d["partidas"][0]["anexo"],
        "C-5-1",
    ),
    "site name": (
        lambda h: Sitio.objects.filter(pk=h["ot"].sitio_id).update(descripcion="Akal-C"),
        lambda d: d["sitio_descripcion"],
        "Akal-C",
    ),
    "OT number": (
        lambda h: OT.objects.filter(pk=h["ot"].pk).update(orden_trabajo="OT-NUEVA"),
        lambda d: d["orden_trabajo"],
        "OT-NUEVA",
    ),
}


@pytest.mark.parametrize("escritura", ESCRITURAS)
def test_any_write_to_what_a_sheet_reads_makes_it_computed_again(viewer, hoja, escritura):  # noqa: F811
    escribir, donde, esperado = ESCRITURAS[escritura]
    antes = _get(viewer, hoja["ot"])
    assert donde(antes.json()) != esperado

    escribir(hoja)
    despues = _get(viewer, hoja["ot"])

    assert donde(despues.json()) == esperado
    assert despues["ETag"] != antes["ETag"]


def test_a_write_to_another_ot_keeps_the_stored_sheet(viewer, hoja, django_assert_num_queries):  # noqa: F811
    from sascop.produccion.tests.factories import ProduccionFactory

    antes = _get(viewer, hoja["ot"])
    ProduccionFactory()  # another OT's production
    with CaptureQueriesContext(connection) as captured:
        despues = _get(viewer, hoja["ot"])
    assert despues.content == antes.content
    assert not any("produccion_produccion" in s for s in _sql(captured))


def test_a_write_committed_while_the_sheet_is_computed_is_not_hidden(hoja):  # noqa: F811
    ot = hoja["ot"]

    def calculada_mientras_alguien_escribe() -> tuple[bytes, str]:
        # Another writer commits after the generation was read and before this one stores.
        _fila(ot, 4).update(volumen_produccion=Decimal("8"))
        return b'{"vieja": true}', '"vieja"'

    hojas.leer(ot.pk, "2026-5", calculada_mientras_alguien_escribe)

    assert hojas.leer(ot.pk, "2026-5", lambda: (b"{}", '"nueva"')) == (b"{}", '"nueva"')


def test_a_sheet_stored_inside_a_rolled_back_write_goes_with_it(viewer, hoja):  # noqa: F811
    antes = _get(viewer, hoja["ot"])

    class Deshacer(Exception):
        pass

    with pytest.raises(Deshacer), transaction.atomic():
        _fila(hoja["ot"], 4).update(volumen_produccion=Decimal("9"))
        assert _get(viewer, hoja["ot"]).json()["partidas"][0]["ejecutado"]["4"] == "9.0000"
        raise Deshacer

    assert _get(viewer, hoja["ot"]).content == antes.content


def test_a_read_writes_nothing_and_the_scheduled_job_folds_the_ledger(viewer, hoja):  # noqa: F811
    ot = hoja["ot"]
    for n in range(3):
        _fila(ot, 4).update(volumen_produccion=Decimal(n + 1))
    # As many writes leave on PostgreSQL (a row per statement; SQLite adds to one row).
    CambioHoja.objects.bulk_create(CambioHoja(ot_id=i, cambios=1) for i in [ot.pk, 0] * 300)
    generacion, filas = hojas.generacion(ot.pk)

    with CaptureQueriesContext(connection) as consultas:
        respuesta = _get(viewer, ot)
    assert respuesta.json()["partidas"][0]["ejecutado"]["4"] == "3.0000"
    escrituras = [q["sql"] for q in consultas if CambioHoja._meta.db_table in q["sql"]]
    assert not [q for q in escrituras if q.lstrip().upper().startswith(("DELETE", "INSERT"))]
    assert hojas.generacion(ot.pk) == (generacion, filas)

    call_command("recalcular_resumenes", "--compactar", verbosity=0)

    assert hojas.generacion(ot.pk) == (generacion, 2)  # a row for the OT, one for every OT
    assert _get(viewer, ot).content == respuesta.content
    _fila(ot, 4).update(volumen_produccion=Decimal(4))
    assert _get(viewer, ot).json()["partidas"][0]["ejecutado"]["4"] == "4.0000"


def test_every_sheet_trigger_is_installed():
    assert hojas.DISPARADORES.faltantes() == []


def test_stored_sheets_are_compressed_with_lz4_where_postgresql_has_it():
    """Set after migrating (the test database was migrated): a save's mend and a read's
    store compress the whole sheet each time."""
    if connection.vendor != "postgresql":
        assert hojas.comprimir_con_lz4() is False
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT 'lz4' = ANY(enumvals) FROM pg_settings WHERE name = 'default_toast_compression'"
        )
        disponible = cursor.fetchone()[0]
        cursor.execute(
            "SELECT attcompression FROM pg_attribute WHERE attrelid = "
            "CAST('produccion_hojaguardada' AS regclass) AND attname = 'cuerpo'"
        )
        metodo = cursor.fetchone()[0]
    assert metodo == ("l" if disponible else "")
    assert hojas.comprimir_con_lz4() is disponible


def test_stored_sheets_are_forgotten_when_the_triggers_come_back(viewer, hoja):  # noqa: F811
    _get(viewer, hoja["ot"])
    hojas.DISPARADORES.desinstalar()
    assert hojas.DISPARADORES.faltantes() != []

    assert hojas.DISPARADORES.instalar() is True

    assert hojas.DISPARADORES.faltantes() == []
    assert not HojaGuardada.objects.exists()
