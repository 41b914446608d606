"""The GPU board: `GET/PUT /operaciones/api/ots/<id>/gpu/?anio=&mes=`, its workbook and
page; FIRMADO days read-only, FIRMADO records only for those who sign, a deleted production
row taking its record with it."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal
from http import HTTPStatus

import openpyxl
import pytest
from django.contrib.auth.models import Group, Permission
from django.test import Client

from sascop.accounts.tests.factories import PASSWORD, UserFactory
from sascop.actividad.models import RegistroActividad
from sascop.catalogos.tests.factories import SitioFactory
from sascop.core.tests.test_openapi_document import assert_documented
from sascop.ots.tests.factories import OTFactory
from sascop.precios.tests.factories import ConceptoFactory, linea_de
from sascop.produccion import gpu
from sascop.produccion.models import Produccion, RegistroGPU, ReporteDiario
from sascop.produccion.tests.factories import ProduccionFactory
from tests.envelope import assert_error

pytestmark = pytest.mark.django_db
EVIDENCIA = "https://evidencias.example.com/gpu/buzo-04.pdf"


@pytest.fixture
def obra():
    """May 2026: Buzo (C-2) on the 4th TE and CMA, on the 5th at another site; Lancha (C-3)
    on the 5th; Tubería (C-5, not on the board) on the 4th; Buzo in June (another month).
    The 5th at the OT's site is signed off."""
    ot = OTFactory(orden_trabajo="OT-GPU-1")
    otro_sitio = SitioFactory(descripcion="Zona de patio Dos Bocas")
    buzo = linea_de(ot, concepto=ConceptoFactory(anexo__clave="C-2", partida="3", concepto="Buzo",
                                                 unidad="HOM/DIA"))  # fmt: skip
    lancha = linea_de(ot, concepto=ConceptoFactory(anexo__clave="C-3", partida="1.2",
                                                   concepto="Lancha", unidad="DIA"))  # fmt: skip
    tubo = linea_de(ot, concepto=ConceptoFactory(anexo__clave="C-5", partida="2.1"))
    filas = {}
    for nombre, linea, fecha, tipo, sitio in (
        ("buzo_te", buzo, "2026-05-04", "TE", ot.sitio),
        ("buzo_cma", buzo, "2026-05-04", "CMA", ot.sitio),
        ("buzo_patio", buzo, "2026-05-05", "TE", otro_sitio),
        ("lancha_5", lancha, "2026-05-05", "TE", ot.sitio),
        ("tubo", tubo, "2026-05-04", "TE", ot.sitio),
        ("junio", buzo, "2026-06-01", "TE", ot.sitio),
    ):
        filas[nombre] = ProduccionFactory(
            ot=ot, partida_anexo=linea, fecha_produccion=fecha, tipo_tiempo=tipo, sitio=sitio,
            volumen_produccion=Decimal("2.5"),
        )  # fmt: skip
    RegistroGPU.objects.create(produccion=filas["lancha_5"], estatus="PROCESO", nota="Falta foto")
    ReporteDiario.objects.create(ot=ot, sitio=ot.sitio, fecha="2026-05-05", estatus="FIRMADO")
    return {"ot": ot, "buzo": buzo, "lancha": lancha, "otro_sitio": otro_sitio, **filas}


def _url(ot, mes=5):
    return f"/operaciones/api/ots/{ot.pk}/gpu/?anio=2026&mes={mes}"


def _put(c, ot, registros, csrf, **cabeceras):
    return c.put(
        _url(ot), {"registros": registros}, content_type="application/json", **csrf(c),
        **cabeceras,
    )  # fmt: skip


def _registro(fila, linea, **campos):
    base = {
        "produccion": fila.pk,
        "partida_anexo": linea.pk,
        "anexo": linea.concepto.anexo.clave,
        "partida": linea.concepto.partida,
        "concepto": linea.concepto.concepto,
        "unidad": linea.concepto.unidad,
        "tipo_tiempo": fila.tipo_tiempo,
        "sitio": fila.sitio_id,
        "sitio_descripcion": fila.sitio.descripcion,
        "fecha": str(fila.fecha_produccion),
        "dia": int(str(fila.fecha_produccion)[-2:]),
        "volumen": "2.5000",
        "estatus": "PENDIENTE",
        "evidencia": "",
        "nota": "",
        "dia_firmado": False,
    }
    return {**base, **campos}


def test_the_board_lists_the_months_c2_and_c3_production_with_its_gpu_state(viewer, obra):
    response = viewer.get(_url(obra["ot"]))

    assert response.status_code == HTTPStatus.OK
    assert response["ETag"].startswith('"')
    buzo, lancha = obra["buzo"], obra["lancha"]
    assert response.json() == {
        "ot": obra["ot"].pk,
        "orden_trabajo": "OT-GPU-1",
        "anio": 2026,
        "mes": 5,
        "dias": list(range(1, 32)),
        "registros": [
            # Line order, then kind of time, site and date; C-5 and June left out.
            _registro(obra["buzo_cma"], buzo),
            _registro(obra["buzo_te"], buzo),
            _registro(obra["buzo_patio"], buzo),
            _registro(
                obra["lancha_5"], lancha, estatus="PROCESO", nota="Falta foto", dia_firmado=True
            ),
        ],
    }


def test_the_board_costs_three_queries_whatever_its_size(obra, django_assert_num_queries):
    with django_assert_num_queries(3):
        pequeno = gpu.tablero(ot_id=obra["ot"].pk, anio=2026, mes=5)
    for dia in range(6, 31):
        ProduccionFactory(
            ot=obra["ot"], partida_anexo=obra["buzo"], fecha_produccion=datetime.date(2026, 5, dia),
        )  # fmt: skip
    with django_assert_num_queries(3):
        grande = gpu.tablero(ot_id=obra["ot"].pk, anio=2026, mes=5)
    assert len(grande["registros"]) == len(pequeno["registros"]) + 25


def test_put_creates_and_changes_records_with_if_match(capturista, csrf, obra):
    ot = obra["ot"]
    leido = capturista.get(_url(ot))

    guardado = _put(
        capturista, ot,
        [{"produccion": obra["buzo_te"].pk, "estatus": "FALTA FIRMA PEMEX",
          "evidencia": f" {EVIDENCIA} ", "nota": "Bitácora del buzo"},
         {"produccion": obra["buzo_cma"].pk, "estatus": "PENDIENTE"}],  # unchanged: no record
        csrf, HTTP_IF_MATCH=leido["ETag"],
    )  # fmt: skip

    assert guardado.status_code == HTTPStatus.OK, guardado.content
    registros = {r["produccion"]: r for r in guardado.json()["registros"]}
    assert registros[obra["buzo_te"].pk] == _registro(
        obra["buzo_te"], obra["buzo"], estatus="FALTA FIRMA PEMEX", evidencia=EVIDENCIA,
        nota="Bitácora del buzo",
    )  # fmt: skip
    assert guardado["ETag"] != leido["ETag"]
    assert RegistroGPU.objects.count() == 2  # the lancha's and the buzo TE's
    assert RegistroActividad.objects.filter(entidad="registrogpu", accion="crear").count() == 1

    stale = _put(capturista, ot, [{"produccion": obra["buzo_te"].pk, "nota": "otra"}], csrf,
                 HTTP_IF_MATCH=leido["ETag"])  # fmt: skip
    assert_error(stale, HTTPStatus.PRECONDITION_FAILED, "precondition_failed")

    cambio = _put(capturista, ot, [{"produccion": obra["buzo_te"].pk, "estatus": "FIRMADO"}],
                  csrf, HTTP_IF_MATCH=guardado["ETag"])  # fmt: skip
    assert cambio.status_code == HTTPStatus.OK, cambio.content
    registro = RegistroGPU.objects.get(produccion=obra["buzo_te"])
    # A field left out is left alone.
    assert (registro.estatus, registro.evidencia, registro.nota) == (
        "FIRMADO", EVIDENCIA, "Bitácora del buzo",
    )  # fmt: skip
    log = RegistroActividad.objects.get(entidad="registrogpu", accion="modificar", campo="estatus")
    assert (log.valor_anterior, log.valor_nuevo) == ("FALTA FIRMA PEMEX", "FIRMADO")


def test_bad_records_are_named_and_nothing_is_saved(capturista, csrf, obra):
    response = _put(
        capturista, obra["ot"],
        [{"produccion": obra["buzo_te"].pk, "estatus": "FIRMADA", "nota": "ok"},
         {"produccion": obra["tubo"].pk, "estatus": "PROCESO"},
         {"produccion": obra["junio"].pk},
         {"produccion": obra["buzo_cma"].pk, "evidencia": "ftp://x.example.com/a"},
         {"produccion": obra["buzo_cma"].pk}],
        csrf,
    )  # fmt: skip

    body = assert_error(response, HTTPStatus.BAD_REQUEST, "invalid")
    ajena = ["Not a production row of a C-2 or C-3 line of this OT and month."]
    assert body["fields"] == {
        "registros[0].estatus": ["Use one of: PENDIENTE, PROCESO, FALTA FIRMA PEMEX, FIRMADO."],
        "registros[1].produccion": ajena,
        "registros[2].produccion": ajena,
        "registros[3].evidencia": ["Enter a link that starts with http:// or https://."],
        "registros[4].produccion": ["Sent twice."],
    }
    assert RegistroGPU.objects.count() == 1


def test_a_signed_off_days_records_are_read_only(capturista, csrf, obra):
    firmado = _put(capturista, obra["ot"], [
        {"produccion": obra["buzo_patio"].pk, "estatus": "PROCESO"},  # another site: not signed
        {"produccion": obra["lancha_5"].pk, "nota": "Ya está la foto"},
    ], csrf)  # fmt: skip

    body = assert_error(firmado, HTTPStatus.CONFLICT, "conflict")
    assert body["firmados"] == [
        {"produccion": obra["lancha_5"].pk, "sitio": obra["ot"].sitio_id, "fecha": "2026-05-05"}
    ]
    assert not RegistroGPU.objects.filter(produccion=obra["buzo_patio"]).exists()
    # Sending it as it is changes nothing, and is no conflict.
    igual_que_antes = [{"produccion": obra["lancha_5"].pk, "nota": "Falta foto"}]
    igual = _put(capturista, obra["ot"], igual_que_antes, csrf)
    assert igual.status_code == HTTPStatus.OK


def test_only_those_who_sign_set_or_clear_a_records_firmado(csrf, json_login, obra, viewer):
    usuario = UserFactory()
    grupo = Group.objects.create(name="Solo GPU")
    grupo.permissions.add(
        *Permission.objects.filter(
            codename__in=["view_produccion", "view_registrogpu", "add_registrogpu",
                          "change_registrogpu"]
        )
    )  # fmt: skip
    usuario.groups.add(grupo)
    c = Client(enforce_csrf_checks=True)
    json_login(usuario.username, PASSWORD, c=c)
    fila = obra["buzo_te"]

    firmar = _put(c, obra["ot"], [{"produccion": fila.pk, "estatus": "FIRMADO"}], csrf)
    assert_error(firmar, HTTPStatus.FORBIDDEN, "permission_denied")
    proceso = _put(c, obra["ot"], [{"produccion": fila.pk, "estatus": "PROCESO"}], csrf)
    assert proceso.status_code == HTTPStatus.OK, proceso.content
    RegistroGPU.objects.filter(produccion=fila).update(estatus="FIRMADO")
    reabrir = _put(c, obra["ot"], [{"produccion": fila.pk, "estatus": "PROCESO"}], csrf)
    assert_error(reabrir, HTTPStatus.FORBIDDEN, "permission_denied")
    # The evidence of a signed record may still be completed.
    enlace = _put(c, obra["ot"], [{"produccion": fila.pk, "evidencia": EVIDENCIA}], csrf)
    assert enlace.status_code == HTTPStatus.OK, enlace.content
    # A reader reads, never writes.
    assert viewer.get(_url(obra["ot"])).status_code == HTTPStatus.OK
    lector = _put(viewer, obra["ot"], [{"produccion": fila.pk, "nota": "x"}], csrf)
    assert_error(lector, HTTPStatus.FORBIDDEN, "permission_denied")


def test_deleting_a_production_row_deletes_its_record(capturista, csrf, obra):
    fila = obra["lancha_5"]
    ReporteDiario.objects.all().delete()
    leida = capturista.get(f"/operaciones/api/produccion/{fila.pk}/")

    borrada = capturista.delete(
        f"/operaciones/api/produccion/{fila.pk}/", HTTP_IF_MATCH=leida["ETag"], **csrf(capturista)
    )

    assert borrada.status_code == HTTPStatus.NO_CONTENT, borrada.content
    assert not Produccion.objects.filter(pk=fila.pk).exists()
    assert not RegistroGPU.objects.exists()


def test_the_board_as_a_workbook_from_the_api_and_the_page(viewer, obra):
    RegistroGPU.objects.create(produccion=obra["buzo_te"], estatus="FIRMADO", evidencia=EVIDENCIA)
    for response in (
        viewer.get(_url(obra["ot"]) + "&formato=xlsx"),
        viewer.get("/produccion/gpu/?ot=OT-GPU-1&anio=2026&mes=5&exportar=xlsx"),
    ):
        assert response.status_code == HTTPStatus.OK
        libro = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
        filas = list(libro.active.iter_rows(values_only=True))
        assert filas[0][:9] == ("ANEXO", "PARTIDA", "CONCEPTO", "UNIDAD", "FECHA", "TIEMPO",
                                "SITIO", "VOLUMEN", "ESTATUS GPU")  # fmt: skip
        assert [(f[0], f[1], f[5], f[8], f[9], f[11]) for f in filas[1:]] == [
            ("C-2", "3", "CMA", "PENDIENTE", None, "No"),
            ("C-2", "3", "TE", "FIRMADO", EVIDENCIA, "No"),
            ("C-2", "3", "TE", "PENDIENTE", None, "No"),
            ("C-3", "1.2", "TE", "PROCESO", None, "Sí"),
        ]
        assert filas[1][4] == datetime.datetime(2026, 5, 4)


def test_the_page_shows_the_board_for_the_grid(viewer, obra, django_assert_max_num_queries):
    vacia = viewer.get("/produccion/gpu/")
    assert vacia.status_code == HTTPStatus.OK
    assert "datos-gpu" not in vacia.content.decode()

    with django_assert_max_num_queries(12):
        response = viewer.get("/produccion/gpu/?ot=OT-GPU-1&anio=2026&mes=5")

    html = response.content.decode()
    assert response.status_code == HTTPStatus.OK
    assert "Tablero GPU" in html
    assert 'id="datos-gpu"' in html
    datos = response.context["tablero"]
    assert datos["editable"] is False and datos["firma"] is False
    assert datos["api"] == _url(obra["ot"])
    assert len(datos["datos"]["registros"]) == 4
    nada = viewer.get("/produccion/gpu/?ot=OT-GPU-1&anio=2026&mes=7")
    assert "Sin producción en partidas de los anexos C-2 o C-3" in nada.content.decode()
    assert viewer.get("/produccion/gpu/?ot=NO-EXISTE").status_code == HTTPStatus.BAD_REQUEST


def test_the_answers_match_the_schema(client, viewer, capturista, obra):
    document = client.get("/api/schema/", {"format": "json"}).json()
    ot = obra["ot"]
    assert_documented(document, "GET", "/operaciones/api/ots/{ot_id}/gpu/", viewer.get(_url(ot)))
    reportes = viewer.get(f"/operaciones/api/ots/{ot.pk}/reportes-diarios/?anio=2026&mes=5")
    assert_documented(document, "GET", "/operaciones/api/ots/{ot_id}/reportes-diarios/", reportes)
    assert reportes.json()["cierre_mes"] == {"estatus": "ABIERTO", "evidencia": ""}


def test_the_pages_queries_do_not_grow_with_the_board(
    viewer, obra, django_assert_max_num_queries, django_assert_num_queries
):
    url = "/produccion/gpu/?ot=OT-GPU-1&anio=2026&mes=5"
    viewer.get("/api/user/")
    with django_assert_max_num_queries(20) as pequena:
        assert viewer.get(url).status_code == HTTPStatus.OK
    for dia in range(10, 31):
        ProduccionFactory(
            ot=obra["ot"],
            partida_anexo=obra["lancha"],
            fecha_produccion=datetime.date(2026, 5, dia),
        )
    with django_assert_num_queries(len(pequena)):
        grande = viewer.get(url)
    assert len(grande.context["tablero"]["datos"]["registros"]) == 4 + 21
