"""Import the client's price-book workbook (catálogo de precios).

    python manage.py importar_precios LIBRO.xlsx [--contrato NÚMERO] [--usuario NOMBRE]

The same service as `POST /operaciones/api/precios/importar/`: all-or-nothing, idempotent,
every creation and change in the activity log (under `--usuario`, if given).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from sascop.accounts.models import User
from sascop.core.errors import ApplicationError
from sascop.precios import services


class Command(BaseCommand):
    help = "Import a price-book workbook (.xlsx): one sheet per anexo."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("archivo", type=Path, help="the .xlsx workbook")
        parser.add_argument("--contrato", help="the contract's número (default: the only one)")
        parser.add_argument("--usuario", help="username the activity log records")

    def handle(
        self, *args: Any, archivo: Path, contrato: str | None, usuario: str | None, **options: Any
    ) -> None:
        quien = None
        if usuario:
            quien = User.objects.filter(username=usuario).first()
            if quien is None:
                raise CommandError(f"No user named {usuario!r}.")
        try:
            # English, like the API's messages: the reader's and the models' alike.
            with archivo.open("rb") as datos, translation.override("en"):
                resultado = services.conceptos_importar(
                    usuario=quien, archivo=datos, contrato=contrato
                )
        except OSError as exc:
            raise CommandError(f"Cannot read {archivo}: {exc.strerror}.") from exc
        except ApplicationError as exc:
            for fila in exc.extra.get("filas", []):
                donde = fila["hoja"] + (f", row {fila['fila']}" if fila["fila"] else "")
                partida = f" (partida {fila['partida']})" if fila["partida"] else ""
                for error in fila["errores"]:
                    self.stderr.write(f"{donde}{partida}: {error}")
            raise CommandError(f"{exc.detail} {_campos(exc)}".strip()) from exc
        for anexo in resultado.anexos.values():
            self.stdout.write(
                f"Anexo {anexo.anexo}: {anexo.creados} created, {anexo.actualizados} updated, "
                f"{anexo.sin_cambios} unchanged"
            )
        self.stdout.write(
            f"Contract {resultado.contrato}: {resultado.total('creados')} created, "
            f"{resultado.total('actualizados')} updated, "
            f"{resultado.total('sin_cambios')} unchanged."
        )


def _campos(exc: ApplicationError) -> str:
    return " ".join(f"{k}: {' '.join(v)}" for k, v in (exc.fields or {}).items())
