"""The migration of existing production rows from the catalog `Partida` to anexo lines."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management.sql import emit_post_migrate_signal, emit_pre_migrate_signal
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from sascop.estadisticas import resumenes

ANTES = [("produccion", "0002_partida_anexo"), ("precios", "0005_lineas_ejecutado")]
DESPUES = [("produccion", "0004_sin_partida_global")]


@pytest.fixture
def migrador():
    """A migration executor; afterwards every migration is applied again, as the other
    tests expect the database. Around it every app's pre- and post-migrate hooks run, as
    `manage.py migrate` runs them: the dashboard's and the Consulta's triggers come off
    first and are put back after (SQLite rebuilds the tables they name). The dashboard's
    come off on PostgreSQL too, which keeps them across a migration: going back past the
    columns they read (the anexos' importes, precios 0009) would leave them naming what is
    not there."""
    emit_pre_migrate_signal(0, False, connection.alias)
    resumenes.desinstalar(connection.alias)
    executor = MigrationExecutor(connection)
    yield executor
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    emit_post_migrate_signal(0, False, connection.alias)
    ContentType.objects.clear_cache()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_existing_rows_move_to_anexo_lines_without_inventing_excedentes(migrador):
    executor = migrador
    executor.migrate(ANTES)
    apps = executor.loader.project_state(ANTES).apps
    m = {nombre: apps.get_model(app, nombre) for app, nombre in (
        ("catalogos", "UnidadMedida"), ("catalogos", "Partida"), ("catalogos", "Sitio"),
        ("catalogos", "Frente"), ("catalogos", "Cliente"), ("catalogos", "Tipo"),
        ("catalogos", "ResponsableProyecto"), ("ots", "OT"), ("precios", "Contrato"),
        ("precios", "Anexo"), ("precios", "Concepto"), ("precios", "AnexoOT"),
        ("precios", "PartidaAnexoOT"), ("produccion", "Produccion"),
    )}  # fmt: skip
    unidad = m["UnidadMedida"].objects.create(clave="Jor", descripcion="Jornada")
    buceo = m["Partida"].objects.create(clave="2.1.", descripcion="Buceo", unidad=unidad)
    rov = m["Partida"].objects.create(clave="ROV-010", descripcion="Inspección ROV", unidad=unidad)
    sitio = m["Sitio"].objects.create(
        descripcion="Akal-C", frente=m["Frente"].objects.create(descripcion="Sonda")
    )
    comun = {
        "descripcion_trabajo": "Trabajo",
        "responsable_proyecto": m["ResponsableProyecto"].objects.create(nombre="Ing. A"),
        "cliente": m["Cliente"].objects.create(
            descripcion="PEP", tipo=m["Tipo"].objects.create(descripcion="PEMEX", aplica_a=3)
        ),
        "sitio": sitio,
    }
    principal = m["OT"].objects.create(orden_trabajo="OT-1", **comun)
    repro = m["OT"].objects.create(
        orden_trabajo="OT-1", ot_principal=principal, num_reprogramacion=1, **comun
    )
    # The principal already has an anexo with concept 2.1 of C-5.
    contrato = m["Contrato"].objects.create(numero="640857800")
    concepto = m["Concepto"].objects.create(
        anexo=m["Anexo"].objects.create(contrato=contrato, clave="C-5"),
        partida="2.1", orden="000002.000001", concepto="Buceo", unidad="JOR",
    )  # fmt: skip
    anexo = m["AnexoOT"].objects.create(ot=principal, version=1)
    linea = m["PartidaAnexoOT"].objects.create(
        anexo_ot=anexo, concepto=concepto, volumen=5, pu_mn=10, pu_usd=0, orden=1
    )
    filas = [
        (principal, buceo, 1, "3"),
        (principal, rov, 2, "4"),
        (repro, rov, 3, "6.5"),
        (repro, buceo, 4, "1"),
    ]
    for ot, partida, dia, volumen in filas:
        m["Produccion"].objects.create(
            ot=ot, partida=partida, unidad=unidad, sitio=sitio,
            fecha_produccion=datetime.date(2026, 1, dia), volumen_produccion=Decimal(volumen),
            es_excedente=True,
        )  # fmt: skip

    executor = MigrationExecutor(connection)
    executor.migrate(DESPUES)
    apps = executor.loader.project_state(DESPUES).apps
    Produccion = apps.get_model("produccion", "Produccion")
    PartidaAnexoOT = apps.get_model("precios", "PartidaAnexoOT")

    lineas = {
        (f.ot_id, f.fecha_produccion.day): f.partida_anexo_id for f in Produccion.objects.all()
    }
    # Onto the existing line of 2.1 where the OT's anexo has it.
    assert lineas[(principal.pk, 1)] == linea.pk
    migradas = PartidaAnexoOT.objects.exclude(pk=linea.pk).select_related(
        "anexo_ot", "concepto__anexo"
    )
    por_ot = {
        (x.anexo_ot.ot_id, x.concepto.partida): x for x in migradas
    }  # fmt: skip
    assert set(por_ot) == {(principal.pk, "ROV-010"), (repro.pk, "ROV-010"), (repro.pk, "2.1")}
    rov_principal = por_ot[(principal.pk, "ROV-010")]
    # Added to the principal's active anexo; the re-programming got a version 1.
    assert rov_principal.anexo_ot_id == anexo.pk
    assert por_ot[(repro.pk, "2.1")].anexo_ot.version == 1
    assert {x.concepto.anexo.clave for x in migradas} == {"MIGRACION"}
    # The family's volume on the partida: nothing becomes excedente.
    assert rov_principal.volumen == Decimal("10.5")
    assert lineas[(principal.pk, 2)] == rov_principal.pk
    assert lineas[(repro.pk, 3)] == por_ot[(repro.pk, "ROV-010")].pk
    assert set(Produccion.objects.values_list("excedente", flat=True)) == {0}
    assert rov_principal.concepto.unidad == "JOR"
