"""The list columns PTEs and OTs share (their description, client, person in charge and
status), declared once for both."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from django.utils.translation import gettext_lazy as _

from sascop.core import excel
from sascop.core.pages.columnas import Columna, Tabla, entero

DESCRIPCION = Columna(
    "descripcion_trabajo",
    _("Description"),
    "descripcion_trabajo",
    excel=_("Work description"),
    ancho=50,
    orden=(),
    largo=2,
)
CLIENTE = Columna("cliente", _("Client"), "cliente__descripcion", ancho=28, largo=1)
RESPONSABLE = Columna(
    "responsable_proyecto", _("Lead"), "responsable_proyecto__nombre", ancho=26, largo=1
)

PLAZO = entero("plazo_dias", _("Term (days)"), visible=False)


def estatus(opciones: Sequence[tuple[int, str]], ancho: float) -> Columna:
    """The record's status, in its coloured badge on the page."""
    return Columna(
        "estatus", _("Status"), "estatus", ancho=ancho, opciones=dict(opciones), insignia=True
    )


def progreso(valor: Callable[[Mapping[str, Any], Any], Any], lee: tuple[str, ...] = ()) -> Columna:
    """The record's progress: drawn by the table's `render_progreso` on the page, `valor`
    (of the export row and what its batch fetched) in the workbook."""
    return Columna(
        "progreso",
        _("Progress"),
        excel=_("Progress (%)"),
        ancho=10,
        formato=excel.PORCENTAJE,
        orden=(),
        lee=lee,
        valor=valor,
    )


class TablaConAvance(Tabla):
    """A PTE or OT list's table: its rows' progress is fetched by the view for the page
    (one query), then shown by the table's `progreso` column."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.avance: dict[int, Any] = {}
