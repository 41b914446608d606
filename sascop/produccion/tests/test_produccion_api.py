"""Production capture: one row, bulk all-or-nothing, duplicates, decimals end to end."""

from __future__ import annotations

from decimal import Decimal
from http import HTTPStatus

import pytest
from django.utils import timezone

from sascop.actividad.models import RegistroActividad
from sascop.ots.models import OT
from sascop.ots.tests.factories import OTFactory
from sascop.precios.tests.factories import ConceptoFactory, linea_de
from sascop.produccion.models import Produccion
from sascop.produccion.tests.factories import ProduccionFactory
from tests.envelope import assert_error

pytestmark = pytest.mark.django_db
URL = "/operaciones/api/produccion/"


@pytest.fixture
def ot():
    return OTFactory()


@pytest.fixture
def partida(ot):
    """A line of the OT's anexo: concept 2.1 of anexo C-5, 100 authorised."""
    concepto = ConceptoFactory(
        anexo__clave="C-5", partida="2.1", concepto="Tubería de 8 pulgadas", unidad="DIA"
    )
    return linea_de(ot, concepto=concepto)


def _row(la_ot, la_partida, **extra):
    return {
        "ot": la_ot.pk,
        "partida_anexo": la_partida.pk,
        "fecha_produccion": "2026-08-01",
        "volumen_produccion": "12345678.1234",
        **extra,
    }


def _post(c, csrf, url, body):
    return c.post(url, body, content_type="application/json", **csrf(c))


def test_create_one_keeps_decimals_exact(capturista, csrf, ot, partida):
    response = _post(capturista, csrf, URL, _row(ot, partida, tipo_tiempo="CMA"))

    assert response.status_code == HTTPStatus.CREATED
    body = response.json()
    fila = Produccion.objects.get()
    assert body == {
        "id": fila.pk,
        "ot_id": ot.pk,
        "orden_trabajo": ot.orden_trabajo,
        "partida_anexo": partida.pk,
        "anexo": "C-5",
        "partida": "2.1",
        "concepto": "Tubería de 8 pulgadas",
        "unidad": "DIA",
        "sitio_id": ot.sitio_id,
        "sitio": ot.sitio.descripcion,
        "fecha_produccion": "2026-08-01",
        "volumen_produccion": "12345678.1234",
        "tipo_tiempo": "CMA",
        # 100 authorised: the rest of the row is beyond it.
        "excedente": "12345578.1234",
        "estatus_cobro": 1,
        "estatus_cobro_texto": "Por estimar",
        "comentario": "",
    }
    assert fila.volumen_produccion == Decimal("12345678.1234")
    assert fila.excedente == Decimal("12345578.1234")


def test_duplicate_is_409(capturista, csrf, ot, partida):
    assert _post(capturista, csrf, URL, _row(ot, partida)).status_code == HTTPStatus.CREATED

    response = _post(capturista, csrf, URL, _row(ot, partida, volumen_produccion="1"))

    assert response.status_code == HTTPStatus.CONFLICT
    assert response.json() == {
        "error": "Conflict",
        "code": "conflict",
        "detail": "Production for that OT, partida, date, kind of time and site is already "
        "recorded.",
    }
    # Another kind of time on the same day is a different row.
    other = _post(capturista, csrf, URL, _row(ot, partida, tipo_tiempo="CMA"))
    assert other.status_code == HTTPStatus.CREATED


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"volumen_produccion": "0"}, "volumen_produccion"),
        ({"volumen_produccion": "-3"}, "volumen_produccion"),
        ({"volumen_produccion": "1.12345"}, "volumen_produccion"),
        ({"tipo_tiempo": "XX"}, "tipo_tiempo"),
        ({"ot": 987654}, "ot"),
        ({"partida_anexo": 987654}, "partida_anexo"),
        ({"es_excedente": True}, "es_excedente"),
        ({"excedente": "0"}, "excedente"),
        ({"fecha_produccion": "ayer"}, "fecha_produccion"),
    ],
)
def test_create_validation(capturista, csrf, ot, partida, change, field):
    response = _post(capturista, csrf, URL, _row(ot, partida, **change))

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert list(response.json()["fields"]) == [field]


def test_bulk_creates_all(capturista, csrf, ot, partida):
    rows = [_row(ot, partida, fecha_produccion=f"2026-08-{d:02d}") for d in range(1, 21)]

    response = _post(capturista, csrf, f"{URL}lote/", {"filas": rows})

    assert response.status_code == HTTPStatus.CREATED
    assert response.json()["creadas"] == 20
    assert Produccion.objects.count() == 20
    assert RegistroActividad.objects.filter(entidad="produccion", accion="crear").count() == 20


def test_bulk_bad_row_rejects_all_and_names_it(capturista, csrf, ot, partida):
    rows = [_row(ot, partida, fecha_produccion=f"2026-08-{d:02d}") for d in range(1, 6)]
    rows[3]["volumen_produccion"] = "0"

    response = _post(capturista, csrf, f"{URL}lote/", {"filas": rows})

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json() == {
        "error": "Invalid input",
        "code": "invalid",
        "detail": "Some rows are not valid; nothing was saved.",
        "fields": {"filas[3].volumen_produccion": ["Must be greater than 0."]},
    }
    assert not Produccion.objects.exists()
    assert not RegistroActividad.objects.filter(entidad="produccion").exists()


def test_bulk_duplicate_of_stored_row_is_409_and_saves_nothing(capturista, csrf, ot, partida):
    _post(capturista, csrf, URL, _row(ot, partida, fecha_produccion="2026-08-03"))
    rows = [_row(ot, partida, fecha_produccion=f"2026-08-{d:02d}") for d in range(1, 6)]

    response = _post(capturista, csrf, f"{URL}lote/", {"filas": rows})

    assert response.status_code == HTTPStatus.CONFLICT
    assert response.json()["filas"] == [2]
    assert Produccion.objects.count() == 1


def test_bulk_rows_repeating_each_other_are_409(capturista, csrf, ot, partida):
    response = _post(capturista, csrf, f"{URL}lote/", [_row(ot, partida), _row(ot, partida)])

    assert response.status_code == HTTPStatus.CONFLICT
    assert response.json()["filas"] == [1]
    assert not Produccion.objects.exists()


def test_bulk_needs_rows(capturista, csrf):
    response = _post(capturista, csrf, f"{URL}lote/", {"filas": []})

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json()["fields"] == {"filas": ["Send a non-empty list of rows."]}


def test_list_filters_and_constant_queries(capturista, assert_same_queries):
    fila = ProduccionFactory(tipo_tiempo="CMA")
    ProduccionFactory.create_batch(12)
    capturista.get(URL)  # with Redis the user row and the total are cached after a first request

    body = capturista.get(URL, {"ot": fila.ot_id, "tipo_tiempo": "CMA"}).json()
    assert [p["id"] for p in body["produccion"]] == [fila.pk]
    assert_same_queries(
        lambda: capturista.get(URL, {"elementos_por_pagina": 2}),
        lambda: capturista.get(URL, {"elementos_por_pagina": 13}),
    )


def test_rows_of_deleted_ots_are_left_out_of_the_list_its_count_and_its_page(capturista):
    vigente = ProduccionFactory()
    eliminada = ProduccionFactory()
    OT.all_objects.filter(pk=eliminada.ot_id).update(eliminado_en=timezone.now())

    body = capturista.get(URL).json()
    html = capturista.get("/produccion/").content.decode()

    assert [p["id"] for p in body["produccion"]] == [vigente.pk]
    assert body["total"] == 1
    assert vigente.ot.orden_trabajo in html
    assert eliminada.ot.orden_trabajo not in html


def test_edit_and_delete(capturista, csrf):
    fila = ProduccionFactory()
    url = f"{URL}{fila.pk}/"
    etag = capturista.get(url)["ETag"]

    edited = capturista.patch(
        url,
        {"volumen_produccion": "7.5"},
        content_type="application/json",
        HTTP_IF_MATCH=etag,
        **csrf(capturista),
    )
    stale = capturista.delete(url, HTTP_IF_MATCH=etag, **csrf(capturista))
    deleted = capturista.delete(url, **csrf(capturista))

    assert edited.status_code == HTTPStatus.OK
    assert edited.json()["volumen_produccion"] == "7.5000"
    assert stale.status_code == HTTPStatus.PRECONDITION_FAILED
    assert deleted.status_code == HTTPStatus.NO_CONTENT
    assert not Produccion.objects.filter(pk=fila.pk).exists()


def test_readers_cannot_capture(viewer, csrf, ot, partida):
    response = _post(viewer, csrf, URL, _row(ot, partida))

    assert_error(response, HTTPStatus.FORBIDDEN, "permission_denied")


def test_a_line_of_another_ot_or_of_an_old_version_is_refused(capturista, csrf, ot, partida):
    ajena = linea_de(OTFactory())
    partida.anexo_ot.activo = False
    partida.anexo_ot.save()

    for linea in (ajena, partida):
        response = _post(capturista, csrf, URL, _row(ot, linea))

        assert response.status_code == HTTPStatus.BAD_REQUEST
        assert response.json()["fields"] == {
            "partida_anexo": ["Not a line of the OT's active anexo."]
        }
    bulk = _post(capturista, csrf, f"{URL}lote/", [_row(ot, partida)])
    assert bulk.json()["fields"] == {
        "filas[0].partida_anexo": ["Not a line of the OT's active anexo."]
    }
    assert not Produccion.objects.exists()


def test_filters_by_anexo_line_and_excedente(capturista, csrf, ot, partida):
    for dia, volumen in (("01", "60"), ("02", "60")):
        _post(capturista, csrf, URL, _row(ot, partida, fecha_produccion=f"2026-08-{dia}",
                                          volumen_produccion=volumen))  # fmt: skip

    def ids(**params):
        return [p["fecha_produccion"] for p in capturista.get(URL, params).json()["produccion"]]

    assert ids(con_excedente="true") == ["2026-08-02"]
    assert ids(con_excedente="false") == ["2026-08-01"]
    assert ids(anexo="C-5", partida="2.1", partida_anexo=partida.pk) == [
        "2026-08-02",
        "2026-08-01",
    ]
    assert ids(anexo="C-4") == []
    assert capturista.get(URL, {"con_excedente": "quizá"}).status_code == HTTPStatus.BAD_REQUEST
