from __future__ import annotations

import datetime
import io
from decimal import Decimal
from http import HTTPStatus
from unittest.mock import ANY

import openpyxl
import pytest
from pypdf import PdfReader

from sascop.actividad.models import RegistroActividad
from sascop.core.tests.test_openapi_document import assert_documented
from sascop.estimaciones.models import Estimacion, EstimacionProduccion
from sascop.estimaciones.tests.conftest import D, firmar
from sascop.produccion.models import Produccion, RegistroGPU, ReporteDiario
from sascop.produccion.tests.factories import ProduccionFactory
from tests.envelope import assert_error

MAYO = {"desde": "2026-05-01", "hasta": "2026-05-31"}


@pytest.fixture
def ingeniero(role_client):
    return role_client("Ingeniería")


@pytest.fixture
def capturista(role_client):
    return role_client("Captura de producción")


def _crear(c, csrf, ot, datos=None):
    return c.post(
        f"/operaciones/api/ots/{ot.pk}/estimaciones/",
        datos or MAYO,
        content_type="application/json",
        **csrf(c),
    )


def _patch(c, csrf, estimacion_id, datos, etag=None, **extra):
    headers = {"HTTP_IF_MATCH": etag} if etag else {}
    return c.patch(
        f"/operaciones/api/estimaciones/{estimacion_id}/",
        datos,
        content_type="application/json",
        **headers,
        **csrf(c),
        **extra,
    )


def _avanzar(c, csrf, estimacion_id, estatus, **datos):
    actual = c.get(f"/operaciones/api/estimaciones/{estimacion_id}/")
    return _patch(c, csrf, estimacion_id, {"estatus": estatus, **datos}, actual["ETag"])


def test_a_draft_claims_signed_production_at_the_anexos_prices(ingeniero, csrf, obra):
    response = _crear(ingeniero, csrf, obra["ot"], {**MAYO, "oficio": "SUB-EST-1"})

    assert response.status_code == HTTPStatus.CREATED, response.content
    estimacion = Estimacion.objects.get()
    assert response["ETag"] == f'"{estimacion.pk}-1"'
    assert response.json() == {
        "id": estimacion.pk,
        "ot_id": obra["ot"].pk,
        "orden_trabajo": "OT-7/2026",
        "cliente": obra["ot"].cliente.descripcion,
        "numero": 1,
        "desde": "2026-05-01",
        "hasta": "2026-05-31",
        "estatus": "BORRADOR",
        "oficio": "SUB-EST-1",
        "oficio_ot": "PEP-OT-77",
        "motivo_rechazo": "",
        # 5 JOR at 1,000.50 + 1.5 DIA at 300.00; 5 at 20.25 USD.
        "importe_mn": "5452.50",
        "importe_usd": "101.25",
        "version": 1,
        "partidas": [
            {
                "partida_anexo": obra["buceo"].pk,
                "anexo": "C-5",
                "partida": "5.1",
                "concepto": "Buzo",
                "unidad": "JOR",
                "volumen": "5.0000",
                "excedente": "0.0000",
                "pu_mn": "1000.50",
                "pu_usd": "20.25",
                "importe_mn": "5002.50",
                "importe_usd": "101.25",
            },
            {
                "partida_anexo": obra["lancha"].pk,
                "anexo": "C-5",
                "partida": "5.2",
                "concepto": "Lancha",
                "unidad": "DIA",
                "volumen": "1.5000",
                "excedente": "0.0000",
                "pu_mn": "300.00",
                "pu_usd": "0.00",
                "importe_mn": "450.00",
                "importe_usd": "0.00",
            },
        ],
        "subtotales": [{"anexo": "C-5", "importe_mn": "5452.50", "importe_usd": "101.25"}],
        "eventos": [
            {
                "estatus_anterior": "",
                "estatus": "BORRADOR",
                "motivo": "",
                "usuario": ANY,
                "fecha": ANY,
            }
        ],
    }
    # The unsigned day (5 May) and the C-2 row without a signed GPU record are left out.
    cubiertas = set(EstimacionProduccion.objects.values_list("produccion_id", flat=True))
    assert cubiertas == {obra["buceo3"].pk, obra["buceo4"].pk, obra["lancha3"].pk}


def test_the_period_bounds_which_rows_are_taken(ingeniero, csrf, obra):
    response = _crear(ingeniero, csrf, obra["ot"], {"desde": "2026-05-04", "hasta": "2026-05-04"})

    assert response.json()["importe_mn"] == "3001.50"
    assert [p["volumen"] for p in response.json()["partidas"]] == ["3.0000"]


def test_c2_and_c3_rows_need_their_gpu_record_signed_off(ingeniero, csrf, obra):
    registro = RegistroGPU.objects.create(produccion=obra["gpu3"], estatus="FALTA FIRMA PEMEX")
    pendiente = _crear(ingeniero, csrf, obra["ot"]).json()
    assert [p["anexo"] for p in pendiente["partidas"]] == ["C-5", "C-5"]

    registro.estatus = "FIRMADO"
    registro.save()
    firmado = _crear(ingeniero, csrf, obra["ot"]).json()

    assert [(p["anexo"], p["partida"], p["importe_mn"]) for p in firmado["partidas"]] == [
        ("C-2", "2.1", "50.00"),
        ("C-5", "5.1", "5002.50"),
        ("C-5", "5.2", "450.00"),
    ]
    assert firmado["subtotales"] == [
        {"anexo": "C-2", "importe_mn": "50.00", "importe_usd": "1.00"},
        {"anexo": "C-5", "importe_mn": "5452.50", "importe_usd": "101.25"},
    ]
    assert firmado["importe_mn"] == "5502.50"


def test_excedentes_are_listed_apart_and_not_summed(ingeniero, csrf, obra):
    Produccion.objects.filter(pk=obra["buceo4"].pk).update(excedente=Decimal("1.25"))

    datos = _crear(ingeniero, csrf, obra["ot"]).json()

    buceo = datos["partidas"][0]
    assert (buceo["volumen"], buceo["excedente"]) == ("3.7500", "1.2500")
    assert buceo["importe_mn"] == "3751.88"  # 3.75 at 1,000.50 is 3,751.875: half up
    assert datos["importe_mn"] == "4201.88"


def test_a_period_without_signed_production_is_a_409(ingeniero, csrf, obra):
    response = _crear(ingeniero, csrf, obra["ot"], {"desde": "2026-05-05", "hasta": "2026-05-09"})

    body = assert_error(response, HTTPStatus.CONFLICT, "conflict")
    assert "2026-05-05" in body["detail"]
    assert not Estimacion.objects.exists()


def test_a_period_backwards_is_a_400(ingeniero, csrf, obra):
    response = _crear(ingeniero, csrf, obra["ot"], {"desde": "2026-05-09", "hasta": "2026-05-01"})

    body = assert_error(response, HTTPStatus.BAD_REQUEST, "invalid")
    assert body["fields"] == {"hasta": ["Must not be before desde."]}


def test_presented_volume_is_never_claimed_twice(ingeniero, csrf, obra):
    primera = _crear(ingeniero, csrf, obra["ot"]).json()
    # Two drafts over the same days: drafts claim nothing yet.
    segunda = _crear(ingeniero, csrf, obra["ot"]).json()
    assert segunda["importe_mn"] == primera["importe_mn"]
    assert _avanzar(ingeniero, csrf, primera["id"], "PRESENTADA").status_code == HTTPStatus.OK

    # Presenting the second draws it again: nothing is left to claim.
    repetida = _avanzar(ingeniero, csrf, segunda["id"], "PRESENTADA")
    assert_error(repetida, HTTPStatus.CONFLICT, "conflict")
    assert Estimacion.objects.get(pk=segunda["id"]).estatus == "BORRADOR"
    assert_error(_crear(ingeniero, csrf, obra["ot"]), HTTPStatus.CONFLICT, "conflict")

    # A day signed off later is what a new one takes.
    firmar(obra["ot"], D(2026, 5, 5))
    nueva = _crear(ingeniero, csrf, obra["ot"]).json()
    assert [(p["partida"], p["volumen"]) for p in nueva["partidas"]] == [("5.1", "4.0000")]
    assert nueva["numero"] == 3


def test_the_excedente_becomes_claimable_once_covered(ingeniero, csrf, obra):
    Produccion.objects.filter(pk=obra["buceo4"].pk).update(excedente=Decimal("1"))
    primera = _crear(ingeniero, csrf, obra["ot"]).json()
    _avanzar(ingeniero, csrf, primera["id"], "PRESENTADA")
    # What is left is excedente only: nothing to claim.
    assert_error(_crear(ingeniero, csrf, obra["ot"]), HTTPStatus.CONFLICT, "conflict")

    # A PUE or a new anexo version covers it: the row's excedente is gone.
    Produccion.objects.filter(pk=obra["buceo4"].pk).update(excedente=Decimal("0"))
    resto = _crear(ingeniero, csrf, obra["ot"]).json()

    assert [(p["partida"], p["volumen"], p["excedente"]) for p in resto["partidas"]] == [
        ("5.1", "1.0000", "0.0000")
    ]


def test_a_rejected_estimacion_frees_its_volume(ingeniero, csrf, obra):
    primera = _crear(ingeniero, csrf, obra["ot"]).json()
    _avanzar(ingeniero, csrf, primera["id"], "PRESENTADA")

    sin_motivo = _avanzar(ingeniero, csrf, primera["id"], "RECHAZADA")
    body = assert_error(sin_motivo, HTTPStatus.BAD_REQUEST, "invalid")
    assert body["fields"] == {"motivo_rechazo": ["Say why the estimación is rejected."]}
    rechazada = _avanzar(
        ingeniero, csrf, primera["id"], "RECHAZADA", motivo_rechazo="Faltan generadores"
    )
    assert rechazada.json()["motivo_rechazo"] == "Faltan generadores"

    otra = _crear(ingeniero, csrf, obra["ot"])
    assert otra.status_code == HTTPStatus.CREATED
    assert otra.json()["importe_mn"] == "5452.50"


def test_states_move_one_step_at_a_time_with_who_and_when(ingeniero, csrf, obra):
    creada = _crear(ingeniero, csrf, obra["ot"])
    estimacion_id = creada.json()["id"]

    assert_error(
        _avanzar(ingeniero, csrf, estimacion_id, "AUTORIZADA"), HTTPStatus.CONFLICT, "conflict"
    )
    viejo = creada["ETag"]
    for estatus in ("PRESENTADA", "AUTORIZADA", "PAGADA"):
        response = _avanzar(ingeniero, csrf, estimacion_id, estatus)
        assert response.status_code == HTTPStatus.OK, response.content
        assert response.json()["estatus"] == estatus
    assert_error(
        _patch(ingeniero, csrf, estimacion_id, {"estatus": "RECHAZADA"}, viejo),
        HTTPStatus.PRECONDITION_FAILED,
        "precondition_failed",
    )
    assert_error(
        _avanzar(ingeniero, csrf, estimacion_id, "RECHAZADA", motivo_rechazo="x"),
        HTTPStatus.CONFLICT,
        "conflict",
    )

    datos = ingeniero.get(f"/operaciones/api/estimaciones/{estimacion_id}/").json()
    assert [(e["estatus_anterior"], e["estatus"]) for e in datos["eventos"]] == [
        ("", "BORRADOR"),
        ("BORRADOR", "PRESENTADA"),
        ("PRESENTADA", "AUTORIZADA"),
        ("AUTORIZADA", "PAGADA"),
    ]
    usuario = datos["eventos"][0]["usuario"]
    assert usuario and all(e["usuario"] == usuario for e in datos["eventos"])
    assert all(e["fecha"].endswith("Z") for e in datos["eventos"])
    cambios = RegistroActividad.objects.filter(
        entidad="estimacion", entidad_id=str(estimacion_id), campo="estatus"
    ).values_list("valor_anterior", "valor_nuevo")
    assert list(cambios.order_by("id")) == [
        ("BORRADOR", "PRESENTADA"),
        ("PRESENTADA", "AUTORIZADA"),
        ("AUTORIZADA", "PAGADA"),
    ]


def test_a_presented_estimacion_is_frozen(ingeniero, csrf, obra):
    datos = _crear(ingeniero, csrf, obra["ot"]).json()
    # A draft's period may change: its lines are drawn again.
    corregida = _avanzar(ingeniero, csrf, datos["id"], "BORRADOR", hasta="2026-05-03")
    assert corregida.json()["importe_mn"] == "2451.00"
    presentada = _avanzar(ingeniero, csrf, datos["id"], "PRESENTADA", oficio="SUB-1")
    assert presentada.status_code == HTTPStatus.OK
    assert presentada.json()["oficio"] == "SUB-1"

    for cambio in ({"hasta": "2026-05-31"}, {"oficio": "SUB-2"}):
        response = _avanzar(ingeniero, csrf, datos["id"], "PRESENTADA", **cambio)
        assert_error(response, HTTPStatus.CONFLICT, "conflict")
    # Its lines stay as presented whatever happens to prices afterwards.
    obra["buceo"].pu_mn = Decimal("9999.00")
    obra["buceo"].save()
    assert (
        ingeniero.get(f"/operaciones/api/estimaciones/{datos['id']}/").json()["importe_mn"]
        == "2451.00"
    )
    assert (
        ingeniero.delete(
            f"/operaciones/api/estimaciones/{datos['id']}/", **csrf(ingeniero)
        ).status_code
        == HTTPStatus.CONFLICT
    )


def test_production_a_presented_estimacion_covers_cannot_change(ingeniero, capturista, csrf, obra):
    datos = _crear(ingeniero, csrf, obra["ot"]).json()
    fila = obra["buceo3"]
    url = f"/operaciones/api/produccion/{fila.pk}/"
    firmar(obra["ot"], D(2026, 5, 3), estatus="PROCESO")  # the day is opened again
    # A draft freezes nothing.
    cambio = capturista.patch(
        url, {"comentario": "revisado"}, content_type="application/json", **csrf(capturista)
    )
    assert cambio.status_code == HTTPStatus.OK, cambio.content
    firmar(obra["ot"], D(2026, 5, 3))
    _avanzar(ingeniero, csrf, datos["id"], "PRESENTADA")
    firmar(obra["ot"], D(2026, 5, 3), estatus="PROCESO")

    refused = capturista.patch(
        url, {"volumen_produccion": "9"}, content_type="application/json", **csrf(capturista)
    )
    body = assert_error(refused, HTTPStatus.CONFLICT, "conflict")
    assert body["detail"] == (
        "The estimación OT-7/2026 E-1 claims this production; it cannot change unless the "
        "estimación is rejected."
    )
    assert body["estimadas"] == [fila.pk]
    borrar = capturista.delete(url, **csrf(capturista))
    assert_error(borrar, HTTPStatus.CONFLICT, "conflict")
    en_espanol = capturista.delete(url, HTTP_ACCEPT_LANGUAGE="es-MX", **csrf(capturista))
    assert "no puede cambiar" in en_espanol.json()["detail"]
    # The sheet's save goes through the same check.
    hoja = capturista.patch(
        f"/operaciones/api/produccion/sabana/?ot={obra['ot'].pk}&anio=2026&mes=5",
        {"partidas": [{"partida_anexo": obra["buceo"].pk, "ejecutado": {"3": None}}]},
        content_type="application/json",
        **csrf(capturista),
    )
    assert_error(hoja, HTTPStatus.CONFLICT, "conflict")
    # Rows it does not cover are not frozen.
    libre = ProduccionFactory(
        ot=obra["ot"], partida_anexo=obra["buceo"], fecha_produccion=D(2026, 5, 20)
    )
    assert (
        capturista.delete(
            f"/operaciones/api/produccion/{libre.pk}/", **csrf(capturista)
        ).status_code
        == HTTPStatus.NO_CONTENT
    )

    _avanzar(ingeniero, csrf, datos["id"], "RECHAZADA", motivo_rechazo="Volumen a corregir")
    libre_ya = capturista.patch(
        url, {"volumen_produccion": "9"}, content_type="application/json", **csrf(capturista)
    )
    assert libre_ya.status_code == HTTPStatus.OK, libre_ya.content
    assert Produccion.objects.get(pk=fila.pk).volumen_produccion == 9


def test_readers_read_and_cannot_draw_up(viewer, csrf, ingeniero, obra):
    datos = _crear(ingeniero, csrf, obra["ot"]).json()

    assert viewer.get(f"/operaciones/api/estimaciones/{datos['id']}/").status_code == 200
    assert_error(_crear(viewer, csrf, obra["ot"]), HTTPStatus.FORBIDDEN, "permission_denied")
    assert_error(
        _avanzar(viewer, csrf, datos["id"], "PRESENTADA"), HTTPStatus.FORBIDDEN, "permission_denied"
    )


def test_lists_filter_by_state_client_and_month(ingeniero, csrf, obra):
    mayo = _crear(ingeniero, csrf, obra["ot"]).json()
    _avanzar(ingeniero, csrf, mayo["id"], "PRESENTADA")
    ProduccionFactory(ot=obra["ot"], partida_anexo=obra["lancha"], fecha_produccion=D(2026, 6, 2))
    firmar(obra["ot"], D(2026, 6, 2))
    junio = _crear(ingeniero, csrf, obra["ot"], {"desde": "2026-06-01", "hasta": "2026-06-30"})
    junio_id = junio.json()["id"]

    def ids(url):
        response = ingeniero.get(url)
        assert response.status_code == HTTPStatus.OK, response.content
        return [e["id"] for e in response.json()["estimaciones"]]

    assert ids("/operaciones/api/estimaciones/") == [junio_id, mayo["id"]]
    assert ids(f"/operaciones/api/ots/{obra['ot'].pk}/estimaciones/") == [junio_id, mayo["id"]]
    assert ids("/operaciones/api/estimaciones/?estatus=PRESENTADA") == [mayo["id"]]
    assert ids("/operaciones/api/estimaciones/?estatus=BORRADOR&estatus=PAGADA") == [junio_id]
    assert ids("/operaciones/api/estimaciones/?mes=2026-06") == [junio_id]
    assert ids(f"/operaciones/api/estimaciones/?cliente={obra['ot'].cliente_id}") == [
        junio_id,
        mayo["id"],
    ]
    assert ids(f"/operaciones/api/estimaciones/?cliente={obra['ot'].cliente_id + 99}") == []
    mal = ingeniero.get("/operaciones/api/estimaciones/?mes=junio&estatus=ENVIADA")
    assert_error(mal, HTTPStatus.BAD_REQUEST, "invalid")
    assert_error(
        ingeniero.get("/operaciones/api/ots/999999/estimaciones/"),
        HTTPStatus.NOT_FOUND,
        "not_found",
    )


def test_answers_match_the_openapi_document(client, ingeniero, csrf, obra):
    openapi_document = client.get("/api/schema/", {"format": "json"}).json()
    creada = _crear(ingeniero, csrf, obra["ot"])
    path = "/operaciones/api/estimaciones/{estimacion_id}/"
    assert_documented(
        openapi_document, "POST", "/operaciones/api/ots/{ot_id}/estimaciones/", creada
    )
    detalle = ingeniero.get(f"/operaciones/api/estimaciones/{creada.json()['id']}/")
    assert_documented(openapi_document, "GET", path, detalle)
    lista = ingeniero.get("/operaciones/api/estimaciones/")
    assert_documented(openapi_document, "GET", "/operaciones/api/estimaciones/", lista)
    de_la_ot = ingeniero.get(f"/operaciones/api/ots/{obra['ot'].pk}/estimaciones/")
    assert_documented(
        openapi_document, "GET", "/operaciones/api/ots/{ot_id}/estimaciones/", de_la_ot
    )
    presentada = _avanzar(ingeniero, csrf, creada.json()["id"], "PRESENTADA")
    assert_documented(openapi_document, "PATCH", path, presentada)
    for respuesta, metodo in (
        (_avanzar(ingeniero, csrf, creada.json()["id"], "PAGADA"), "PATCH"),
        (_patch(ingeniero, csrf, creada.json()["id"], {"estatus": "X"}), "PATCH"),
        (_patch(ingeniero, csrf, creada.json()["id"], {}, '"0-0"'), "PATCH"),
        (ingeniero.delete(f"/operaciones/api/estimaciones/{creada.json()['id']}/",
                          **csrf(ingeniero)), "DELETE"),
        (ingeniero.get("/operaciones/api/estimaciones/?mes=x"), "GET"),
    ):  # fmt: skip
        assert respuesta.status_code in (400, 409, 412), respuesta.content
        route = "/operaciones/api/estimaciones/" if metodo == "GET" else path
        operacion = openapi_document["paths"][route][metodo.lower()]
        assert str(respuesta.status_code) in operacion["responses"], (metodo, respuesta)


def test_the_workbook_is_laid_out_as_a_claim(ingeniero, csrf, obra):
    RegistroGPU.objects.create(produccion=obra["gpu3"], estatus="FIRMADO")
    Produccion.objects.filter(pk=obra["buceo4"].pk).update(excedente=Decimal("1"))
    datos = _crear(ingeniero, csrf, obra["ot"], {**MAYO, "oficio": "SUB-EST-1"}).json()

    response = ingeniero.get(f"/operaciones/api/estimaciones/{datos['id']}/?formato=xlsx")

    assert response.status_code == HTTPStatus.OK
    assert response["Content-Disposition"].endswith('estimacion-OT-7-2026-E1.xlsx"')
    hoja = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    filas = [tuple(c for c in fila) for fila in hoja.iter_rows(values_only=True)]
    encabezado = {fila[0]: fila[2] for fila in filas[1:8]}
    assert encabezado == {
        "Contrato": "640857800",
        "Orden de trabajo": "OT-7/2026",
        "Oficio OT": "PEP-OT-77",
        "Oficio de la estimación": "SUB-EST-1",
        "Cliente": obra["ot"].cliente.descripcion,
        "Periodo": "01/05/2026 al 31/05/2026",
        "Estatus": "Borrador",
    }
    assert filas[0][0] == "ESTIMACIÓN No. 1"
    inicio = filas.index(
        ("Anexo", "Partida", "Concepto", "Unidad", "Cantidad", "P.U. M.N.", "P.U. USD",
         "Importe M.N.", "Importe USD")
    )  # fmt: skip
    cuerpo = filas[inicio + 1 : inicio + 7]
    assert cuerpo == [
        ("C-2", "2.1", "Equipo GPU", "DIA", 1, 50, 1, 50, 1),
        (None, None, "Subtotal anexo C-2", None, None, None, None, 50, 1),
        ("C-5", "5.1", "Buzo", "JOR", 4, 1000.5, 20.25, 4002, 81),
        ("C-5", "5.2", "Lancha", "DIA", 1.5, 300, 0, 450, 0),
        (None, None, "Subtotal anexo C-5", None, None, None, None, 4452, 81),
        (None, None, "TOTAL", None, None, None, None, 4502, 82),
    ]
    importe = hoja.cell(inicio + 4, 8)
    assert importe.number_format == "#,##0.00" and isinstance(importe.value, int | float)
    excedentes = filas[filas.index(("Anexo", "Partida", "Concepto", "Unidad", "Excedente",
                                    None, None, None, None)) + 1]  # fmt: skip
    assert excedentes[:5] == ("C-5", "5.1", "Buzo", "JOR", 1)


def test_the_pdf_carries_the_header_lines_and_total(ingeniero, csrf, obra):
    datos = _crear(ingeniero, csrf, obra["ot"]).json()

    response = ingeniero.get(f"/operaciones/api/estimaciones/{datos['id']}/?formato=pdf")

    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"] == "application/pdf"
    texto = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    for esperado in ("ESTIMACIÓN No. 1", "OT-7/2026", "640857800", "Subtotal anexo C-5",
                     "$5,452.50 MXN", "$101.25 USD", "01/05/2026 al 31/05/2026"):  # fmt: skip
        assert esperado in texto, (esperado, texto)


def test_a_draft_can_be_deleted_a_presented_one_cannot(ingeniero, csrf, obra):
    datos = _crear(ingeniero, csrf, obra["ot"]).json()
    url = f"/operaciones/api/estimaciones/{datos['id']}/"

    assert ingeniero.delete(url, **csrf(ingeniero)).status_code == HTTPStatus.NO_CONTENT
    assert not Estimacion.objects.exists()
    assert not EstimacionProduccion.objects.exists()
    assert_error(ingeniero.get(url), HTTPStatus.NOT_FOUND, "not_found")


def test_the_detail_costs_the_same_queries_however_many_lines(
    ingeniero, csrf, obra, assert_same_queries
):
    pocas = _crear(ingeniero, csrf, obra["ot"], {"desde": "2026-05-04", "hasta": "2026-05-04"})
    for dia in range(10, 20):
        ProduccionFactory(
            ot=obra["ot"], partida_anexo=obra["lancha"], fecha_produccion=D(2026, 5, dia)
        )
        firmar(obra["ot"], D(2026, 5, dia))
    muchas = _crear(ingeniero, csrf, obra["ot"])
    assert len(muchas.json()["partidas"]) == 2

    assert_same_queries(
        lambda: ingeniero.get(f"/operaciones/api/estimaciones/{pocas.json()['id']}/"),
        lambda: ingeniero.get(f"/operaciones/api/estimaciones/{muchas.json()['id']}/"),
    )


@pytest.mark.parametrize("dias", [datetime.timedelta(0)])
def test_numbers_follow_each_other_per_ot(ingeniero, csrf, obra, dias):
    uno = _crear(ingeniero, csrf, obra["ot"]).json()
    dos = _crear(ingeniero, csrf, obra["ot"]).json()
    assert (uno["numero"], dos["numero"]) == (1, 2)


def test_the_rows_billing_status_follows_their_claim(ingeniero, csrf, obra):
    Produccion.objects.filter(pk=obra["lancha3"].pk).update(excedente=Decimal("1.5"))
    datos = _crear(ingeniero, csrf, obra["ot"]).json()

    def cobro():
        return dict(
            Produccion.objects.filter(
                pk__in=[obra[n].pk for n in ("buceo3", "buceo4", "buceo5", "lancha3")]
            ).values_list("pk", "estatus_cobro")
        )

    por_estimar = cobro()
    assert set(por_estimar.values()) == {1}
    version = Produccion.objects.get(pk=obra["buceo3"].pk).version
    _avanzar(ingeniero, csrf, datos["id"], "PRESENTADA")
    # Claimed rows are ESTIMADA; the unsigned day and the row that is all excedente are not.
    assert cobro() == {
        obra["buceo3"].pk: 2,
        obra["buceo4"].pk: 2,
        obra["buceo5"].pk: 1,
        obra["lancha3"].pk: 1,
    }
    assert Produccion.objects.get(pk=obra["buceo3"].pk).version == version + 1
    _avanzar(ingeniero, csrf, datos["id"], "AUTORIZADA")
    _avanzar(ingeniero, csrf, datos["id"], "PAGADA")
    assert cobro()[obra["buceo4"].pk] == 3
    assert (
        RegistroActividad.objects.filter(
            entidad="produccion", entidad_id=str(obra["buceo4"].pk), campo="estatus_cobro"
        ).count()
        == 2
    )


def test_a_rejection_puts_its_rows_back_to_be_claimed(ingeniero, csrf, obra):
    datos = _crear(ingeniero, csrf, obra["ot"]).json()
    _avanzar(ingeniero, csrf, datos["id"], "PRESENTADA")
    assert Produccion.objects.get(pk=obra["buceo3"].pk).estatus_cobro == 2

    _avanzar(ingeniero, csrf, datos["id"], "RECHAZADA", motivo_rechazo="Precio equivocado")

    assert Produccion.objects.get(pk=obra["buceo3"].pk).estatus_cobro == 1


def test_a_covered_day_cannot_be_unsigned_nor_its_gpu_record(ingeniero, capturista, csrf, obra):
    """Un-signing the day, or the GPU record, of production a presented estimación claims
    would take signed production out from under the claim: both are refused, as an edit."""
    RegistroGPU.objects.create(produccion=obra["gpu3"], estatus="FIRMADO")
    datos = _crear(ingeniero, csrf, obra["ot"]).json()
    _avanzar(ingeniero, csrf, datos["id"], "PRESENTADA")
    ot, sitio = obra["ot"], obra["ot"].sitio
    reportes = f"/operaciones/api/ots/{ot.pk}/reportes-diarios/?anio=2026&mes=5"

    def reabrir(dia: int):
        return capturista.put(
            reportes,
            {"sitios": [{"id": sitio.pk, "reportes": {str(dia): "PROCESO"}}]},
            content_type="application/json",
            **csrf(capturista),
        )

    body = assert_error(reabrir(3), HTTPStatus.CONFLICT, "conflict")
    assert "OT-7/2026 E-1" in body["detail"]
    assert ReporteDiario.objects.get(ot=ot, fecha=D(2026, 5, 3)).estatus == "FIRMADO"
    # Its GPU record is read-only while the day is signed; were the day opened by other
    # means (the admin), the record still could not leave FIRMADO.
    firmar(ot, D(2026, 5, 3), estatus="PROCESO")
    gpu = capturista.put(
        f"/operaciones/api/ots/{ot.pk}/gpu/?anio=2026&mes=5",
        {"registros": [{"produccion": obra["gpu3"].pk, "estatus": "PROCESO"}]},
        content_type="application/json",
        **csrf(capturista),
    )
    assert "OT-7/2026 E-1" in assert_error(gpu, HTTPStatus.CONFLICT, "conflict")["detail"]
    assert RegistroGPU.objects.get(produccion=obra["gpu3"]).estatus == "FIRMADO"
    firmar(ot, D(2026, 5, 3))
    # A day the claim does not cover opens as before; once rejected, every day does.
    firmar(ot, D(2026, 5, 20))
    assert reabrir(20).status_code == HTTPStatus.OK
    _avanzar(ingeniero, csrf, datos["id"], "RECHAZADA", motivo_rechazo="Volumen a corregir")
    assert reabrir(3).status_code == HTTPStatus.OK
