"""An estimación as the client receives it: an Excel workbook in the layout of a claim
(header, one line per partida, subtotals by anexo, the total, M.N. and USD; excedentes
listed apart) and a PDF of the same, drawn by WeasyPrint."""

from __future__ import annotations

import tempfile
from decimal import Decimal
from typing import IO, Any

from django.conf import settings
from django.http import FileResponse, HttpResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from sascop.core.excel import DINERO, VOLUMEN, XLSX, como_texto
from sascop.core.templatetags.formato import fecha
from sascop.estimaciones import selectors
from sascop.estimaciones.models import Estimacion

PDF = "application/pdf"


def nombre_de(estimacion: Estimacion) -> str:
    """`estimacion-<OT>-E<n>` with only safe characters."""
    ot = "".join(c if c.isalnum() or c in "-_" else "-" for c in estimacion.ot.orden_trabajo)
    return f"estimacion-{ot}-E{estimacion.numero}"


def encabezado(estimacion: Estimacion) -> list[tuple[str, str]]:
    """The claim's header: label and value, as both documents write it."""
    return [
        (_("Contract"), estimacion.contrato or "—"),
        (_("Work order"), estimacion.ot.orden_trabajo),
        (_("OT letter"), estimacion.ot.oficio_ot or "—"),
        (_("Estimación letter"), estimacion.oficio or "—"),
        (_("Client"), estimacion.ot.cliente.descripcion),
        (
            _("Period"),
            _("%(desde)s to %(hasta)s")
            % {"desde": fecha(estimacion.desde), "hasta": fecha(estimacion.hasta)},
        ),
        (_("Status"), estimacion.get_estatus_display()),
    ]


def grupos(estimacion: Estimacion) -> list[dict[str, Any]]:
    """The lines by anexo, each group with its subtotals, in the lines' order."""
    subtotales = {s["anexo"]: s for s in selectors.subtotales(estimacion)}
    por_anexo: dict[str, list[Any]] = {}
    for partida in estimacion.partidas.all():
        por_anexo.setdefault(partida.anexo, []).append(partida)
    return [
        {"anexo": anexo, "partidas": partidas, **subtotales[anexo]}
        for anexo, partidas in por_anexo.items()
    ]


def libro(estimacion: Estimacion) -> IO[bytes]:
    with translation.override(settings.LANGUAGE_CODE):
        return _libro(estimacion)


def _libro(estimacion: Estimacion) -> IO[bytes]:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = _("Estimación")[:31]
    negrita = Font(bold=True)
    blanca = Font(bold=True, color="FFFFFF")
    fondo = PatternFill("solid", fgColor="0B3D62")
    gris = PatternFill("solid", fgColor="E8EEF4")
    linea = Border(top=Side(style="thin"))
    for letra, ancho in zip("ABCDEFGHI", (9, 10, 50, 10, 14, 15, 15, 18, 18), strict=True):
        ws.column_dimensions[letra].width = ancho

    ws.append([_("ESTIMACIÓN No. %(n)s") % {"n": estimacion.numero}])
    ws["A1"].font = Font(bold=True, size=14)
    for etiqueta, valor in encabezado(estimacion):
        ws.append([etiqueta, None, valor])
        ws.cell(ws.max_row, 1).font = negrita
        como_texto(ws.cell(ws.max_row, 3))
    ws.append([])

    titulos = [
        _("Anexo"),
        _("Partida"),
        _("Concept"),
        _("Unit"),
        _("Quantity"),
        "P.U. M.N.",
        "P.U. USD",
        _("Amount M.N."),
        pgettext("priced lines", "Amount USD"),
    ]
    ws.append(titulos)
    fila_titulos = ws.max_row
    for celda in ws[fila_titulos]:
        celda.font = blanca
        celda.fill = fondo
        celda.alignment = Alignment(vertical="center", wrap_text=True)
    ws.freeze_panes = f"A{fila_titulos + 1}"  # the titles stay in view

    def numeros(fila: int, formatos: dict[int, str]) -> None:
        for columna, formato in formatos.items():
            ws.cell(fila, columna).number_format = formato

    for grupo in grupos(estimacion):
        for p in grupo["partidas"]:
            ws.append(
                [
                    p.anexo,
                    p.partida,
                    p.concepto,
                    p.unidad,
                    p.volumen,
                    p.pu_mn,
                    p.pu_usd,
                    p.importe_mn,
                    p.importe_usd,
                ]
            )
            for columna in (1, 2, 3, 4):
                como_texto(ws.cell(ws.max_row, columna))
            ws.cell(ws.max_row, 3).alignment = Alignment(wrap_text=True, vertical="top")
            numeros(ws.max_row, {5: VOLUMEN, 6: DINERO, 7: DINERO, 8: DINERO, 9: DINERO})
        ws.append(
            [None, None, _("Subtotal anexo %(anexo)s") % {"anexo": grupo["anexo"]}]
            + [None] * 4
            + [grupo["importe_mn"], grupo["importe_usd"]]
        )
        for celda in ws[ws.max_row]:
            celda.font = negrita
            celda.fill = gris
        numeros(ws.max_row, {8: DINERO, 9: DINERO})
    ws.append(
        [None, None, _("TOTAL")] + [None] * 4 + [estimacion.importe_mn, estimacion.importe_usd]
    )
    for celda in ws[ws.max_row]:
        celda.font = Font(bold=True, size=12)
        celda.border = linea
    numeros(ws.max_row, {8: DINERO, 9: DINERO})

    excedentes = [p for p in estimacion.partidas.all() if p.excedente > 0]
    if excedentes:
        ws.append([])
        ws.append([_("Excedentes (not claimed: they need a PUE or an agreement)")])
        ws.cell(ws.max_row, 1).font = negrita
        ws.append([_("Anexo"), _("Partida"), _("Concept"), _("Unit"), _("Excess volume")])
        for celda in ws[ws.max_row][:5]:
            celda.font = blanca
            celda.fill = fondo
        for p in excedentes:
            ws.append([p.anexo, p.partida, p.concepto, p.unidad, p.excedente])
            for columna in (1, 2, 3, 4):
                como_texto(ws.cell(ws.max_row, columna))
            numeros(ws.max_row, {5: VOLUMEN})

    archivo = tempfile.TemporaryFile()  # noqa: SIM115 (FileResponse closes it once sent)
    wb.save(archivo)
    archivo.seek(0)
    return archivo


def xlsx_respuesta(estimacion: Estimacion) -> FileResponse:
    return FileResponse(
        libro(estimacion),
        as_attachment=True,
        filename=f"{nombre_de(estimacion)}.xlsx",
        content_type=XLSX,
    )


def pdf(estimacion: Estimacion) -> bytes:
    # WeasyPrint is imported here: it loads Pango, which only the downloads need.
    from weasyprint import HTML

    with translation.override(settings.LANGUAGE_CODE):
        html = render_to_string(
            "estimaciones/documento.html",
            {
                "e": estimacion,
                "encabezado": encabezado(estimacion),
                "grupos": grupos(estimacion),
                "excedentes": [p for p in estimacion.partidas.all() if p.excedente > 0],
                "cero": Decimal("0"),
            },
        )
    return bytes(HTML(string=html).write_pdf())


def pdf_respuesta(estimacion: Estimacion) -> HttpResponse:
    return HttpResponse(
        pdf(estimacion),
        content_type=PDF,
        headers={"Content-Disposition": f'attachment; filename="{nombre_de(estimacion)}.pdf"'},
    )
