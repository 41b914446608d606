"""Queued tasks: what their owner reads while they wait, run and finish; the weekly
schedule kept on the queue; tasks a dead worker was running."""

from __future__ import annotations

import datetime
from http import HTTPStatus
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.test import Client
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from conftest import PASSWORD
from sascop.accounts.tests.factories import UserFactory
from sascop.reportes.tasks import RUTA, reporte_semanal_programado
from sascop.tareas import programa, recuperacion
from sascop.tareas.models import Tarea
from sascop.tareas.services import tarea_avanzar, tarea_encolar

MEXICO = ZoneInfo("America/Mexico_City")
LUNES_7 = (1, 7, 0)


def _cliente(json_login, usuario) -> Client:
    c = Client(enforce_csrf_checks=True)
    json_login(usuario.username, PASSWORD, c=c)
    return c


@pytest.mark.parametrize(
    ("ahora", "siguiente"),
    [
        (datetime.datetime(2026, 12, 6, 12, 0), datetime.datetime(2026, 12, 7, 7, 0)),
        (datetime.datetime(2026, 12, 7, 6, 59), datetime.datetime(2026, 12, 7, 7, 0)),
        (datetime.datetime(2026, 12, 7, 7, 0), datetime.datetime(2026, 12, 14, 7, 0)),
        (datetime.datetime(2026, 12, 9, 18, 30), datetime.datetime(2026, 12, 14, 7, 0)),
    ],
)
def test_the_next_monday_0700_in_mexico_city(ahora, siguiente):
    assert programa.siguiente(LUNES_7, ahora.replace(tzinfo=MEXICO)) == siguiente.replace(
        tzinfo=MEXICO
    )


def test_the_worker_keeps_exactly_one_next_run_of_each_recurring_task(db, time_machine):
    time_machine.move_to(datetime.datetime(2026, 12, 9, 10, 0, tzinfo=MEXICO), tick=False)

    assert programa.asegurar_programadas() == [RUTA]
    assert programa.asegurar_programadas() == []

    [siguiente] = DBTaskResult.objects.filter(task_path=RUTA)
    assert siguiente.status == TaskResultStatus.READY
    assert siguiente.run_after == datetime.datetime(2026, 12, 14, 7, 0, tzinfo=MEXICO)


def test_its_owner_reads_a_task_waiting_then_advancing(db, json_login):
    ana, otro = UserFactory(), UserFactory()
    tarea = tarea_encolar(reporte_semanal_programado, usuario=ana)
    url = f"/operaciones/api/tareas/{tarea.pk}/"

    respuesta = _cliente(json_login, ana).get(url)
    assert respuesta.status_code == HTTPStatus.OK
    assert respuesta.json() == {"estado": "en_cola", "avance": None, "resultado": None}
    assert respuesta["Cache-Control"] == "no-store"

    tarea_avanzar(str(tarea.pk), hechas=50, total=200)
    assert _cliente(json_login, ana).get(url).json()["avance"] == 25

    # Someone else's task, or none, is not found; without a session, 401.
    assert _cliente(json_login, otro).get(url).status_code == HTTPStatus.NOT_FOUND
    nadie = f"/operaciones/api/tareas/{Tarea().pk}/"
    assert _cliente(json_login, ana).get(nadie).status_code == HTTPStatus.NOT_FOUND
    assert Client().get(url).status_code == HTTPStatus.UNAUTHORIZED


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_run_of_the_weekly_report_queues_the_next_and_tells_its_owner_what_it_did(
    json_login, settings, time_machine
):
    time_machine.move_to(datetime.datetime(2026, 12, 7, 7, 0, 5, tzinfo=MEXICO), tick=False)
    settings.REPORTE_SEMANAL_DESTINATARIOS = []  # nobody to send to: the run just passes
    ana = UserFactory()
    tarea = tarea_encolar(reporte_semanal_programado, usuario=ana)

    call_command("trabajar", "--max-tareas", "1", "--intervalo", "0", "--id", "w-prueba")

    cuerpo = _cliente(json_login, ana).get(f"/operaciones/api/tareas/{tarea.pk}/").json()
    assert cuerpo == {
        "estado": "terminada",
        "avance": 100,
        "resultado": {"desde": "2026-11-30", "hasta": "2026-12-06", "enviado_a": []},
    }
    pendientes = DBTaskResult.objects.filter(task_path=RUTA, status=TaskResultStatus.READY)
    assert [p.run_after for p in pendientes] == [
        datetime.datetime(2026, 12, 14, 7, 0, tzinfo=MEXICO)
    ]


def test_tasks_a_dead_worker_was_running_are_failed_when_it_starts_again(db):
    suya = tarea_encolar(reporte_semanal_programado)
    ajena = tarea_encolar(reporte_semanal_programado)
    DBTaskResult.objects.filter(pk=suya.pk).update(status="RUNNING", worker_ids=["w1"])
    DBTaskResult.objects.filter(pk=ajena.pk).update(status="RUNNING", worker_ids=["w1", "w2"])

    assert recuperacion.fallar_interrumpidas("w1") == [str(suya.pk)]

    estados = dict(DBTaskResult.objects.values_list("pk", "status"))
    assert (estados[suya.pk], estados[ajena.pk]) == ("FAILED", "RUNNING")
