"""The client's real workbooks as they come: footers after the table, a summary sheet,
one partida naming several concepts, Excel's float noise, and the PUE list with its
proposals not keyed yet."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal
from http import HTTPStatus
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from sascop.actividad.models import RegistroActividad
from sascop.ots.tests.factories import OTFactory
from sascop.precios.libro import ErrorFila, leer_libro
from sascop.precios.models import ANEXO_SIN_CLAVE, Concepto, PartidaAnexoOT
from sascop.precios.tests.libros import ENCABEZADO, TITULOS, xlsx
from sascop.ptes.tests.factories import PTEFactory

# A client that asks for Spanish: the messages asserted are the users' wording.
ES_MX = {"HTTP_ACCEPT_LANGUAGE": "es-MX"}
URL = "/operaciones/api/precios/importar/"
OFICIOS = ["OPERARIO ESPECIALISTA (TUBERO)", "OPERARIO ESPECIALISTA (SOLDADOR)"]
OFICIOS += ["OPERARIO ESPECIALISTA (ELÉCTRICO)"]

PIE: list[list[Any]] = [
    [None, None, "TOTAL", None, None, None, None, 13362307.24, 0],
    [],
    ["EL MONTO DE LA PROPUESTA ES DE: (TRECE MILLONES TRESCIENTOS SESENTA Y DOS MIL PESOS)"],
    ["CIUDAD DEL CARMEN, CAMPECHE A 10 DE ENERO DE 2023"],
    [],
    [None, None, "COTEMAR, S.A. DE C.V."],
    [None, None, "ING. JUAN PÉREZ LÓPEZ"],
    [None, None, "REPRESENTANTE LEGAL"],
]


def c4(*, precio: Any = 1250.5, pie: list[list[Any]] | None = None) -> list[list[Any]]:
    """Sheet C-4: partida 4.7. seven times in the client's book (three here), then its
    footer."""
    return [
        *TITULOS,
        ENCABEZADO,
        [None, None, "PERSONAL"],
        ["C-4", "4.6.", "SUPERVISOR DE OBRA", "JORNADA", 1, 3500, None],
        *(["C-4", "4.7.", oficio, "JORNADA", 1, precio, None] for oficio in OFICIOS),
        *(PIE if pie is None else pie),
    ]


def resumen() -> list[list[Any]]:
    """The client's "Anexo C-CR": anexo totals, no concept."""
    return [
        ["RESUMEN DE LA PROPUESTA ECONÓMICA"],
        ["ANEXO", "DESCRIPCIÓN", "IMPORTE M.N.", "IMPORTE U.S.D."],
        ["C-4", "PERSONAL", 13362307.239999998, 0],
        ["TOTAL", None, 13362307.24, 0],
    ]


def leer(datos: bytes):
    return leer_libro(io.BytesIO(datos))


def importar(client, csrf, datos: bytes, **extra):
    archivo = SimpleUploadedFile("libro.xlsx", datos)
    return client.post(URL, {"archivo": archivo, **extra}, **csrf(client), **ES_MX)


# --- the reader -------------------------------------------------------------------------------


def test_the_footer_is_neither_a_concept_nor_an_error():
    libro = leer(xlsx({"C-4": c4()}))

    assert libro.errores == []
    assert [(c.partida, c.concepto) for c in libro.conceptos] == [
        ("4.6", "SUPERVISOR DE OBRA"),
        *(("4.7", oficio) for oficio in OFICIOS),
    ]


def test_a_footer_with_no_total_row_ends_the_table_too():
    pie: list[list[Any]] = [
        # The place-and-date line typed in the partida column, and a date Excel made.
        [None, "CIUDAD DEL CARMEN, CAMPECHE A 10 DE ENERO DE 2023"],
        [None, datetime.datetime(2023, 1, 10)],
        [None, "EL MONTO DE LA PROPUESTA ES DE: " + "X" * 60],
        [None, None, "ING. JUAN PÉREZ LÓPEZ"],
    ]

    libro = leer(xlsx({"C-4": c4(pie=pie)}))

    assert libro.errores == []
    assert len(libro.conceptos) == 4


def test_rows_after_the_total_row_are_not_read():
    pie: list[list[Any]] = [PIE[0], ["C-4", "9.9", "Después del total", "DIA", 1, 1, None]]

    libro = leer(xlsx({"C-4": c4(pie=pie)}))

    assert [c.partida for c in libro.conceptos] == ["4.6", "4.7", "4.7", "4.7"]


def test_a_row_with_neither_unit_nor_price_between_concepts_is_still_read():
    """A section with a key (or a wrong row) is only a footer when no concept follows."""
    hoja: list[list[Any]] = [
        ENCABEZADO,
        ["C-4", "1", "Bueno", "DIA", None, 10, None],
        ["C-4", "2", None, None, None, None, None],
        ["C-4", "3", "Bueno también", "DIA", None, 10, None],
    ]

    libro = leer(xlsx({"C-4": hoja}))

    assert [c.partida for c in libro.conceptos] == ["1", "3"]
    assert libro.errores == [
        ErrorFila(
            "C-4",
            3,
            "2",
            [
                "Falta el concepto (descripción).",
                "Falta la unidad.",
                "Falta el precio: P.U. M.N. y P.U. USD están vacíos.",
            ],
        )
    ]


@pytest.mark.parametrize(
    "hoja",
    [
        resumen(),
        # The same totals under a header the concept sheets use.
        [ENCABEZADO, ["C-4", None, "PERSONAL", None, None, None, None, 13362307.24, 0]],
    ],
    ids=["own header", "concept header"],
)
def test_a_summary_sheet_is_skipped_and_named(hoja):
    libro = leer(xlsx({"Anexo C-CR": hoja, "C-4": c4()}))

    assert libro.errores == []
    assert libro.hojas_resumen == ["Anexo C-CR"]
    assert [h.nombre for h in libro.hojas] == ["C-4"]
    assert len(libro.conceptos) == 4


def test_a_mistyped_header_is_still_an_error_not_a_summary():
    hoja: list[list[Any]] = [
        ["PARTDA", "CONCEPTO", "UNIDAD", "P.U. M.N."],
        ["1", "Algo", "DIA", 10],
    ]

    libro = leer(xlsx({"C-4": hoja}))

    assert libro.hojas_resumen == []
    assert [e.hoja for e in libro.errores] == ["C-4"]


@pytest.mark.parametrize(
    ("valor", "esperado"),
    [
        (13362307.239999998, Decimal("13362307.24")),
        (1234.5000001, Decimal("1234.50")),
        (0.30000000000000004, Decimal("0.30")),
    ],
)
def test_excel_float_noise_is_rounded_to_the_cent(valor, esperado):
    libro = leer(xlsx({"C-4": [ENCABEZADO, ["C-4", "1", "Algo", "DIA", None, valor, None]]}))

    assert libro.errores == []
    assert libro.conceptos[0].pu_mn == esperado


@pytest.mark.parametrize("valor", [1234.50001, 10.125, "10.001"])
def test_real_extra_decimals_are_still_an_error(valor):
    libro = leer(xlsx({"C-4": [ENCABEZADO, ["C-4", "1", "Algo", "DIA", None, valor, None]]}))

    assert libro.conceptos == []
    assert libro.errores[0].errores == [f"P.U. M.N. tiene más de 2 decimales: {valor}."]


# --- the import -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_real_book_imports_each_trade_of_one_partida_apart(admin, csrf):
    response = importar(admin, csrf, xlsx({"Anexo C-CR": resumen(), "C-4": c4()}))

    assert response.status_code == HTTPStatus.OK, response.content
    cuerpo = response.json()
    assert (cuerpo["creados"], cuerpo["hojas_resumen"]) == (4, ["Anexo C-CR"])
    assert cuerpo["mensaje"] == (
        "Contrato principal: 4 conceptos nuevos, 0 actualizados y 0 sin cambios. "
        "Se omitió la hoja de resumen «Anexo C-CR» (no tiene conceptos)."
    )
    lista = admin.get("/operaciones/api/precios/conceptos/", {"buscar": "OPERARIO"}).json()
    assert sorted((c["partida"], c["concepto"], c["pu_mn"]) for c in lista["conceptos"]) == [
        ("4.7", "OPERARIO ESPECIALISTA (ELÉCTRICO)", "1250.50"),
        ("4.7", "OPERARIO ESPECIALISTA (SOLDADOR)", "1250.50"),
        ("4.7", "OPERARIO ESPECIALISTA (TUBERO)", "1250.50"),
    ]
    pagina = admin.get("/precios/", {"buscar": "OPERARIO"})
    assert "OPERARIO ESPECIALISTA (SOLDADOR)" in pagina.content.decode()


@pytest.mark.django_db
def test_the_real_book_twice_changes_nothing(admin, csrf):
    datos = xlsx({"Anexo C-CR": resumen(), "C-4": c4()})
    importar(admin, csrf, datos)
    antes = list(Concepto.objects.order_by("pk").values_list("pk", "version"))
    registros = RegistroActividad.objects.count()

    response = importar(admin, csrf, datos)

    assert (response.json()["creados"], response.json()["sin_cambios"]) == (0, 4)
    assert list(Concepto.objects.order_by("pk").values_list("pk", "version")) == antes
    assert RegistroActividad.objects.count() == registros


@pytest.mark.django_db
def test_a_variant_whose_price_changed_is_the_only_one_updated(admin, csrf):
    importar(admin, csrf, xlsx({"C-4": c4()}))
    hoja = c4()
    hoja[TITULOS.__len__() + 4][5] = 1300  # the SOLDADOR row
    soldador = Concepto.objects.get(concepto__endswith="(SOLDADOR)")

    response = importar(admin, csrf, xlsx({"C-4": hoja}))

    assert response.status_code == HTTPStatus.OK, response.content
    assert (response.json()["actualizados"], response.json()["sin_cambios"]) == (1, 3)
    assert response.json()["cambios_de_precio"] == [
        {
            "anexo": "C-4",
            "partida": "4.7",
            "concepto": "OPERARIO ESPECIALISTA (SOLDADOR)",
            "campo": "pu_mn",
            "antes": "1250.50",
            "despues": "1300.00",
        }
    ]
    soldador.refresh_from_db()
    assert (soldador.pu_mn, soldador.version) == (Decimal("1300.00"), 2)


@pytest.mark.django_db
def test_the_same_trade_twice_on_one_sheet_is_refused(admin, csrf):
    hoja = c4()
    hoja.insert(
        len(TITULOS) + 5, ["C-4", "4.7", "operario  especialista (tubero)", "JORNADA", 1, 9]
    )

    response = importar(admin, csrf, xlsx({"C-4": hoja}))

    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert response.json()["filas"] == [
        {
            "hoja": "C-4",
            "fila": 9,
            "partida": "4.7",
            "errores": ["La partida 4.7 del anexo C-4 repite la fila 7 (el mismo concepto)."],
        }
    ]
    assert not Concepto.objects.exists()


@pytest.mark.django_db
def test_a_dry_run_says_what_it_would_do_and_stores_nothing(admin, csrf):
    response = importar(admin, csrf, xlsx({"C-4": c4()}), simular="true")

    assert response.status_code == HTTPStatus.OK, response.content
    assert (response.json()["simulada"], response.json()["creados"]) == (True, 4)
    assert response.json()["mensaje"].startswith("Vista previa: no se guardó nada.")
    assert not Concepto.objects.exists()
    assert not RegistroActividad.objects.filter(entidad="concepto").exists()


# --- an OT's anexo naming a partida with several concepts -------------------------------------


@pytest.mark.django_db
def test_an_ot_anexo_line_picks_the_trade_by_its_concepto(admin, csrf, role_client):
    importar(admin, csrf, xlsx({"C-4": c4()}))
    ot = OTFactory()
    ingenieria = role_client("Ingeniería")
    encabezado = ["ANEXO", "PARTIDA", "CONCEPTO", "UNIDAD", "VOLUMEN PTE"]
    anexo = xlsx(
        {"Anexo": [encabezado, ["C-4", "4.7.", "Operario especialista (soldador)", "JORNADA", 3]]}
    )

    response = ingenieria.post(
        f"/operaciones/api/ots/{ot.pk}/anexo/",
        {"archivo": SimpleUploadedFile("anexo.xlsx", anexo)},
        **csrf(ingenieria),
    )

    assert response.status_code == HTTPStatus.CREATED, response.content
    linea = PartidaAnexoOT.objects.select_related("concepto").get()
    assert linea.concepto.concepto == "OPERARIO ESPECIALISTA (SOLDADOR)"
    detalle = ingenieria.get(f"/operaciones/api/ots/{ot.pk}/anexo/").json()
    assert detalle["partidas"][0]["concepto"] == "OPERARIO ESPECIALISTA (SOLDADOR)"


@pytest.mark.django_db
def test_an_ot_anexo_line_naming_no_trade_of_the_partida_is_a_422(admin, csrf, role_client):
    importar(admin, csrf, xlsx({"C-4": c4()}))
    ot = OTFactory()
    ingenieria = role_client("Ingeniería")
    encabezado = ["ANEXO", "PARTIDA", "CONCEPTO", "UNIDAD", "VOLUMEN PTE"]
    anexo = xlsx({"Anexo": [encabezado, ["C-4", "4.7", "OPERARIO (PINTOR)", "JORNADA", 3]]})

    response = ingenieria.post(
        f"/operaciones/api/ots/{ot.pk}/anexo/",
        {"archivo": SimpleUploadedFile("anexo.xlsx", anexo)},
        **csrf(ingenieria),
        **ES_MX,
    )

    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert response.json()["filas"] == [
        {
            "fila": 2,
            "partida": "4.7",
            "errores": [
                "La partida 4.7 del anexo C-4 tiene varios conceptos y el CONCEPTO "
                "«OPERARIO (PINTOR)» no es ninguno de ellos."
            ],
        }
    ]


# --- the PUE list -----------------------------------------------------------------------------

LISTA = ["ANEXO", "PARTIDA", "CONCEPTO", "UNIDAD", "CANTIDADES DE REFERENCIA", "P.U. M.N.",
         "P.U. USD", "M.N.", "U.S.D.", "ID PADRE", "ID MADRE", "ID HIJO", "PTE CREACION",
         "OT CREACION", "FECHA SANCION", "PARTIDA EXT", "ESTATUS", "COMENTARIO"]  # fmt: skip


def lista_pue() -> bytes:
    def fila(anexo, partida, concepto, unidad, pu_mn, pte, ot=None):
        estatus = "AUTORIZADO" if partida else None
        return [anexo, partida, concepto, unidad, 1, pu_mn, 0, pu_mn, 0, 7, 3, 9, pte, ot,
                datetime.datetime(2023, 5, 2), None, estatus, None]  # fmt: skip

    return xlsx(
        {
            "PUES": [
                LISTA,
                fila("C-7", "PUE-001", "Reparación de ducto con grapa", "PZA", 5000, "BME-1"),
                fila("C-7", "PUE-002", "Retiro de lastre", "M3", 1234.56, "BME-9", "OT-X"),
                fila(None, None, "Inspección de soportería", "LOTE", 0, "BME-1", "OT-1"),
                fila(None, None, "Inspección  de SOPORTERÍA", "LOTE", 0, "BME-1"),
                fila(None, None, "Inspección de soportería", "LOTE", 0, "BME-9"),
                fila(None, None, "Limpieza de ánodos", "PZA", 0, "BME-404"),
            ]
        }
    )


@pytest.mark.django_db
def test_the_pue_list_stores_keyed_pues_and_proposals(admin, csrf):
    pte1 = PTEFactory(oficio_pte="BME-1")
    pte9 = PTEFactory(oficio_pte="BME-9")
    ot = OTFactory(orden_trabajo="OT-1")

    response = importar(admin, csrf, lista_pue())

    assert response.status_code == HTTPStatus.OK, response.content
    cuerpo = response.json()
    assert (cuerpo["lista_pue"], cuerpo["creados"]) == (True, 2)
    assert cuerpo["propuestas"] == {
        "creadas": 3,
        "actualizadas": 0,
        "sin_cambios": 0,
        "repetidas": 1,
    }
    assert (cuerpo["ptes_sin_registro"], cuerpo["ots_sin_registro"]) == (["BME-404"], ["OT-X"])
    claves = Concepto.objects.exclude(partida="").order_by("partida")
    assert list(
        claves.values_list("anexo__clave", "partida", "pu_mn", "tipo", "estatus", "pte", "ot")
    ) == [
        ("C-7", "PUE-001", Decimal("5000.00"), "extraordinaria", "AUTORIZADO", pte1.pk, None),
        ("C-7", "PUE-002", Decimal("1234.56"), "extraordinaria", "AUTORIZADO", pte9.pk, None),
    ]
    assert Concepto.objects.get(partida="PUE-002").referencia_ot == "OT-X"
    propuestas = Concepto.objects.filter(partida="").order_by("pk")
    assert list(
        propuestas.values_list(
            "anexo__clave", "concepto", "unidad", "estatus", "pte", "referencia_pte", "ot"
        )
    ) == [
        (ANEXO_SIN_CLAVE, "Inspección de soportería", "LOTE", "EN_ELABORACION", pte1.pk,
         "BME-1", ot.pk),
        (ANEXO_SIN_CLAVE, "Inspección de soportería", "LOTE", "EN_ELABORACION", pte9.pk,
         "BME-9", None),
        (ANEXO_SIN_CLAVE, "Limpieza de ánodos", "PZA", "EN_ELABORACION", None, "BME-404",
         None),
    ]  # fmt: skip


@pytest.mark.django_db
def test_the_pue_list_twice_changes_nothing(admin, csrf):
    PTEFactory(oficio_pte="BME-1")
    importar(admin, csrf, lista_pue())
    antes = list(Concepto.objects.order_by("pk").values_list("pk", "version", "pte", "ot"))
    registros = RegistroActividad.objects.count()

    response = importar(admin, csrf, lista_pue())

    assert response.status_code == HTTPStatus.OK
    assert (response.json()["creados"], response.json()["sin_cambios"]) == (0, 2)
    assert response.json()["propuestas"] == {
        "creadas": 0,
        "actualizadas": 0,
        "sin_cambios": 3,
        "repetidas": 1,
    }
    assert list(Concepto.objects.order_by("pk").values_list("pk", "version", "pte", "ot")) == antes
    assert RegistroActividad.objects.count() == registros


@pytest.mark.django_db
def test_a_proposal_links_its_pte_once_registered(admin, csrf):
    importar(admin, csrf, lista_pue())
    pte = PTEFactory(oficio_pte="BME-404")

    response = importar(admin, csrf, lista_pue())

    assert response.json()["propuestas"]["actualizadas"] == 1
    assert Concepto.objects.get(concepto="Limpieza de ánodos").pte == pte


@pytest.mark.django_db
def test_a_pue_list_row_with_a_partida_and_no_anexo_is_refused(admin, csrf):
    fila = [None, "PUE-9", "Sin anexo", "PZA", 1, 10, 0, 10, 0, 1, 1, 1, "BME-1", None]

    response = importar(admin, csrf, xlsx({"PUES": [LISTA[:14], fila]}))

    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert response.json()["filas"][0]["errores"] == [
        "Falta el anexo: un PUE con clave lleva anexo y partida."
    ]


@pytest.mark.django_db
def test_a_proposal_with_no_partida_is_not_authorised(admin, csrf, role_client):
    importar(admin, csrf, lista_pue())
    propuesta = Concepto.objects.filter(partida="").first()
    assert propuesta is not None
    url = f"/operaciones/api/precios/conceptos/{propuesta.pk}/"
    etag = admin.get(url)["ETag"]

    response = admin.post(
        f"{url}autorizar/", content_type="application/json", HTTP_IF_MATCH=etag, **csrf(admin)
    )

    assert response.status_code == HTTPStatus.CONFLICT
    propuesta.refresh_from_db()
    assert propuesta.estatus == Concepto.Estatus.EN_ELABORACION
    pagina = admin.get("/precios/", {"anexo": ANEXO_SIN_CLAVE}).content.decode()
    assert "Inspección de soportería" in pagina
    assert f'action="/precios/conceptos/{propuesta.pk}/autorizar/"' not in pagina
