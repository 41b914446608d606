"""Draw up the weekly report (PDF) and, with --enviar, e-mail it to the configured list."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from sascop.core.errors import InvalidInput
from sascop.reportes import documento, services
from sascop.reportes.selectors import resumen_semanal, semana_anterior


def _fecha(texto: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(texto)
    except ValueError:
        raise CommandError(
            _("“%(texto)s” is not a date written YYYY-MM-DD.") % {"texto": texto}
        ) from None


class Command(BaseCommand):
    help = (
        "Write the weekly report as a PDF (Monday to Sunday of last week unless --desde and "
        "--hasta say otherwise) and, with --enviar, e-mail it to REPORTE_SEMANAL_DESTINATARIOS "
        "and the recipients listed in the administration."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--desde", help="first day, YYYY-MM-DD")
        parser.add_argument("--hasta", help="last day, YYYY-MM-DD")
        parser.add_argument("--salida", help="write the PDF to this file")
        parser.add_argument("--enviar", action="store_true", help="e-mail the report")

    def handle(self, *args: Any, **options: Any) -> None:
        with translation.override(settings.LANGUAGE_CODE):
            self._handle(**options)

    def _handle(self, **options: Any) -> None:
        desde, hasta = options["desde"], options["hasta"]
        if bool(desde) != bool(hasta):
            raise CommandError(_("Give both --desde and --hasta, or neither."))
        if desde:
            desde, hasta = _fecha(desde), _fecha(hasta)
        else:
            desde, hasta = semana_anterior(timezone.localdate())
        if desde > hasta:
            raise CommandError(_("--desde is after --hasta."))

        salida = options["salida"]
        if salida or not options["enviar"]:
            resumen = resumen_semanal(desde, hasta)
            destino = Path(salida or services.nombre_archivo(resumen))
            destino.write_bytes(documento.pdf(resumen, idioma=settings.LANGUAGE_CODE))
            self.stdout.write(_("Report written to %(archivo)s.") % {"archivo": destino})
        if options["enviar"]:
            try:
                para = services.reporte_semanal_enviar(desde=desde, hasta=hasta)
            except InvalidInput as error:
                raise CommandError(error.detail) from None
            self.stdout.write(_("Report sent to %(para)s.") % {"para": ", ".join(para)})
