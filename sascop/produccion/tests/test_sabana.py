"""The monthly production sheet (sábana): its shape, ETag, saving a whole month with
If-Match, cell errors, signed-off days, the workbook; and the daily report states."""

from __future__ import annotations

import datetime
import io
import json
from decimal import Decimal
from http import HTTPStatus

import openpyxl
import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sascop.actividad.models import RegistroActividad
from sascop.catalogos.tests.factories import SitioFactory
from sascop.core.tests.test_openapi_document import assert_documented
from sascop.ots.tests.factories import OTFactory
from sascop.precios.models import ProgramaDiario
from sascop.precios.tests.factories import ConceptoFactory, linea_de
from sascop.produccion import excedentes, hojas
from sascop.produccion.models import HojaGuardada, Produccion, ReporteDiario
from sascop.produccion.tests.factories import ProduccionFactory, tuberia_programada
from tests.envelope import assert_error

pytestmark = pytest.mark.django_db
URL = "/operaciones/api/produccion/sabana/"


@pytest.fixture
def hoja():
    """An OT whose anexo has two lines, programmed and partly executed in May 2026."""
    ot = OTFactory()
    tubo = tuberia_programada(ot)
    buzo = linea_de(
        ot,
        concepto=ConceptoFactory(anexo__clave="C-2", partida="3", concepto="Buzo",
                                 unidad="HOM/DIA", pu_mn=Decimal("0"), pu_usd=Decimal("10.50")),
        volumen=Decimal("20"),
    )  # fmt: skip
    ProgramaDiario.objects.create(partida=tubo, fecha=datetime.date(2026, 6, 1), volumen=9)
    filas = [
        (tubo, "2026-04-30", "TE", "30"),  # an earlier month
        (tubo, "2026-05-04", "TE", "45.5"),
        (tubo, "2026-05-05", "TE", "40"),  # 115.5 by now: 15.5 beyond
        (tubo, "2026-05-05", "CMA", "1"),  # another kind of time: not on this sheet
        (buzo, "2026-05-31", "TE", "2"),
    ]
    for linea, fecha, tipo, volumen in filas:
        ProduccionFactory(
            ot=ot, partida_anexo=linea, fecha_produccion=fecha, tipo_tiempo=tipo,
            volumen_produccion=Decimal(volumen),
        )  # fmt: skip
    excedentes.recalcular_todo()
    return {"ot": ot, "tubo": tubo, "buzo": buzo}


def _get(c, ot, **params):
    cabeceras = {k: params.pop(k) for k in list(params) if k.startswith("HTTP_")}
    return c.get(URL, {"ot": ot.pk, "anio": 2026, "mes": 5, **params}, **cabeceras)


def test_the_sheet_sets_executed_against_programmed(viewer, hoja):
    ot, tubo, buzo = hoja["ot"], hoja["tubo"], hoja["buzo"]

    response = _get(viewer, ot)

    assert response.status_code == HTTPStatus.OK
    assert response["ETag"].startswith('"')
    assert response.json() == {
        "ot": ot.pk,
        "orden_trabajo": ot.orden_trabajo,
        "anio": 2026,
        "mes": 5,
        "tipo_tiempo": "TE",
        "sitio": ot.sitio_id,
        "sitio_descripcion": ot.sitio.descripcion,
        "dias": list(range(1, 32)),
        "reportes": {str(d): "PENDIENTE" for d in range(1, 32)},
        "partidas": [
            {
                "partida_anexo": tubo.pk, "anexo": "C-5", "partida": "2.1",
                "concepto": "Tubería", "unidad": "M", "autorizado": "100.0000",
                "pu_mn": "1000.00", "pu_usd": "0.00",
                "programado": {"4": "40.0000"},
                "ejecutado": {"4": "45.5000", "5": "40.0000"},
                "excedente": {"5": "15.5000"},
                "importe_mn": "85500.00", "importe_usd": "0.00",
                # 30 in April; the CMA row of the 5th is on another sheet.
                "prevision": {"tope": "100.0000", "previo": "30.0000",
                              "otros": {"5": "1.0000"}},
            },
            {
                "partida_anexo": buzo.pk, "anexo": "C-2", "partida": "3", "concepto": "Buzo",
                "unidad": "HOM/DIA", "autorizado": "20.0000", "pu_mn": "0.00",
                "pu_usd": "10.50", "programado": {}, "ejecutado": {"31": "2.0000"},
                "excedente": {}, "importe_mn": "0.00", "importe_usd": "21.00",
                "prevision": {"tope": "20.0000", "previo": "0.0000", "otros": {}},
            },
        ],
        "subtotales": [
            {"anexo": "C-5", "importe_mn": "85500.00", "importe_usd": "0.00"},
            {"anexo": "C-2", "importe_mn": "0.00", "importe_usd": "21.00"},
        ],
        "totales": {"importe_mn": "85500.00", "importe_usd": "21.00"},
        "kpis": {
            "autorizado": {"importe_mn": "100000.00", "importe_usd": "210.00"},
            "meses_anteriores": {"importe_mn": "30000.00", "importe_usd": "0.00"},
            # Every kind of time: the CMA row counts here.
            "mes_actual": {"importe_mn": "86500.00", "importe_usd": "21.00"},
            "por_ejecutar": {"importe_mn": "0.00", "importe_usd": "189.00"},
        },
    }  # fmt: skip
    cma = _get(viewer, ot, tipo_tiempo="CMA").json()["partidas"][0]
    assert cma["ejecutado"] == {"5": "1.0000"} and cma["excedente"] == {"5": "1.0000"}
    otro_sitio = _get(viewer, ot, sitio=SitioFactory().pk).json()
    assert [p["ejecutado"] for p in otro_sitio["partidas"]] == [{}, {}]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"mes": 13}, "mes"),
        ({"anio": "dos mil"}, "anio"),
        ({"tipo_tiempo": "XX"}, "tipo_tiempo"),
        ({"sitio": 987654}, "sitio"),
        ({"formato": "pdf"}, "formato"),
        ({"tipo_tiempo": ""}, "tipo_tiempo"),
        ({"sitio": ""}, "sitio"),
    ],
)
def test_bad_parameters_are_400(viewer, hoja, params, field):
    response = _get(viewer, hoja["ot"], **params)

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert list(response.json()["fields"]) == [field]


def test_unknown_ot_is_404(viewer):
    response = viewer.get(URL, {"ot": 987654, "anio": 2026, "mes": 5})

    assert_error(response, HTTPStatus.NOT_FOUND, "not_found")


def test_the_sheet_costs_the_same_queries_whatever_its_size(viewer, hoja, assert_same_queries):
    ot = hoja["ot"]
    _get(viewer, ot)

    def calculada():
        # Forget the stored copy: the sheet is computed (see test_hojas for reading it back).
        HojaGuardada.objects.all().delete()
        return _get(viewer, ot)

    pequena = assert_same_queries(calculada, calculada)
    for n in range(8):
        linea = linea_de(ot)
        for dia in range(1, 29):
            ProduccionFactory(ot=ot, partida_anexo=linea, fecha_produccion=f"2026-05-{dia:02d}")
            ProgramaDiario.objects.create(partida=linea, fecha=f"2026-05-{dia:02d}", volumen=n + 1)

    assert assert_same_queries(calculada, calculada) == pequena
    assert len(calculada().json()["partidas"]) == 10


def _put(c, csrf, ot, body, etag=None, **params):
    extra = {"HTTP_IF_MATCH": etag} if etag else {}
    return c.put(
        f"{URL}?ot={ot.pk}&anio=2026&mes=5" + "".join(f"&{k}={v}" for k, v in params.items()),
        body,
        content_type="application/json",
        **csrf(c),
        **extra,
    )


def test_put_saves_the_whole_month_and_recomputes(capturista, csrf, hoja):
    ot, tubo = hoja["ot"], hoja["tubo"]
    leida = _get(capturista, ot)
    datos = leida.json()
    # Day 4 corrected, day 5 emptied, day 6 added; the second line is not sent.
    datos["partidas"][0]["ejecutado"] = {"4": "50", "5": None, "6": 12.25}
    del datos["partidas"][1]

    response = _put(capturista, csrf, ot, datos, etag=leida["ETag"])

    assert response.status_code == HTTPStatus.OK, response.content
    assert response["ETag"] != leida["ETag"]
    tubo_hoja = response.json()["partidas"][0]
    assert tubo_hoja["ejecutado"] == {"4": "50.0000", "6": "12.2500"}
    # 30 in April, then 50 and 12.25 against 100: nothing beyond any more.
    assert tubo_hoja["excedente"] == {}
    assert response.json()["partidas"][1]["ejecutado"] == {"31": "2.0000"}
    filas = Produccion.objects.filter(partida_anexo=tubo, tipo_tiempo="TE")
    assert sorted(filas.values_list("fecha_produccion", "volumen_produccion")) == [
        (datetime.date(2026, 4, 30), Decimal("30")),
        (datetime.date(2026, 5, 4), Decimal("50")),
        (datetime.date(2026, 5, 6), Decimal("12.25")),
    ]
    acciones = RegistroActividad.objects.filter(entidad="produccion")
    assert sorted(acciones.values_list("accion", flat=True)) == ["crear", "eliminar", "modificar"]
    assert acciones.get(accion="modificar").campo == "volumen_produccion"

    # The same sheet again, with the ETag now stale.
    stale = _put(capturista, csrf, ot, datos, etag=leida["ETag"])
    assert_error(stale, HTTPStatus.PRECONDITION_FAILED, "precondition_failed")


def test_rows_a_sheet_creates_are_stored_and_logged_as_any_other_write(capturista, csrf, hoja):
    # The sheet inserts its new rows without model instances: defaults, the author and the
    # log's text must be what the ORM would have written.
    ot, tubo = hoja["ot"], hoja["tubo"]
    datos = _get(capturista, ot).json()
    datos["partidas"][0]["ejecutado"] = {"7": "3.5"}

    response = _put(capturista, csrf, ot, datos)

    assert response.status_code == HTTPStatus.OK, response.content
    fila = Produccion.objects.get(
        partida_anexo=tubo, tipo_tiempo="TE", fecha_produccion=datetime.date(2026, 5, 7)
    )
    usuario = response.wsgi_request.user
    assert (fila.volumen_produccion, fila.sitio_id, fila.creado_por_id, fila.comentario) == (
        Decimal("3.5"), ot.sitio_id, usuario.pk, "",
    )  # fmt: skip
    assert fila.estatus_cobro == Produccion._meta.get_field("estatus_cobro").get_default()
    assert fila.creado_en is not None and fila.actualizado_en is not None
    registro = RegistroActividad.objects.get(
        entidad="produccion", accion="crear", entidad_id=str(fila.pk)
    )
    assert (registro.valor_nuevo, registro.usuario_id) == (str(fila), usuario.pk)


def test_put_costs_the_same_queries_for_one_cell_or_many(
    capturista, csrf, hoja, assert_same_queries
):
    ot, tubo, buzo = hoja["ot"], hoja["tubo"], hoja["buzo"]
    valores = iter(range(1, 1000))

    # Each call creates, changes and deletes rows (a deleted row's GPU record goes with it)
    # and moves excedentes: the one-cell month keeps the 31st, which the other deletes.
    def una():
        ejecutado = {"4": next(valores), "5": 140, "31": 1}
        partidas = [{"partida_anexo": tubo.pk, "ejecutado": ejecutado}]
        _put(capturista, csrf, ot, {"partidas": partidas})

    def muchas():
        v = next(valores)
        _put(capturista, csrf, ot, {"partidas": [
            {"partida_anexo": tubo.pk, "ejecutado": {str(d): v for d in range(1, 31)}},
            {"partida_anexo": buzo.pk, "ejecutado": {str(d): v for d in range(2, 32)}},
        ]})  # fmt: skip

    una()
    muchas()  # now every cell of both lines has a row: each call changes them all
    assert assert_same_queries(una, muchas) > 0


@pytest.mark.parametrize(
    ("cell", "field", "message"),
    [
        ({"32": "1"}, "partidas[0].ejecutado.32", "Not a day of the month."),
        ({"0": "1"}, "partidas[0].ejecutado.0", "Not a day of the month."),
        ({"x": "1"}, "partidas[0].ejecutado.x", "Not a day of the month."),
        ({"3": "abc"}, "partidas[0].ejecutado.3", "Not a number."),
        ({"3": "-1"}, "partidas[0].ejecutado.3", "Must not be negative."),
        ({"3": "1.12345"}, "partidas[0].ejecutado.3", "At most 4 decimal places."),
        ({"3": "NaN"}, "partidas[0].ejecutado.3", "Not a number."),
        ({"3": True}, "partidas[0].ejecutado.3", "Send a number or a decimal string."),
        ({"3": "1e13"}, "partidas[0].ejecutado.3", "Too large."),
    ],
)
def test_put_names_the_bad_cell_and_saves_nothing(capturista, csrf, hoja, cell, field, message):
    ot, tubo = hoja["ot"], hoja["tubo"]
    antes = list(Produccion.objects.values_list("pk", "volumen_produccion"))

    response = _put(capturista, csrf, ot, {"partidas": [
        {"partida_anexo": tubo.pk, "ejecutado": {"6": "3", **cell}}]})  # fmt: skip

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json() == {
        "error": "Invalid input",
        "code": "invalid",
        "detail": "Some cells are not valid; nothing was saved.",
        "fields": {field: [message]},
    }
    assert list(Produccion.objects.values_list("pk", "volumen_produccion")) == antes


def test_put_names_the_bad_cells_in_spanish_to_who_asks_for_it(capturista, csrf, hoja):
    ot, tubo = hoja["ot"], hoja["tubo"]

    response = capturista.put(
        f"{URL}?ot={ot.pk}&anio=2026&mes=5",
        {"partidas": [{"partida_anexo": tubo.pk, "ejecutado": {"32": "1", "3": "-1"}}]},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="es-MX",
        **csrf(capturista),
    )

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json() == {
        "error": "Invalid input",
        "code": "invalid",
        "detail": "Algunas celdas no son válidas; no se guardó nada.",
        "fields": {
            "partidas[0].ejecutado.32": ["No es un día del mes."],
            "partidas[0].ejecutado.3": ["No puede ser negativo."],
        },
    }


def test_put_refuses_lines_that_are_not_the_ots(capturista, csrf, hoja):
    ajena = linea_de(OTFactory())

    response = _put(capturista, csrf, hoja["ot"], {"partidas": [
        {"partida_anexo": ajena.pk, "ejecutado": {"1": "1"}},
        {"partida_anexo": hoja["tubo"].pk, "ejecutado": []},
        "no",
    ]})  # fmt: skip

    assert response.json()["fields"] == {
        "partidas[0].partida_anexo": ["Not a line of the OT's active anexo."],
        "partidas[1].ejecutado": ["Send an object of day → volume."],
        "partidas[2]": ["Send an object."],
    }
    sin_lista = _put(capturista, csrf, hoja["ot"], {"partidas": "todas"})
    assert sin_lista.json()["fields"] == {"partidas": ["Send the sheet's list of partidas."]}


def test_put_refuses_changing_a_signed_off_day(capturista, csrf, hoja):
    ot, tubo = hoja["ot"], hoja["tubo"]
    ReporteDiario.objects.create(ot=ot, sitio=ot.sitio, fecha="2026-05-05", estatus="FIRMADO")
    datos = _get(capturista, ot).json()
    assert datos["reportes"]["5"] == "FIRMADO"

    # Unchanged, the signed day goes through with the rest.
    datos["partidas"][0]["ejecutado"]["6"] = "1"
    assert _put(capturista, csrf, ot, datos).status_code == HTTPStatus.OK
    datos["partidas"][0]["ejecutado"]["5"] = "41"
    changed = _put(capturista, csrf, ot, datos)

    assert changed.status_code == HTTPStatus.CONFLICT
    assert changed.json()["firmados"] == [
        {"ot": ot.pk, "sitio": ot.sitio_id, "fecha": "2026-05-05"}
    ]
    assert Produccion.objects.get(partida_anexo=tubo, fecha_produccion="2026-05-05",
                                  tipo_tiempo="TE").volumen_produccion == 40  # fmt: skip


def test_readers_cannot_save_the_sheet(viewer, csrf, hoja):
    response = _put(viewer, csrf, hoja["ot"], {"partidas": []})

    assert_error(response, HTTPStatus.FORBIDDEN, "permission_denied")


def test_the_sheet_as_a_workbook(viewer, hoja):
    response = _get(viewer, hoja["ot"], formato="xlsx")

    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    contenido = b"".join(response.streaming_content)
    hoja_xlsx = openpyxl.load_workbook(io.BytesIO(contenido)).active
    filas = list(hoja_xlsx.iter_rows(values_only=True))
    assert filas[0][:8] == ("ANEXO", "PARTIDA", "CONCEPTO", "UNIDAD", "AUTORIZADO", None, "1", "2")
    assert filas[0][-3:] == ("EXCEDENTE", "IMPORTE M.N.", "IMPORTE USD")
    programada, ejecutada = filas[1], filas[2]
    assert programada[:6] == ("C-5", "2.1", "Tubería", "M", 100, "PROG.")
    assert programada[6 + 3] == 40  # day 4
    assert ejecutada[5] == "EJEC." and ejecutada[6 + 4] == 40  # day 5
    assert ejecutada[-3:] == (15.5, 85500, 0)
    assert filas[-1][2] == "TOTAL" and filas[-1][-2:] == (85500, 21)


# --- daily reports ----------------------------------------------------------------------------


def _reportes_url(ot):
    return f"/operaciones/api/ots/{ot.pk}/reportes-diarios/?anio=2026&mes=2"


def test_daily_reports_start_pending_and_are_set_with_if_match(capturista, csrf, viewer):
    ot = OTFactory()
    otro = SitioFactory()
    leidos = capturista.get(_reportes_url(ot))

    assert leidos.status_code == HTTPStatus.OK
    assert leidos.json() == {
        "ot": ot.pk,
        "anio": 2026,
        "mes": 2,
        "dias": list(range(1, 29)),
        "sitios": [
            {
                "id": ot.sitio_id,
                "descripcion": ot.sitio.descripcion,
                "reportes": {str(d): "PENDIENTE" for d in range(1, 29)},
                "comentarios": {},
            }
        ],
        "cierre_mes": {"estatus": "ABIERTO", "evidencia": ""},
    }
    cuerpo = {
        "sitios": [
            {"id": ot.sitio_id, "reportes": {"3": "FIRMADO", "4": "FALTA FIRMA PEMEX"}},
            {"id": otro.pk, "reportes": {"3": "PROCESO", "5": "PENDIENTE"}},
        ]
    }
    guardados = capturista.put(
        _reportes_url(ot), cuerpo, content_type="application/json",
        HTTP_IF_MATCH=leidos["ETag"], **csrf(capturista),
    )  # fmt: skip

    assert guardados.status_code == HTTPStatus.OK, guardados.content
    sitios = {s["id"]: s["reportes"] for s in guardados.json()["sitios"]}
    assert (sitios[ot.sitio_id]["3"], sitios[ot.sitio_id]["4"], sitios[otro.pk]["3"]) == (
        "FIRMADO", "FALTA FIRMA PEMEX", "PROCESO",
    )  # fmt: skip
    # PENDIENTE never set is not stored.
    assert ReporteDiario.objects.count() == 3
    assert RegistroActividad.objects.filter(entidad="reportediario", accion="crear").count() == 3

    cuerpo["sitios"][0]["reportes"] = {"3": "PROCESO"}
    stale = capturista.put(
        _reportes_url(ot), cuerpo, content_type="application/json",
        HTTP_IF_MATCH=leidos["ETag"], **csrf(capturista),
    )  # fmt: skip
    assert_error(stale, HTTPStatus.PRECONDITION_FAILED, "precondition_failed")
    reabierto = capturista.put(
        _reportes_url(ot), cuerpo, content_type="application/json",
        HTTP_IF_MATCH=guardados["ETag"], **csrf(capturista),
    )  # fmt: skip
    assert reabierto.status_code == HTTPStatus.OK
    cambio = RegistroActividad.objects.get(entidad="reportediario", accion="modificar",
                                           campo="estatus")  # fmt: skip
    assert (cambio.valor_anterior, cambio.valor_nuevo) == ("FIRMADO", "PROCESO")

    lector = viewer.put(_reportes_url(ot), cuerpo, content_type="application/json", **csrf(viewer))
    assert_error(lector, HTTPStatus.FORBIDDEN, "permission_denied")
    assert viewer.get(_reportes_url(ot)).status_code == HTTPStatus.OK


def test_daily_reports_name_bad_days_sites_and_states(capturista, csrf):
    ot = OTFactory()

    response = capturista.put(
        _reportes_url(ot),
        {"sitios": [
            {"id": ot.sitio_id, "reportes": {"29": "FIRMADO", "2": "FIRMADA"}},
            {"id": 987654, "reportes": {}},
        ]},
        content_type="application/json",
        **csrf(capturista),
    )  # fmt: skip

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json()["fields"] == {
        "sitios[0].reportes.29": ["Not a day of the month."],
        "sitios[0].reportes.2": ["Use one of: PENDIENTE, PROCESO, FALTA FIRMA PEMEX, FIRMADO."],
        "sitios[1].id": ["Not a site."],
    }
    assert not ReporteDiario.objects.exists()


def test_sheet_and_reports_answers_match_the_schema(client, viewer, hoja):
    document = client.get("/api/schema/", {"format": "json"}).json()
    ot = hoja["ot"]

    assert_documented(document, "GET", "/operaciones/api/produccion/sabana/", _get(viewer, ot))
    reportes = viewer.get(f"/operaciones/api/ots/{ot.pk}/reportes-diarios/?anio=2026&mes=5")
    assert_documented(document, "GET", "/operaciones/api/ots/{ot_id}/reportes-diarios/", reportes)


def test_the_sheet_follows_every_write_and_answers_304_when_unchanged(capturista, csrf, hoja):
    ot, buzo = hoja["ot"], hoja["buzo"]
    primera = _get(capturista, ot)
    assert _get(capturista, ot, HTTP_IF_NONE_MATCH=primera["ETag"]).status_code == 304

    capturista.post(
        "/operaciones/api/produccion/",
        {"ot": ot.pk, "partida_anexo": buzo.pk, "fecha_produccion": "2026-05-30",
         "volumen_produccion": "19"},
        content_type="application/json",
        **csrf(capturista),
    )  # fmt: skip
    segunda = _get(capturista, ot, HTTP_IF_NONE_MATCH=primera["ETag"])

    assert segunda.status_code == HTTPStatus.OK
    assert segunda["ETag"] != primera["ETag"]
    assert segunda.json()["partidas"][1]["ejecutado"] == {"30": "19.0000", "31": "2.0000"}
    assert segunda.json()["partidas"][1]["excedente"] == {"31": "1.0000"}
    ReporteDiario.objects.create(ot=ot, sitio=ot.sitio, fecha="2026-05-01", estatus="PROCESO")
    assert _get(capturista, ot).json()["reportes"]["1"] == "PROCESO"


def test_put_creates_no_rows_at_an_inactive_site(capturista, csrf, hoja):
    ot, tubo = hoja["ot"], hoja["tubo"]
    ot.sitio.activo = False
    ot.sitio.save()
    datos = _get(capturista, ot).json()
    datos["partidas"][0]["ejecutado"]["6"] = "1"

    response = _put(capturista, csrf, ot, datos)

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json()["fields"] == {"sitio": [f"sitio {ot.sitio_id} is inactive."]}
    # Correcting the rows already there is still possible.
    datos["partidas"][0]["ejecutado"] = {"4": "45.5", "5": "39"}
    assert _put(capturista, csrf, ot, datos).status_code == HTTPStatus.OK
    assert not Produccion.objects.filter(partida_anexo=tubo, fecha_produccion="2026-05-06").exists()


def test_the_sheet_is_compact_utf8_json_in_a_fixed_key_order(viewer, hoja):
    """The bytes, not only the document: its ETag is their digest, so an ETag a client
    holds stays valid across versions that compute the sheet differently."""
    response = _get(viewer, hoja["ot"])

    datos = response.json()
    assert response.content == json.dumps(datos, ensure_ascii=False, separators=(",", ":")).encode()
    assert "Tubería".encode() in response.content
    assert list(datos) == ["ot", "orden_trabajo", "anio", "mes", "tipo_tiempo", "sitio",
                           "sitio_descripcion", "dias", "reportes", "partidas", "subtotales",
                           "totales", "kpis"]  # fmt: skip
    assert list(datos["partidas"][0]) == ["partida_anexo", "anexo", "partida", "concepto",
                                          "unidad", "autorizado", "pu_mn", "pu_usd",
                                          "programado", "ejecutado", "excedente", "importe_mn",
                                          "importe_usd", "prevision"]  # fmt: skip
    assert list(datos["partidas"][0]["ejecutado"]) == ["4", "5"]
    assert list(datos["kpis"]) == ["autorizado", "meses_anteriores", "mes_actual", "por_ejecutar"]


def test_a_lines_days_come_in_day_order_whatever_order_they_were_stored_in(viewer, hoja):
    """The same rows give the same bytes (and ETag), however the database happens to return
    them: a day stored after others is not listed after them."""
    ot, tubo = hoja["ot"], hoja["tubo"]
    ProduccionFactory(ot=ot, partida_anexo=tubo, fecha_produccion="2026-05-02",
                      volumen_produccion=Decimal("1"))  # fmt: skip
    # On PostgreSQL an updated row moves to the table's end: day 4 is stored last too.
    Produccion.objects.filter(fecha_produccion="2026-05-04").update(comentario="revisado")

    datos = _get(viewer, ot).json()

    assert list(datos["partidas"][0]["ejecutado"]) == ["2", "4", "5"]


def _patch(c, csrf, ot, body, etag=None, **cabeceras):
    extra = {"HTTP_IF_MATCH": etag} if etag else {}
    return c.patch(
        f"{URL}?ot={ot.pk}&anio=2026&mes=5",
        body,
        content_type="application/json",
        **csrf(c),
        **extra,
        **cabeceras,
    )


def test_patch_touches_only_the_cells_sent(capturista, csrf, hoja):
    ot, tubo, buzo = hoja["ot"], hoja["tubo"], hoja["buzo"]
    leida = _get(capturista, ot)

    # Day 5 emptied, day 7 added; day 4 (45.5) is not sent and stays.
    response = _patch(
        capturista,
        csrf,
        ot,
        {"partidas": [{"partida_anexo": tubo.pk, "ejecutado": {"5": None, "7": "3.5"}}]},
        etag=leida["ETag"],
    )

    assert response.status_code == HTTPStatus.OK, response.content
    partidas = response.json()["partidas"]
    assert partidas[0]["ejecutado"] == {"4": "45.5000", "7": "3.5000"}
    assert partidas[1]["ejecutado"] == {"31": "2.0000"}
    assert sorted(
        Produccion.objects.filter(ot=ot).values_list(
            "partida_anexo_id", "fecha_produccion", "tipo_tiempo", "volumen_produccion"
        )
    ) == sorted(
        [
            (tubo.pk, datetime.date(2026, 4, 30), "TE", Decimal("30")),
            (tubo.pk, datetime.date(2026, 5, 4), "TE", Decimal("45.5")),
            (tubo.pk, datetime.date(2026, 5, 5), "CMA", Decimal("1")),
            (tubo.pk, datetime.date(2026, 5, 7), "TE", Decimal("3.5")),
            (buzo.pk, datetime.date(2026, 5, 31), "TE", Decimal("2")),
        ]
    )
    stale = _patch(
        capturista,
        csrf,
        ot,
        {"partidas": [{"partida_anexo": tubo.pk, "ejecutado": {"8": "1"}}]},
        etag=leida["ETag"],
    )
    assert_error(stale, HTTPStatus.PRECONDITION_FAILED, "precondition_failed")
    assert not Produccion.objects.filter(fecha_produccion=datetime.date(2026, 5, 8)).exists()


def test_patch_costs_the_same_queries_for_one_cell_or_a_month(
    capturista, csrf, hoja, assert_same_queries
):
    ot, tubo = hoja["ot"], hoja["tubo"]
    valores = iter(range(10, 1000))  # above the 100 authorised: excedentes change

    def una():
        _patch(capturista, csrf, ot, {"partidas": [
            {"partida_anexo": tubo.pk, "ejecutado": {"30": next(valores)}}]})  # fmt: skip

    def muchas():
        v = next(valores)
        _patch(capturista, csrf, ot, {"partidas": [
            {"partida_anexo": tubo.pk, "ejecutado": {str(d): v for d in range(4, 31)}},
        ]})  # fmt: skip

    muchas()  # every cell sent below has a row already: each call changes what it sends
    assert assert_same_queries(una, muchas) > 0


def _minima(c, csrf, ot, body, etag=None):
    return _patch(c, csrf, ot, body, etag, HTTP_PREFER="return=minimal")


# Committed for real: a sheet is mended only when nothing but the save changed it since it
# was stored, told by the ledger rows' transaction (a test's one transaction is all "own").
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("guardada", [True, False], ids=["stored-sheet", "none-stored"])
def test_a_minimal_patch_answers_what_the_get_then_shows(capturista, csrf, hoja, guardada):
    ot, tubo, buzo = hoja["ot"], hoja["tubo"], hoja["buzo"]
    leida = _get(capturista, ot)
    if not guardada:
        HojaGuardada.objects.all().delete()

    # Past the 100 authorised: the line's excedentes change with it.
    with CaptureQueriesContext(connection) as consultas:
        response = _minima(
            capturista,
            csrf,
            ot,
            {"partidas": [{"partida_anexo": tubo.pk, "ejecutado": {"5": None, "7": "60"}}]},
            # Without If-Match nor a stored sheet, nothing is stored before the write.
            etag=leida["ETag"] if guardada else None,
        )
    # On PostgreSQL the stored sheet is mended, not computed again and stored (SQLite
    # computes it).
    remendada = not any(
        'INSERT INTO "produccion_hojaguardada"' in q["sql"] for q in consultas.captured_queries
    )
    assert remendada == (guardada and connection.vendor == "postgresql")

    assert response.status_code == HTTPStatus.OK, response.content
    assert response["Preference-Applied"] == "return=minimal"
    assert "Prefer" in response["Vary"]
    despues = _get(capturista, ot)
    completa = despues.json()
    assert response["ETag"] == despues["ETag"] != leida["ETag"]
    assert response.json() == {
        **{k: completa[k] for k in ("ot", "anio", "mes", "tipo_tiempo", "sitio")},
        "partidas": [p for p in completa["partidas"] if p["partida_anexo"] == tubo.pk],
        **{k: completa[k] for k in ("subtotales", "totales", "kpis")},
    }
    assert response.json()["partidas"][0]["excedente"] == {"7": "36.5000"}
    assert completa["partidas"][1]["partida_anexo"] == buzo.pk
    # What the save stored is what computing the sheet again gives, byte for byte.
    HojaGuardada.objects.all().delete()
    calculada = _get(capturista, ot)
    assert calculada.content == despues.content
    assert calculada["ETag"] == response["ETag"]
    # The ETag answered is the one the next save must send.
    siguiente = _minima(
        capturista,
        csrf,
        ot,
        {"partidas": [{"partida_anexo": buzo.pk, "ejecutado": {"30": "1"}}]},
        etag=response["ETag"],
    )
    assert siguiente.status_code == HTTPStatus.OK, siguiente.content
    assert [p["partida_anexo"] for p in siguiente.json()["partidas"]] == [buzo.pk]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_minimal_patch_of_more_lines_than_a_mend_takes_computes_the_sheet(
    capturista, csrf, hoja, monkeypatch
):
    ot, tubo, buzo = hoja["ot"], hoja["tubo"], hoja["buzo"]
    etag = _get(capturista, ot)["ETag"]
    monkeypatch.setattr(hojas, "REMIENDOS_MAX", 1)

    with CaptureQueriesContext(connection) as consultas:
        response = _minima(capturista, csrf, ot, {"partidas": [
            {"partida_anexo": tubo.pk, "ejecutado": {"7": "2"}},
            {"partida_anexo": buzo.pk, "ejecutado": {"7": "3"}}]}, etag=etag)  # fmt: skip

    assert response.status_code == HTTPStatus.OK, response.content
    assert not any("WITH g AS" in q["sql"] for q in consultas.captured_queries)
    despues = _get(capturista, ot)
    assert response["ETag"] == despues["ETag"]
    HojaGuardada.objects.all().delete()
    assert _get(capturista, ot).content == despues.content


def test_without_prefer_minimal_a_patch_answers_the_whole_sheet(capturista, csrf, hoja):
    ot, tubo = hoja["ot"], hoja["tubo"]
    response = capturista.patch(
        f"{URL}?ot={ot.pk}&anio=2026&mes=5",
        {"partidas": [{"partida_anexo": tubo.pk, "ejecutado": {"7": "1"}}]},
        content_type="application/json",
        HTTP_PREFER="return=representation",
        **csrf(capturista),
    )

    assert response.status_code == HTTPStatus.OK
    assert "Preference-Applied" not in response
    assert response.json() == _get(capturista, ot).json()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # as saves run: mended
def test_a_minimal_patch_costs_a_fixed_number_of_queries(
    capturista, csrf, hoja, django_assert_num_queries
):
    ot, tubo = hoja["ot"], hoja["tubo"]
    etag = _get(capturista, ot)["ETag"]
    etag = _minima(capturista, csrf, ot, {"partidas": [
        {"partida_anexo": tubo.pk, "ejecutado": {"9": "2"}}]}, etag=etag)["ETag"]  # fmt: skip

    # The session and user, the OT locked, the If-Match against the stored sheet, the
    # write (rows, FIRMADO days, the other apps' refusals, activity, excedentes), the lines
    # saved with the sheet's totals, and the stored sheet mended (on SQLite, computed);
    # set-based: 20 cells cost what one does (`test_patch_costs_the_same_queries_…`). With
    # Redis the session's user comes from its copy there (one query less).
    consultas = (41 if connection.vendor == "postgresql" else 55) - (1 if settings.REDIS_URL else 0)
    with django_assert_num_queries(consultas):
        response = _minima(capturista, csrf, ot, {"partidas": [
            {"partida_anexo": tubo.pk, "ejecutado": {str(d): "3" for d in range(8, 28)}}]},
            etag=etag)  # fmt: skip

    assert response.status_code == HTTPStatus.OK, response.content


def test_patch_names_a_bad_cell_and_refuses_a_signed_day(capturista, csrf, hoja):
    ot, tubo = hoja["ot"], hoja["tubo"]
    ReporteDiario.objects.create(
        ot=ot, sitio=ot.sitio, fecha=datetime.date(2026, 5, 4), estatus="FIRMADO"
    )

    malo = _patch(capturista, csrf, ot, {"partidas": [
        {"partida_anexo": tubo.pk, "ejecutado": {"6": "abc"}}]})  # fmt: skip
    firmado = _patch(capturista, csrf, ot, {"partidas": [
        {"partida_anexo": tubo.pk, "ejecutado": {"4": None, "6": "1"}}]})  # fmt: skip
    otro_dia = _patch(capturista, csrf, ot, {"partidas": [
        {"partida_anexo": tubo.pk, "ejecutado": {"6": "1"}}]})  # fmt: skip

    assert_error(malo, HTTPStatus.BAD_REQUEST, "invalid")
    assert malo.json()["fields"] == {"partidas[0].ejecutado.6": ["Not a number."]}
    assert_error(firmado, HTTPStatus.CONFLICT, "conflict")
    # Day 4 is signed, but a PATCH that leaves it out does not touch it.
    assert otro_dia.status_code == HTTPStatus.OK
    assert Produccion.objects.filter(
        ot=ot, fecha_produccion=datetime.date(2026, 5, 4), tipo_tiempo="TE"
    ).exists()


def test_the_forecast_follows_the_other_sheets_and_the_family(viewer, hoja):
    ot, tubo = hoja["ot"], hoja["tubo"]
    otro_sitio = SitioFactory()
    ProduccionFactory(
        ot=ot, partida_anexo=tubo, fecha_produccion="2026-05-09", sitio=otro_sitio,
        volumen_produccion=Decimal("7"),
    )  # fmt: skip

    prevision = _get(viewer, ot).json()["partidas"][0]["prevision"]

    assert prevision == {"tope": "100.0000", "previo": "30.0000",
                         "otros": {"5": "1.0000", "9": "7.0000"}}  # fmt: skip
