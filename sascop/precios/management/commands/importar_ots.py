"""Import the client's register of OTs.

    python manage.py importar_ots REGISTRO.xlsx [--simular] [--usuario NOMBRE]

The same service as `POST /operaciones/api/ots/importar/`: row by row (a refused row is
named with its reasons, the rest go in), idempotent, every creation and change in the
activity log (under `--usuario`, if given). Exits 1 when some row was refused.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext, ngettext

from sascop.core.errors import ApplicationError
from sascop.precios import importar_ots
from sascop.precios.management.libro import abierto, usuario_de


class Command(BaseCommand):
    help = "Import the register of OTs (.xlsx): one OT per row."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("archivo", type=Path, help="the .xlsx workbook")
        parser.add_argument(
            "--simular", action="store_true", help="say what it would do; store nothing"
        )
        parser.add_argument("--usuario", help="username the activity log records")

    def handle(
        self, *args: Any, archivo: Path, simular: bool, usuario: str | None, **options: Any
    ) -> None:
        quien = usuario_de(usuario)
        try:
            with abierto(archivo) as datos:
                resultado = importar_ots.ots_importar(usuario=quien, archivo=datos, simular=simular)
        except ApplicationError as exc:
            raise CommandError(str(exc.detail)) from exc
        for aviso in resultado.advertencias:
            self.stdout.write(gettext("Warning: %(message)s") % {"message": aviso.mensaje})
        for creado in resultado.catalogos_creados:
            self.stdout.write(
                gettext("Catalog %(catalog)s: «%(name)s» was created.")
                % {"catalog": creado.catalogo, "name": creado.nombre}
            )
        for rechazada in resultado.rechazadas:
            for error in rechazada.errores:
                self.stderr.write(
                    gettext("Row %(row)s (%(order)s): %(error)s")
                    % {
                        "row": rechazada.fila,
                        "order": rechazada.orden_trabajo or gettext("no order"),
                        "error": error,
                    }
                )
        self.stdout.write(importar_ots.resumen_registro(resultado))
        if resultado.rechazadas:
            n = len(resultado.rechazadas)
            if simular:
                motivo = ngettext("%(n)d row would be refused.", "%(n)d rows would be refused.", n)
            else:
                motivo = ngettext(
                    "%(n)d row refused; the others were imported.",
                    "%(n)d rows refused; the others were imported.",
                    n,
                )
            raise CommandError(motivo % {"n": n})
