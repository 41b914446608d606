"""Sending the weekly report: the PDF attached to an HTML e-mail, to the configured list."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from sascop.core.errors import InvalidInput
from sascop.reportes import documento
from sascop.reportes.models import DestinatarioReporte
from sascop.reportes.selectors import ResumenSemanal, resumen_semanal


def destinatarios() -> list[str]:
    """`REPORTE_SEMANAL_DESTINATARIOS` plus the active addresses of the admin's list, each
    once whatever its capitalisation."""
    vistos: dict[str, str] = {}
    configurados = list(settings.REPORTE_SEMANAL_DESTINATARIOS)
    activos = DestinatarioReporte.objects.filter(activo=True).values_list("correo", flat=True)
    for correo in [*configurados, *activos]:
        vistos.setdefault(correo.strip().lower(), correo.strip())
    return [correo for correo in vistos.values() if correo]


def nombre_archivo(resumen: ResumenSemanal) -> str:
    return f"reporte-semanal-{resumen.desde.isoformat()}-{resumen.hasta.isoformat()}.pdf"


def reporte_semanal_enviar(*, desde: datetime.date, hasta: datetime.date) -> list[str]:
    """Draw up the week's report and e-mail it; returns who it went to."""
    para = destinatarios()
    if not para:
        raise InvalidInput(
            _(
                "The weekly report has no recipients: set REPORTE_SEMANAL_DESTINATARIOS "
                "or add addresses in the administration."
            )
        )
    idioma = settings.LANGUAGE_CODE
    with translation.override(idioma):  # it names the modules (models' translated names)
        resumen = resumen_semanal(desde, hasta)
    adjunto = documento.pdf(resumen, idioma=idioma)
    with translation.override(idioma):
        contexto = documento.contexto(resumen)
        asunto = _("SASCOP weekly report: %(desde)s to %(hasta)s") % {
            "desde": f"{desde:%d/%m/%Y}",
            "hasta": f"{hasta:%d/%m/%Y}",
        }
        texto = render_to_string("reportes/correo_semanal.txt", contexto)
        html = render_to_string("reportes/correo_semanal.html", contexto)
    mensaje = EmailMultiAlternatives(subject=asunto, body=texto, to=para)
    mensaje.attach_alternative(html, "text/html")
    mensaje.attach(nombre_archivo(resumen), adjunto, "application/pdf")
    mensaje.send()
    return para
