"""Import the client's price-book workbook (catálogo de precios).

    python manage.py importar_precios LIBRO.xlsx [--contrato NÚMERO] [--usuario NOMBRE] [--simular]

The same service as `POST /operaciones/api/precios/importar/` (the price book or the PUE
list): all-or-nothing, idempotent,
every creation and change in the activity log (under `--usuario`, if given).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext

from sascop.core.errors import ApplicationError
from sascop.precios import services
from sascop.precios.management.libro import abierto, usuario_de


class Command(BaseCommand):
    help = "Import a price-book workbook (.xlsx): one sheet per anexo."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("archivo", type=Path, help="the .xlsx workbook")
        parser.add_argument("--contrato", help="the contract's número (default: the only one)")
        parser.add_argument("--usuario", help="username the activity log records")
        parser.add_argument(
            "--simular", action="store_true", help="say what it would do; store nothing"
        )

    def handle(
        self,
        *args: Any,
        archivo: Path,
        contrato: str | None,
        usuario: str | None,
        simular: bool,
        **options: Any,
    ) -> None:
        quien = usuario_de(usuario)
        try:
            with abierto(archivo) as datos:
                resultado = services.conceptos_importar(
                    usuario=quien, archivo=datos, contrato=contrato, simular=simular
                )
        except services.LibroInvalido as exc:
            for fila in exc.extra.get("filas", []):
                donde = fila["hoja"] + (
                    gettext(", row %(row)s") % {"row": fila["fila"]} if fila["fila"] else ""
                )
                partida = (
                    gettext(" (item %(item)s)") % {"item": fila["partida"]}
                    if fila["partida"]
                    else ""
                )
                for error in fila["errores"]:
                    self.stderr.write(f"{donde}{partida}: {error}")
            if not exc.extra.get("filas"):
                raise CommandError(
                    gettext("Nothing was imported: %(reason)s") % {"reason": exc.detail}
                ) from exc
            raise CommandError(
                gettext("Nothing was imported: the workbook has rows that could not be read.")
            ) from exc
        except ApplicationError as exc:
            raise CommandError(f"{exc.detail} {_campos(exc)}".strip()) from exc
        for anexo in resultado.anexos.values():
            self.stdout.write(
                gettext("Anexo %(anexo)s: %(new)s new, %(updated)s updated, %(same)s unchanged")
                % {
                    "anexo": anexo.anexo,
                    "new": anexo.creados,
                    "updated": anexo.actualizados,
                    "same": anexo.sin_cambios,
                }
            )
        self.stdout.write(services.resumen_importacion(resultado))


def _campos(exc: ApplicationError) -> str:
    return " ".join(f"{k}: {' '.join(v)}" for k, v in (exc.fields or {}).items())
