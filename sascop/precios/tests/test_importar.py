"""Importing the price book: the endpoint, the command, all-or-nothing, idempotence, limits."""

from __future__ import annotations

import io
from decimal import Decimal
from http import HTTPStatus
from io import StringIO
from unittest.mock import ANY

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from sascop.actividad.models import RegistroActividad
from sascop.precios import services
from sascop.precios.libro import FILAS_DE_TITULO
from sascop.precios.models import Anexo, Concepto, Contrato
from sascop.precios.tests.factories import ConceptoFactory, ContratoFactory, PUEFactory
from sascop.precios.tests.libros import (
    ENCABEZADO,
    NO_ES_UN_LIBRO,
    TITULOS,
    libro_completo,
    libro_simple,
    xlsx,
)
from sascop.ptes.tests.factories import PTEFactory
from tests.envelope import invalid_input

# A client that asks for Spanish: the messages asserted are the users' wording.
ES_MX = {"HTTP_ACCEPT_LANGUAGE": "es-MX"}
pytestmark = pytest.mark.django_db
URL = "/operaciones/api/precios/importar/"
# What the answer says of a book that is not the PUE list, with no changed price.
SIN_LISTA = {
    "simulada": False,
    "cambios_de_precio": [],
    "lista_pue": False,
    "propuestas": {"creadas": 0, "actualizadas": 0, "sin_cambios": 0, "repetidas": 0},
    "ptes_sin_registro": [],
    "ots_sin_registro": [],
    "hojas_resumen": [],
}


def importar(client, csrf, datos: bytes, **extra):
    archivo = SimpleUploadedFile("catalogo.xlsx", datos)
    return client.post(URL, {"archivo": archivo, **extra}, **csrf(client), **ES_MX)


def estado():
    """Everything an import may write, to compare before and after."""
    return (
        list(Contrato.objects.values_list("numero", flat=True)),
        list(Anexo.objects.values_list("clave", flat=True)),
        list(Concepto.objects.values_list("id", "partida", "pu_mn", "version")),
        RegistroActividad.objects.filter(entidad__in=["contrato", "anexo", "concepto"]).count(),
    )


def test_import_creates_the_book(admin, csrf):
    pte = PTEFactory(oficio_pte="PTE-2026-0001")

    response = importar(admin, csrf, libro_completo())

    assert response.status_code == HTTPStatus.OK, response.content
    assert response.json() == {
        "contrato": "principal",
        "creados": 7,
        "actualizados": 0,
        "sin_cambios": 0,
        "anexos": [
            {"anexo": "C-5", "hojas": ["C-5"], "creados": 5, "actualizados": 0, "sin_cambios": 0},
            {
                "anexo": "C-5-1",
                "hojas": ["C-5-1"],
                "creados": 1,
                "actualizados": 0,
                "sin_cambios": 0,
            },
            {"anexo": "C-10", "hojas": ["C-10"], "creados": 1, "actualizados": 0, "sin_cambios": 0},
        ],
        "hojas_vacias": [],
        **SIN_LISTA,
        "mensaje": "Contrato principal: 7 conceptos nuevos, 0 actualizados y 0 sin cambios.",
    }
    contrato = Contrato.objects.get()
    assert contrato.descripcion == (
        "PEMEX EXPLORACIÓN Y PRODUCCIÓN\n"
        "CONTRATO 640857800: SERVICIOS DE BUCEO Y APOYO A INSTALACIONES COSTA AFUERA"
    )
    filas = Concepto.objects.order_by("anexo__clave", "orden").values_list(
        "anexo__clave", "partida", "unidad", "pu_mn", "pu_usd", "seccion", "tipo", "estatus", "pte"
    )
    assert list(filas) == [
        ("C-10", "PUE-1", "PZA", Decimal("5000.00"), Decimal("0.00"), "", "extraordinaria",
         "EN_ELABORACION", pte.pk),
        ("C-5", "1", "H-H", Decimal("420.00"), Decimal("0.00"), "Estructuras", "ordinaria",
         "AUTORIZADO", None),
        ("C-5", "2.1", "DIA", Decimal("1234.50"), Decimal("0.00"), "Tubos", "ordinaria",
         "AUTORIZADO", None),
        ("C-5", "2.2", "DIA", Decimal("1500.00"), Decimal("15.50"), "Tubos", "ordinaria",
         "AUTORIZADO", None),
        ("C-5", "4.4", "JORNADA", Decimal("800.00"), Decimal("0.00"), "Estructuras", "ordinaria",
         "AUTORIZADO", None),
        ("C-5", "5.1", "HOM/DIA", Decimal("0.00"), Decimal("950.25"), "Estructuras",
         "ordinaria", "AUTORIZADO", None),
        ("C-5-1", "5.1", "HOM/DIA", Decimal("1000.00"), Decimal("10.10"), "Tubos", "ordinaria",
         "AUTORIZADO", None),
    ]  # fmt: skip
    creaciones = RegistroActividad.objects.filter(accion="crear")
    assert sorted(creaciones.values_list("entidad", flat=True)) == (
        ["anexo"] * 3 + ["concepto"] * 7 + ["contrato"]
    )
    assert len({r.usuario_id for r in creaciones} - {None}) == 1


def _libro_de(conceptos: int, anexo: str) -> bytes:
    filas = [[anexo, f"1.{n}", f"Concepto {n}", "DIA", 1, 10 + n, None] for n in range(conceptos)]
    return xlsx({anexo: [ENCABEZADO, *filas]})


def test_import_queries_do_not_grow_with_the_concepts(admin, csrf):
    # Each concept's anexo is not looked up again to validate it: a 50,000-concept book
    # spent minutes on that, in a transaction PostgreSQL ends when it idles 10 s.
    importar(admin, csrf, _libro_de(1, "C-1"))  # the contract, and the session's caches
    with CaptureQueriesContext(connection) as pocos:
        assert importar(admin, csrf, _libro_de(2, "C-2")).json()["creados"] == 2
    with CaptureQueriesContext(connection) as muchos:
        assert importar(admin, csrf, _libro_de(30, "C-3")).json()["creados"] == 30

    assert len(muchos) == len(pocos), [q["sql"][:80] for q in muchos]


def test_the_same_book_twice_changes_nothing(admin, csrf):
    assert importar(admin, csrf, libro_simple()).status_code == HTTPStatus.OK
    antes = estado()

    response = importar(admin, csrf, libro_simple())

    assert response.status_code == HTTPStatus.OK
    assert response.json() == {
        "contrato": "principal",
        "creados": 0,
        "actualizados": 0,
        "sin_cambios": 2,
        "anexos": [
            {"anexo": "C-5", "hojas": ["C-5"], "creados": 0, "actualizados": 0, "sin_cambios": 2}
        ],
        "hojas_vacias": [],
        **SIN_LISTA,
        "mensaje": "Contrato principal: 0 conceptos nuevos, 0 actualizados y 2 sin cambios.",
    }
    assert estado() == antes


def test_a_changed_price_is_an_update_and_is_logged(admin, csrf):
    importar(admin, csrf, libro_simple(precio=1234.5))
    concepto = Concepto.objects.get(partida="2.1")

    response = importar(admin, csrf, libro_simple(precio="1,300.00"))

    assert response.status_code == HTTPStatus.OK
    assert (response.json()["actualizados"], response.json()["sin_cambios"]) == (1, 1)
    concepto.refresh_from_db()
    assert (concepto.pu_mn, concepto.version) == (Decimal("1300.00"), 2)
    cambio = RegistroActividad.objects.get(accion="modificar")
    assert (cambio.entidad, cambio.entidad_id, cambio.campo) == (
        "concepto",
        str(concepto.pk),
        "pu_mn",
    )
    assert (cambio.valor_anterior, cambio.valor_nuevo) == ("1234.50", "1300.00")


def test_one_bad_row_stores_nothing_and_every_bad_row_is_named(admin, csrf):
    datos = xlsx(
        {
            "C-5": [
                *TITULOS,
                ENCABEZADO,
                ["C-5", "2.1", "Bueno", "DIA", None, 10, None],
                ["C-5", "2.2", "Precio en letras", "DIA", None, "diez", None],
                ["C-5", "2.1.", "BUENO", "DIA", None, 10, None],
            ],
            "C-6": [ENCABEZADO, ["C-6", "1", "Sin unidad", None, None, 5, None]],
            "Notas": [["Revisar con el cliente"]],
            "C-10 PUE": [
                ["PARTIDA", "CONCEPTO", "UNIDAD", "P.U. MN", "OT"],
                ["1", "Grapa", "PZA", 10, "OT-NO-EXISTE"],
            ],
        }
    )

    response = importar(admin, csrf, datos)

    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert response.json() == {
        "error": "Invalid workbook",
        "code": "invalid_workbook",
        "detail": "Algunas filas del libro no se pudieron leer; no se importó nada.",
        "filas": [
            {
                "hoja": "C-5",
                "fila": 6,
                "partida": "2.2",
                "errores": ["P.U. M.N. no es un número: «diez»."],
            },
            {
                "hoja": "C-5",
                "fila": 7,
                "partida": "2.1",
                "errores": ["La partida 2.1 del anexo C-5 repite la fila 5 (el mismo concepto)."],
            },
            {"hoja": "C-6", "fila": 2, "partida": "1", "errores": ["Falta la unidad."]},
            {
                "hoja": "Notas",
                "fila": None,
                "partida": None,
                "errores": [
                    "No se encontró el encabezado: se esperaban las columnas PARTIDA, CONCEPTO, "
                    f"UNIDAD y P.U. M.N. o P.U. USD en las primeras {FILAS_DE_TITULO} filas."
                ],
            },
            {
                "hoja": "C-10 PUE",
                "fila": 2,
                "partida": "1",
                "errores": ["Ninguna OT tiene la orden de trabajo «OT-NO-EXISTE»."],
            },
        ],
    }
    assert estado() == ([], [], [], 0)


def test_a_client_that_asks_for_no_language_reads_the_refusal_in_english(admin, csrf):
    """The API's messages follow Accept-Language: without it they are the English msgids,
    with es-MX the users' Spanish (as every other test here asks)."""
    datos = xlsx(
        {
            "C-5": [
                ENCABEZADO,
                ["C-5", "2.2", "Precio en letras", "DIA", None, "diez", None],
                ["C-5", "2.3", "Sin unidad", None, None, 5, None],
            ]
        }
    )

    ingles = admin.post(URL, {"archivo": SimpleUploadedFile("catalogo.xlsx", datos)}, **csrf(admin))
    espanol = importar(admin, csrf, datos)

    assert ingles.status_code == espanol.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert ingles.json() == {
        "error": "Invalid workbook",
        "code": "invalid_workbook",
        "detail": "Some rows of the workbook could not be read; nothing was imported.",
        "filas": [
            {
                "hoja": "C-5",
                "fila": 2,
                "partida": "2.2",
                "errores": ["P.U. M.N. is not a number: «diez»."],
            },
            {"hoja": "C-5", "fila": 3, "partida": "2.3", "errores": ["The unit is missing."]},
        ],
    }
    assert espanol.json()["filas"][0]["errores"] == ["P.U. M.N. no es un número: «diez»."]
    assert espanol.json()["filas"][1]["errores"] == ["Falta la unidad."]
    assert estado() == ([], [], [], 0)


def test_not_a_workbook_is_a_400(admin, csrf):
    response = importar(admin, csrf, b"PARTIDA,CONCEPTO,UNIDAD\n1,Buzo,DIA\n")

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json() == NO_ES_UN_LIBRO
    assert estado() == ([], [], [], 0)


def test_a_book_of_empty_sheets_holds_nothing_to_import(admin, csrf):
    response = importar(admin, csrf, xlsx({"Hoja1": [], "Hoja2": []}))

    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert response.json()["filas"] == [
        {
            "hoja": "",
            "fila": None,
            "partida": None,
            "errores": ["El libro no tiene conceptos que importar."],
        }
    ]
    assert estado() == ([], [], [], 0)


def test_empty_sheets_beside_real_ones_are_skipped_and_reported(admin, csrf):
    datos = xlsx({"Hoja1": [], "C-2": [ENCABEZADO, ["C-2", "1", "Buzo", "DIA", None, 1, None]]})

    response = importar(admin, csrf, datos)

    assert response.status_code == HTTPStatus.OK
    assert response.json()["hojas_vacias"] == ["Hoja1"]


def test_no_file_is_a_400_naming_the_field(admin, csrf):
    response = admin.post(URL, {}, **csrf(admin))

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json() == invalid_input({"archivo": ["No file was submitted."]})


def test_json_is_not_accepted(admin, csrf):
    response = admin.post(URL, {"archivo": "x"}, content_type="application/json", **csrf(admin))

    assert response.status_code == HTTPStatus.UNSUPPORTED_MEDIA_TYPE


def test_into_a_named_contract_and_several_contracts_need_a_name(admin, csrf):
    ContratoFactory(numero="640857800")
    ContratoFactory(numero="640857801")

    sin_nombre = importar(admin, csrf, libro_simple())
    con_nombre = importar(admin, csrf, libro_simple(), contrato="640857801")

    assert sin_nombre.status_code == HTTPStatus.BAD_REQUEST
    assert sin_nombre.json()["fields"] == {
        "contrato": ["Hay varios contratos: indica a cuál va el libro (número)."]
    }
    assert con_nombre.status_code == HTTPStatus.OK
    assert Anexo.objects.get().contrato.numero == "640857801"


def test_only_administration_imports(role_client, csrf):
    for role in ("Consulta", "Ingeniería", "Captura de producción"):
        c = role_client(role)
        response = importar(c, csrf, libro_simple())
        assert response.status_code == HTTPStatus.FORBIDDEN, role
        assert response.json()["code"] == "permission_denied"
    assert not Concepto.objects.exists()


def test_anonymous_and_tokenless_imports_are_refused(client, admin, csrf):
    anonimo = client.post(URL, {"archivo": SimpleUploadedFile("a.xlsx", libro_simple())})
    sin_token = admin.post(URL, {"archivo": SimpleUploadedFile("a.xlsx", libro_simple())})

    assert anonimo.status_code == HTTPStatus.UNAUTHORIZED
    assert sin_token.status_code == HTTPStatus.FORBIDDEN
    assert sin_token.json()["code"] == "csrf_failed"


# --- size limits ------------------------------------------------------------------------------


class Explota(io.RawIOBase):
    """A request body that fails the test if anything reads it."""

    def read(self, *args):
        raise AssertionError("the body was read")

    readline = read


def test_uploads_over_10_mb_are_refused_before_the_body_is_read(admin, csrf, settings):
    largo = settings.MAX_UPLOAD_BODY_BYTES + 1

    response = admin.generic(
        "POST",
        URL,
        CONTENT_TYPE="multipart/form-data; boundary=xyz",
        CONTENT_LENGTH=str(largo),
        **{"wsgi.input": Explota()},
        **csrf(admin),
    )

    assert response.status_code == HTTPStatus.REQUEST_ENTITY_TOO_LARGE
    assert response.json() == {
        "error": "Payload too large",
        "code": "payload_too_large",
        "detail": f"The request body may not exceed {settings.MAX_UPLOAD_BODY_BYTES} bytes.",
    }
    assert settings.MAX_UPLOAD_BODY_BYTES == 10 * 1024 * 1024


def test_other_endpoints_keep_the_general_limit_and_refuse_unread(admin, csrf, settings):
    response = admin.generic(
        "POST",
        "/operaciones/api/ptes/",
        CONTENT_TYPE="application/json",
        CONTENT_LENGTH=str(settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1),
        **{"wsgi.input": Explota()},
        **csrf(admin),
    )

    assert response.status_code == HTTPStatus.REQUEST_ENTITY_TOO_LARGE
    assert response.json()["detail"] == (
        f"The request body may not exceed {settings.DATA_UPLOAD_MAX_MEMORY_SIZE} bytes."
    )


def test_a_file_between_the_two_limits_reaches_the_import(admin, csrf, settings):
    # 2 MiB of padding after a real workbook: past the general 1 MiB limit, and still read
    # (zip readers find the archive from its end, so the padding goes in front).
    datos = libro_simple()
    relleno = b"\0" * (2 * 1024 * 1024)

    response = importar(admin, csrf, relleno + datos)

    assert len(relleno + datos) > settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    assert response.status_code == HTTPStatus.OK, response.content
    assert response.json()["creados"] == 2


def test_a_chunked_upload_over_the_limit_is_refused_after_parsing(admin, csrf, settings):
    # Without Content-Length nothing can be judged up front; the file's size still is.
    settings.MAX_UPLOAD_BODY_BYTES = 1000

    response = importar(admin, csrf, libro_simple())

    assert response.status_code == HTTPStatus.REQUEST_ENTITY_TOO_LARGE
    assert not Concepto.objects.exists()


# --- the command ------------------------------------------------------------------------------


def test_command_imports_idempotently(tmp_path, user):
    archivo = tmp_path / "catalogo.xlsx"
    archivo.write_bytes(libro_simple())
    out = StringIO()

    call_command("importar_precios", str(archivo), "--usuario", "ana", stdout=out)
    call_command("importar_precios", str(archivo), stdout=out)

    assert out.getvalue().splitlines() == [
        "Anexo C-5: 2 nuevos, 0 actualizados, 0 sin cambios",
        "Contrato principal: 2 conceptos nuevos, 0 actualizados y 0 sin cambios.",
        "Anexo C-5: 0 nuevos, 0 actualizados, 2 sin cambios",
        "Contrato principal: 0 conceptos nuevos, 0 actualizados y 2 sin cambios.",
    ]
    assert set(RegistroActividad.objects.values_list("nombre_usuario", flat=True)) == {"ana"}


def test_command_lists_each_bad_row_and_stores_nothing(tmp_path):
    archivo = tmp_path / "catalogo.xlsx"
    archivo.write_bytes(
        xlsx({"C-5": [ENCABEZADO, ["C-5", "2.1", "Sin precio", "DIA", None, None, None]]})
    )
    err = StringIO()

    with pytest.raises(CommandError, match="No se importó nada"):
        call_command("importar_precios", str(archivo), stderr=err)

    assert err.getvalue() == (
        "C-5, fila 2 (partida 2.1): Falta el precio: P.U. M.N. y P.U. USD están vacíos.\n"
    )
    assert estado() == ([], [], [], 0)


def test_command_on_a_missing_file(tmp_path):
    with pytest.raises(CommandError, match="No se puede leer"):
        call_command("importar_precios", str(tmp_path / "no-existe.xlsx"))


def test_service_refuses_a_model_invalid_row_with_its_row_number():
    datos = xlsx({"C-5": [ENCABEZADO, ["C-5", "1", "Caro", "DIA", None, 10**17, None]]})

    with translation.override("en"), pytest.raises(services.LibroInvalido) as refused:
        services.conceptos_importar(usuario=None, archivo=io.BytesIO(datos))

    assert refused.value.extra["filas"] == [
        {
            "hoja": "C-5",
            "fila": 2,
            "partida": "1",
            "errores": ["pu_mn: Ensure that there are no more than 18 digits in total."],
        }
    ]
    assert estado() == ([], [], [], 0)


def test_import_response_is_not_cached(admin, csrf):
    response = importar(admin, csrf, libro_simple())

    assert response["Cache-Control"] == "private, no-cache"
    assert response.json() == {
        "contrato": "principal",
        "creados": 2,
        "actualizados": 0,
        "sin_cambios": 0,
        "anexos": [ANY],
        "hojas_vacias": [],
        **SIN_LISTA,
        "mensaje": ANY,
    }


def test_reimporting_keeps_what_the_book_does_not_say(admin, csrf):
    PTEFactory(oficio_pte="PTE-2026-0001")
    importar(admin, csrf, libro_completo())
    pue = Concepto.objects.get(partida="PUE-1")
    autorizado = admin.post(
        f"/operaciones/api/precios/conceptos/{pue.pk}/autorizar/",
        content_type="application/json",
        **csrf(admin),
    )
    assert autorizado.status_code == HTTPStatus.OK

    response = importar(admin, csrf, libro_completo())

    assert (response.json()["creados"], response.json()["sin_cambios"]) == (0, 7)
    pue.refresh_from_db()
    assert (pue.estatus, pue.version) == ("AUTORIZADO", 2)


def test_stored_concepts_the_book_no_longer_lists_stay(admin, csrf):
    importar(admin, csrf, libro_simple())
    solo_una = xlsx(
        {
            "C-5": [
                ENCABEZADO,
                [None, None, "Tubos"],
                ["C-5", "2.2", "Tubería de 10 pulgadas", "DÍA", None, 1500, 15.5],
            ]
        }
    )

    response = importar(admin, csrf, solo_una)

    assert (response.json()["sin_cambios"], response.json()["actualizados"]) == (1, 0)
    assert sorted(Concepto.objects.values_list("partida", flat=True)) == ["2.1", "2.2"]


def test_a_later_book_never_changes_kind_status_or_unnamed_origin(admin, csrf):
    pue = PUEFactory(anexo__clave="C-10", partida="1", pte=PTEFactory(), pu_mn="10.00")
    # A C-10 sheet whose titles do not say PUE, with no PTE column, and a new price.
    datos = xlsx({"C-10": [ENCABEZADO, ["C-10", "1", pue.concepto, "DIA", None, 12, None]]})

    response = importar(admin, csrf, datos)

    assert response.status_code == HTTPStatus.OK, response.content
    assert response.json()["actualizados"] == 1
    antes_pte = pue.pte_id
    pue.refresh_from_db()
    assert (pue.tipo, pue.estatus, pue.pte_id, pue.pu_mn) == (
        "extraordinaria",
        "EN_ELABORACION",
        antes_pte,
        Decimal("12.00"),
    )


def test_an_ordinary_concept_cannot_take_a_pte_from_a_pue_sheet(admin, csrf):
    ordinario = ConceptoFactory(anexo__clave="C-10", partida="1")
    PTEFactory(oficio_pte="PTE-1")
    datos = xlsx(
        {
            "C-10 PUE": [
                ["PARTIDA", "CONCEPTO", "UNIDAD", "P.U. MN", "PTE"],
                ["1", ordinario.concepto, "DIA", 1000, "PTE-1"],
            ]
        }
    )

    response = importar(admin, csrf, datos)

    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert response.json()["filas"] == [
        {
            "hoja": "C-10 PUE",
            "fila": 2,
            "partida": "1",
            "errores": [
                "La partida 1 del anexo C-10 es un concepto ordinario; sólo los "
                "extraordinarios llevan PTE u OT."
            ],
        }
    ]
