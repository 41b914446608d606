"""An OT's schedule: days late or remaining, the late-only filter and the order by programmed
end, and progress by status (API, list page, export)."""

from __future__ import annotations

import datetime
import io
from http import HTTPStatus

import openpyxl
import pytest

from sascop.catalogos.estatus import EstatusOT, EstatusPaso
from sascop.catalogos.tests.factories import PasoOtFactory
from sascop.core.api.etags import etag_for
from sascop.ots.models import OTDetalle
from sascop.ots.tests.factories import OTFactory, con_pasos

pytestmark = pytest.mark.django_db
URL = "/operaciones/api/ots/"
HOY = "2026-07-16T10:00:00-06:00"
FECHA_HOY = datetime.date(2026, 7, 16)


def _ot(orden: str, fin: datetime.date | None, estatus: int = EstatusOT.EN_EJECUCION, **extra):
    return OTFactory(
        orden_trabajo=orden,
        estatus=estatus,
        fecha_inicio_programado=datetime.date(2026, 6, 1),
        fecha_termino_programado=fin,
        **extra,
    )


@pytest.fixture
def agenda(time_machine):
    """OTs at the boundaries of being late, on 16/07/2026."""
    time_machine.move_to(HOY, tick=False)
    return {
        "hoy": _ot("HOY", FECHA_HOY),  # due today: not late yet
        "ayer": _ot("AYER", FECHA_HOY - datetime.timedelta(days=1)),
        "diez": _ot("DIEZ", FECHA_HOY - datetime.timedelta(days=10), EstatusOT.SUSPENDIDA),
        "manana": _ot("MANANA", FECHA_HOY + datetime.timedelta(days=1)),
        "terminada": _ot(
            "TERMINADA",
            datetime.date(2026, 7, 1),
            EstatusOT.TERMINADA,
            fecha_termino_real=datetime.date(2026, 7, 5),
        ),
        "cancelada": _ot("CANCELADA", datetime.date(2026, 7, 1), EstatusOT.CANCELADA),
        "sin_fin": _ot("SIN-FIN", None),
    }


def _por_orden(body):
    return {o["orden_trabajo"]: o for o in body["ots"]}


def test_days_late_at_the_boundaries(viewer, agenda):
    ots = _por_orden(viewer.get(URL, {"elementos_por_pagina": 50}).json())

    atraso = {orden: (o["dias_atraso"], o["dias_restantes"]) for orden, o in ots.items()}
    assert atraso == {
        "HOY": (0, 0),  # due today: no day late, none remaining
        "AYER": (1, 0),
        "DIEZ": (10, 0),  # suspended is still late
        "MANANA": (0, 1),
        "TERMINADA": (0, 0),  # finished: never late
        "CANCELADA": (0, 0),  # cancelled: never late
        "SIN-FIN": (0, None),  # no programmed end: nothing to be late against
    }


def test_late_filter_and_sort_by_programmed_end(viewer, agenda):
    atrasadas = viewer.get(URL, {"atrasadas": "true", "orden": "fecha_termino_programado"})
    al_dia = viewer.get(URL, {"atrasadas": "false", "orden": "-fecha_termino_programado"})
    por_atraso = viewer.get(URL, {"atrasadas": "true", "orden": "-dias_atraso"})

    assert atrasadas.status_code == HTTPStatus.OK
    assert [o["orden_trabajo"] for o in atrasadas.json()["ots"]] == ["DIEZ", "AYER"]
    assert [o["orden_trabajo"] for o in por_atraso.json()["ots"]] == ["DIEZ", "AYER"]
    # Descending puts the OT without an end where the database does; compare the dated ones.
    fechados = [o["orden_trabajo"] for o in al_dia.json()["ots"] if o["orden_trabajo"] != "SIN-FIN"]
    # The same end: the newest first (the list's tie-break).
    assert fechados == ["MANANA", "HOY", "CANCELADA", "TERMINADA"]
    assert viewer.get(URL, {"atrasadas": "quizá"}).status_code == HTTPStatus.BAD_REQUEST


@pytest.mark.parametrize(
    ("estatus", "progreso"),
    [
        # Half the programmed plan elapsed and 1 of 4 steps done: 0.7 x 50 + 0.3 x 25.
        (EstatusOT.EN_EJECUCION, 42.5),
        (EstatusOT.SUSPENDIDA, 42.5),
        (EstatusOT.DIFERIDA, 42.5),
        (EstatusOT.POR_CANCELAR, 42.5),
        # Not started: the calendar does not count, only the steps (0.3 x 25).
        (EstatusOT.ASIGNADA, 7.5),
        (EstatusOT.DIFERIDA_SIN_INICIAR, 7.5),
        (EstatusOT.TERMINADA, 100.0),
        (EstatusOT.CANCELADA, None),
    ],
)
def test_progress_by_status(viewer, time_machine, estatus, progreso):
    time_machine.move_to(HOY, tick=False)
    ot = con_pasos(
        OTFactory(
            estatus=estatus,
            fecha_inicio_programado=datetime.date(2026, 7, 1),
            fecha_termino_programado=datetime.date(2026, 7, 31),
        ),
        1,
        4,
    )

    assert viewer.get(f"{URL}{ot.pk}/").json()["progreso"] == progreso
    assert viewer.get(URL).json()["ots"][0]["progreso"] == progreso


def test_time_is_measured_on_the_programmed_dates(viewer, time_machine):
    # Started late and finishing late in fact: the share of the plan is still the
    # programmed one (15 of 30 days), as the client's system measures it.
    time_machine.move_to(HOY, tick=False)
    ot = OTFactory(
        estatus=EstatusOT.EN_EJECUCION,
        fecha_inicio_programado=datetime.date(2026, 7, 1),
        fecha_termino_programado=datetime.date(2026, 7, 31),
        fecha_inicio_real=datetime.date(2026, 7, 11),
    )

    item = viewer.get(f"{URL}{ot.pk}/").json()

    assert (item["progreso"], item["dias_transcurridos"], item["dias_atraso"]) == (35.0, 5, 0)


def test_the_list_page_shows_days_late_and_filters_late_ones(viewer, agenda):
    html = viewer.get("/ots/", {"atrasadas": "true"}).content.decode()

    assert "AYER" in html and "DIEZ" in html
    for orden in ("MANANA", "TERMINADA", "CANCELADA", "SIN-FIN"):
        assert f">{orden}<" not in html
    assert "1 día de atraso" in html
    assert "10 días de atraso" in html
    assert '<option value="true" selected>Solo atrasadas</option>' in html

    todas = viewer.get("/ots/", {"por_pagina": 25}).content.decode()
    assert "1 día restante" in todas  # MANANA
    # A cancelled OT shows no progress bar at all; a finished one no days.
    assert 'aria-label="Avance de CANCELADA"' not in todas
    assert 'aria-label="Avance de TERMINADA">100%</progress>' in todas


def test_the_list_page_sorts_by_days_late(viewer, agenda):
    html = viewer.get("/ots/", {"atrasadas": "true", "orden": "-dias_atraso"}).content.decode()

    assert html.index(">DIEZ<") < html.index(">AYER<")


def test_the_export_has_days_late_and_no_progress_for_a_cancelled_ot(viewer, agenda):
    response = viewer.get("/ots/", {"orden": "orden_trabajo", "exportar": "xlsx"})
    hoja = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))["OTs"]
    titulos = [c.value for c in hoja[1]]
    filas = {
        fila[0]: dict(zip(titulos, fila, strict=True))
        for fila in hoja.iter_rows(2, values_only=True)
    }

    assert filas["DIEZ"]["Días de atraso"] == 10
    assert filas["HOY"]["Días de atraso"] == 0
    assert filas["CANCELADA"]["Días de atraso"] == 0
    assert filas["CANCELADA"]["Avance (%)"] is None
    assert filas["TERMINADA"]["Avance (%)"] == 100


@pytest.mark.parametrize("pagina", [URL, "/ots/"])
def test_the_lists_count_the_same_queries_however_many_ots_are_late(
    viewer, time_machine, django_assert_max_num_queries, django_assert_num_queries, pagina
):
    time_machine.move_to(HOY, tick=False)
    _ot("A", FECHA_HOY - datetime.timedelta(days=3))
    parametros = {"atrasadas": "true", "elementos_por_pagina": 50, "por_pagina": 50}
    viewer.get("/api/user/")
    with django_assert_max_num_queries(100) as pocas:
        viewer.get(pagina, parametros)

    estatus = list(EstatusOT)
    for n in range(25):
        _ot(f"B{n}", FECHA_HOY - datetime.timedelta(days=n), estatus=estatus[n % len(estatus)])

    with django_assert_num_queries(len(pocas)):
        assert viewer.get(pagina, parametros).status_code == HTTPStatus.OK


def test_the_ot_page_says_its_days_late_also_after_a_step_is_saved(engineer, agenda):
    ot = agenda["diez"]
    detalle = OTDetalle.objects.create(ot=ot, paso=PasoOtFactory())

    page = engineer.get(f"/ots/{ot.pk}/").content.decode()
    assert '<strong class="atraso" id="plazo-ot">10 días de atraso</strong>' in page
    a_tiempo = engineer.get(f"/ots/{agenda['manana'].pk}/").content.decode()
    assert '<strong class="tenue" id="plazo-ot">1 día restante</strong>' in a_tiempo
    terminada = engineer.get(f"/ots/{agenda['terminada'].pk}/").content.decode()
    assert 'id="plazo-ot"' not in terminada

    fila = engineer.post(
        f"/ots/{ot.pk}/pasos/{detalle.pk}/",
        {
            "estatus": str(EstatusPaso.COMPLETADO),
            "version": etag_for(detalle),
            "csrfmiddlewaretoken": engineer.cookies["csrftoken"].value,
        },
        HTTP_HX_REQUEST="true",
    ).content.decode()
    assert 'id="avance-ot" class="avance-ot" hx-swap-oob="true"' in fila
    assert '<strong class="atraso" id="plazo-ot">10 días de atraso</strong>' in fila
