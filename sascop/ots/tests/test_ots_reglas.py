"""The client's rules for OTs: its status codes (and their migration), Terminada stamping the
real end, an OT from a PTE only once the PTE is done and only one, a unique oficio per OT
family, and progress weighing time elapsed against steps done."""

from __future__ import annotations

import datetime
import importlib
from http import HTTPStatus
from typing import cast

import pytest
import time_machine
from django.apps import apps
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from sascop.accounts.models import User
from sascop.accounts.tests.factories import UserFactory
from sascop.catalogos.estatus import EstatusOT, EstatusPaso
from sascop.catalogos.tests.factories import PasoFactory
from sascop.core.errors import Conflict
from sascop.ots import selectors, services
from sascop.ots.models import OT
from sascop.ots.tests.factories import OTFactory, con_pasos
from sascop.ptes.models import PTE, PTEDetalle
from sascop.ptes.tests.factories import PTEFactory

pytestmark = pytest.mark.django_db
URL = "/operaciones/api/ots/"
HOY = "2026-07-16T10:00:00-06:00"


def _pte_con_pasos(*estatus):
    pte = PTEFactory()
    for valor in estatus:
        PTEDetalle.objects.create(pte=pte, paso=PasoFactory(), estatus=valor)
    return pte


def _send(c, csrf, method, url, body=None, **headers):
    return getattr(c, method)(
        url, body or {}, content_type="application/json", **csrf(c), **headers
    )


# --- status codes -------------------------------------------------------------------------


def test_status_catalog_lists_the_clients_codes(viewer):
    body = viewer.get("/operaciones/api/catalogos/estatus/").json()

    assert body["ot"] == [
        {"valor": 5, "texto": "Asignada"},
        {"valor": 6, "texto": "Cancelada"},
        {"valor": 7, "texto": "Diferida"},
        {"valor": 8, "texto": "En ejecución"},
        {"valor": 9, "texto": "Suspendida"},
        {"valor": 10, "texto": "Terminada"},
        {"valor": 11, "texto": "Por cancelar"},
        {"valor": 16, "texto": "Diferida (sin iniciar)"},
    ]


def test_data_migration_maps_old_codes_and_back():
    migracion = importlib.import_module("sascop.ots.migrations.0002_estatus_del_cliente")
    viejos = [1, 2, 3, 4, 9]
    ots = [OTFactory() for _ in viejos]
    for ot, viejo in zip(ots, viejos, strict=True):
        OT.all_objects.filter(pk=ot.pk).update(estatus=viejo)
    borrada = OTFactory(eliminado_en=timezone.now())
    OT.all_objects.filter(pk=borrada.pk).update(estatus=2)

    migracion._mover(migracion.ADELANTE)(apps, None)

    def estatus():
        return [OT.all_objects.get(pk=ot.pk).estatus for ot in [*ots, borrada]]

    assert estatus() == [5, 8, 10, 6, 9, 8]  # deleted OTs move too
    OT.all_objects.filter(pk=ots[0].pk).update(estatus=16)
    OT.all_objects.filter(pk=ots[4].pk).update(estatus=11)

    migracion._mover(migracion.ATRAS)(apps, None)

    assert estatus() == [1, 2, 3, 4, 9, 2]


def test_pte_priority_accepts_tbd(engineer, csrf):
    pte = PTEFactory()
    etag = engineer.get(f"/operaciones/api/ptes/{pte.pk}/")["ETag"]

    response = _send(
        engineer,
        csrf,
        "patch",
        f"/operaciones/api/ptes/{pte.pk}/",
        {"prioridad": 4},
        HTTP_IF_MATCH=etag,
    )

    assert response.status_code == HTTPStatus.OK
    assert response.json()["prioridad"] == PTE.Prioridad.TBD == 4


# --- Terminada stamps fecha_termino_real ---------------------------------------------------


def test_terminada_stamps_the_real_end_and_leaving_it_clears_it():
    usuario = cast(User, UserFactory())
    ot = OTFactory(estatus=EstatusOT.EN_EJECUCION)

    with time_machine.travel(HOY, tick=False):
        terminada = services.ot_actualizar(
            usuario=usuario, ot_id=ot.pk, datos={"estatus": EstatusOT.TERMINADA}
        )
    assert terminada.fecha_termino_real == datetime.date(2026, 7, 16)

    reabierta = services.ot_actualizar(
        usuario=usuario, ot_id=ot.pk, datos={"estatus": EstatusOT.EN_EJECUCION}
    )
    assert reabierta.fecha_termino_real is None

    dada = services.ot_actualizar(
        usuario=usuario,
        ot_id=ot.pk,
        datos={"estatus": EstatusOT.TERMINADA, "fecha_termino_real": datetime.date(2026, 7, 1)},
    )
    assert dada.fecha_termino_real == datetime.date(2026, 7, 1)


def test_created_terminada_gets_the_real_end(engineer, csrf, time_machine):
    time_machine.move_to(HOY, tick=False)
    principal = OTFactory()

    creada = services.ot_crear(
        usuario=cast(User, UserFactory()),
        datos={**_datos(principal, "OT-T1"), "estatus": EstatusOT.TERMINADA},
    )
    reprogramada = _send(
        engineer, csrf, "post", f"{URL}{principal.pk}/reprogramaciones/", {"estatus": 10}
    )

    assert creada.fecha_termino_real == datetime.date(2026, 7, 16)
    assert reprogramada.json()["fecha_termino_real"] == "2026-07-16"


def test_patch_to_terminada_through_the_api(engineer, csrf, time_machine):
    time_machine.move_to(HOY, tick=False)
    ot = OTFactory(estatus=EstatusOT.EN_EJECUCION)
    etag = engineer.get(f"{URL}{ot.pk}/")["ETag"]

    done = _send(engineer, csrf, "patch", f"{URL}{ot.pk}/", {"estatus": 10}, HTTP_IF_MATCH=etag)
    back = _send(
        engineer, csrf, "patch", f"{URL}{ot.pk}/", {"estatus": 8}, HTTP_IF_MATCH=done["ETag"]
    )

    assert done.status_code == back.status_code == HTTPStatus.OK
    assert (done.json()["estatus_texto"], done.json()["fecha_termino_real"]) == (
        "Terminada",
        "2026-07-16",
    )
    assert back.json()["fecha_termino_real"] is None


# --- an OT from a PTE ----------------------------------------------------------------------


def test_ot_from_pte_waits_for_its_steps():
    usuario = cast(User, UserFactory())
    pte = _pte_con_pasos(EstatusPaso.COMPLETADO, EstatusPaso.EN_PROCESO, EstatusPaso.PENDIENTE)

    with translation.override("en"), pytest.raises(Conflict, match=f"PTE {pte.pk} has 2 step"):
        services.ot_crear_desde_pte(usuario=usuario, pte_id=pte.pk, datos={"orden_trabajo": "A"})
    PTEDetalle.objects.filter(pte=pte, estatus=EstatusPaso.EN_PROCESO).update(
        estatus=EstatusPaso.NO_APLICA
    )
    with pytest.raises(Conflict):
        services.ot_crear_desde_pte(usuario=usuario, pte_id=pte.pk, datos={"orden_trabajo": "A"})
    PTEDetalle.objects.filter(pte=pte).exclude(estatus=EstatusPaso.NO_APLICA).update(
        estatus=EstatusPaso.COMPLETADO
    )

    ot = services.ot_crear_desde_pte(usuario=usuario, pte_id=pte.pk, datos={"orden_trabajo": "A"})

    assert ot.pte_id == pte.pk
    assert not OT.objects.exclude(pk=ot.pk).exists()


def test_one_ot_per_pte_and_its_reprogrammings_share_it(engineer, csrf):
    usuario = cast(User, UserFactory())
    pte = _pte_con_pasos(EstatusPaso.COMPLETADO)
    primera = services.ot_crear_desde_pte(
        usuario=usuario, pte_id=pte.pk, datos={"orden_trabajo": "A"}
    )

    with translation.override("en"), pytest.raises(Conflict, match=f"already has OT {primera.pk}"):
        services.ot_crear_desde_pte(usuario=usuario, pte_id=pte.pk, datos={"orden_trabajo": "B"})
    reprogramacion = services.ot_reprogramar(usuario=usuario, ot_id=primera.pk, datos={})
    assert reprogramacion.pte_id == pte.pk
    # Deleting the OT (and its re-programming) frees the PTE for a new one.
    services.ot_eliminar(usuario=usuario, ot_id=reprogramacion.pk)
    services.ot_eliminar(usuario=usuario, ot_id=primera.pk)
    nueva = services.ot_crear_desde_pte(
        usuario=usuario, pte_id=pte.pk, datos={"orden_trabajo": "C"}
    )
    assert nueva.pte_id == pte.pk


def test_database_holds_one_principal_ot_per_pte():
    pte = PTEFactory()
    principal = OTFactory(pte=pte)
    OTFactory(pte=pte, ot_principal=principal, num_reprogramacion=1)  # allowed

    with pytest.raises(IntegrityError), transaction.atomic():
        OT.objects.bulk_create([OTFactory.build(pte=pte, orden_trabajo="Z", **_catalogos())])


def test_ot_from_pte_conflicts_through_the_api(engineer, csrf):
    pendiente = _pte_con_pasos(EstatusPaso.COMPLETADO, EstatusPaso.PENDIENTE)
    lista = _pte_con_pasos(EstatusPaso.NO_APLICA)

    refused = _send(
        engineer,
        csrf,
        "post",
        f"/operaciones/api/ptes/{pendiente.pk}/ots/",
        {"orden_trabajo": "A"},
    )
    first = _send(
        engineer, csrf, "post", f"/operaciones/api/ptes/{lista.pk}/ots/", {"orden_trabajo": "B"}
    )
    second = _send(
        engineer, csrf, "post", f"/operaciones/api/ptes/{lista.pk}/ots/", {"orden_trabajo": "C"}
    )

    assert refused.status_code == second.status_code == HTTPStatus.CONFLICT
    assert refused.json() == {
        "error": "Conflict",
        "code": "conflict",
        "detail": f"PTE {pendiente.pk} has 1 step(s) neither completed nor marked not "
        "applicable; an OT follows a PTE only when all its steps are done.",
    }
    assert second.json() == {
        "error": "Conflict",
        "code": "conflict",
        "detail": f"PTE {lista.pk} already has OT {first.json()['id']}; "
        "re-program that OT instead.",
    }
    assert first.status_code == HTTPStatus.CREATED
    assert OT.objects.count() == 1


@pytest.mark.parametrize(
    ("pendientes", "pasos"), [(1, "1 paso sin completar"), (2, "2 pasos sin completar")]
)
def test_ot_from_pte_conflict_speaks_spanish_to_who_asks_for_it(engineer, csrf, pendientes, pasos):
    pte = _pte_con_pasos(EstatusPaso.COMPLETADO, *[EstatusPaso.PENDIENTE] * pendientes)
    url = f"/operaciones/api/ptes/{pte.pk}/ots/"

    refused = _send(
        engineer, csrf, "post", url, {"orden_trabajo": "A"}, HTTP_ACCEPT_LANGUAGE="es-MX"
    )

    assert refused.status_code == HTTPStatus.CONFLICT
    assert refused.json() == {
        "error": "Conflict",
        "code": "conflict",
        "detail": f"La PTE {pte.pk} tiene {pasos} ni marcar «No aplica»; una OT sigue a una "
        "PTE solo cuando todos sus pasos están hechos.",
    }


# --- oficio_ot -----------------------------------------------------------------------------


def _catalogos():
    base = OTFactory()
    return {
        "responsable_proyecto": base.responsable_proyecto,
        "cliente": base.cliente,
        "sitio": base.sitio,
        "frente": base.frente,
    }


def _datos(ot, orden, **extra):
    return {
        "orden_trabajo": orden,
        "descripcion_trabajo": "Trabajo",
        "responsable_proyecto": ot.responsable_proyecto,
        "cliente": ot.cliente,
        **extra,
    }


def test_an_oficio_names_one_ot_family():
    usuario = cast(User, UserFactory())
    a = OTFactory(oficio_ot="OF-1")
    b = OTFactory(oficio_ot="OF-2")

    with (
        translation.override("en"),
        pytest.raises(Conflict, match=f"'OF-1' already belongs to OT {a.pk}"),
    ):
        services.ot_crear(usuario=usuario, datos=_datos(a, "OT-X", oficio_ot="OF-1"))
    # A re-programming keeps its principal's oficio, and a re-programming of it too.
    r1 = services.ot_reprogramar(usuario=usuario, ot_id=a.pk, datos={})
    r2 = services.ot_reprogramar(usuario=usuario, ot_id=r1.pk, datos={})
    assert r1.oficio_ot == r2.oficio_ot == "OF-1"
    with translation.override("en"), pytest.raises(Conflict, match=f"already belongs to OT {b.pk}"):
        services.ot_reprogramar(usuario=usuario, ot_id=a.pk, datos={"oficio_ot": "OF-2"})
    with translation.override("en"), pytest.raises(Conflict, match=f"already belongs to OT {a.pk}"):
        services.ot_actualizar(usuario=usuario, ot_id=b.pk, datos={"oficio_ot": "OF-1"})
    # Blank oficios never clash; a deleted OT's oficio is free again.
    services.ot_crear(usuario=usuario, datos=_datos(a, "OT-Y"))
    services.ot_crear(usuario=usuario, datos=_datos(a, "OT-Z"))
    services.ot_eliminar(usuario=usuario, ot_id=b.pk)
    libre = services.ot_crear(usuario=usuario, datos=_datos(a, "OT-W", oficio_ot="OF-2"))
    assert libre.oficio_ot == "OF-2"


def test_database_holds_principals_to_a_unique_oficio():
    a = OTFactory(oficio_ot="OF-1")
    OTFactory(
        oficio_ot="OF-1", ot_principal=a, orden_trabajo=a.orden_trabajo, num_reprogramacion=1
    )  # allowed
    OTFactory(oficio_ot="")
    OTFactory(oficio_ot="")  # allowed

    with pytest.raises(IntegrityError), transaction.atomic():
        OT.objects.bulk_create([OTFactory.build(oficio_ot="OF-1", **_catalogos())])


def test_used_oficio_is_409_through_the_api(engineer, csrf):
    used = OTFactory(oficio_ot="OF-9")
    body = {
        "orden_trabajo": "OT-NEW",
        "oficio_ot": "OF-9",
        "descripcion_trabajo": "Trabajo",
        "responsable_proyecto": used.responsable_proyecto_id,
        "cliente": used.cliente_id,
    }

    response = _send(engineer, csrf, "post", URL, body)

    assert response.status_code == HTTPStatus.CONFLICT
    assert response.json() == {
        "error": "Conflict",
        "code": "conflict",
        "detail": f"The oficio 'OF-9' already belongs to OT {used.pk}.",
    }


# --- progress ------------------------------------------------------------------------------


def _ot_con_pasos(hechos, total, **fechas):
    return con_pasos(OTFactory(**{"estatus": EstatusOT.EN_EJECUCION, **fechas}), hechos, total)


def _avance(ot):
    return selectors.ot_detalle(ot.pk)[3]


@pytest.mark.parametrize(
    ("fechas", "esperado"),
    [
        # 15 of 30 days, 1 of 4 steps: 0.7 x 50 + 0.3 x 25
        ({}, selectors.Avance(42.5, 15, 15)),
        # not started yet: no time elapsed
        (
            {"fecha_inicio_programado": datetime.date(2026, 8, 1)},
            selectors.Avance(7.5, 0, 15),
        ),
        # past its programmed end: all the time is spent, nothing remains, 5 days late
        (
            {"fecha_termino_programado": datetime.date(2026, 7, 11)},
            selectors.Avance(77.5, 15, 0, 5),
        ),
        # time is measured on the programmed dates, as the client's system does: a real
        # start changes the days elapsed (10), not the share of the plan (15 of 30 days)
        ({"fecha_inicio_real": datetime.date(2026, 7, 6)}, selectors.Avance(42.5, 10, 15)),
        # a real end without the status Terminada: the programmed plan still counts
        (
            {"fecha_termino_real": datetime.date(2026, 7, 10)},
            selectors.Avance(42.5, 9, 0),
        ),
        # no dates: only the steps count
        (
            {"fecha_inicio_programado": None, "fecha_termino_programado": None},
            selectors.Avance(7.5, None, None),
        ),
    ],
)
def test_progress_weighs_time_and_steps(time_machine, fechas, esperado):
    time_machine.move_to(HOY, tick=False)
    plan = {
        "fecha_inicio_programado": datetime.date(2026, 7, 1),
        "fecha_termino_programado": datetime.date(2026, 7, 31),
    }

    assert _avance(_ot_con_pasos(1, 4, **{**plan, **fechas})) == esperado


def test_progress_weights_come_from_settings(settings, time_machine):
    time_machine.move_to(HOY, tick=False)
    ot = _ot_con_pasos(
        1,
        4,
        fecha_inicio_programado=datetime.date(2026, 7, 1),
        fecha_termino_programado=datetime.date(2026, 7, 31),
    )
    settings.OT_PESO_TIEMPO, settings.OT_PESO_PASOS = 0, 1

    assert _avance(ot).progreso == 25.0
    settings.OT_PESO_TIEMPO, settings.OT_PESO_PASOS = 1, 1  # proportions, not percents
    assert _avance(ot).progreso == 37.5


def test_list_shows_progress_and_days(viewer, time_machine):
    time_machine.move_to(HOY, tick=False)
    ot = _ot_con_pasos(
        2,
        4,
        fecha_inicio_programado=datetime.date(2026, 7, 1),
        fecha_termino_programado=datetime.date(2026, 7, 31),
    )

    item = viewer.get(URL).json()["ots"][0]

    assert item["id"] == ot.pk
    assert (item["progreso"], item["dias_transcurridos"], item["dias_restantes"]) == (
        50.0,
        15,
        15,
    )
