"""The weekly report: its figures, its PDF, and the e-mail a real SMTP server receives."""

from __future__ import annotations

import datetime
import email
import io
import socket
from collections.abc import Iterator
from decimal import Decimal
from email import policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
import time_machine
from aiosmtpd.controller import Controller
from django.core.management import CommandError, call_command
from django.utils import translation
from pypdf import PdfReader

from sascop.accounts.tests.factories import UserFactory
from sascop.actividad.models import RegistroActividad
from sascop.catalogos.estatus import EstatusOT, EstatusPTE
from sascop.ots.tests.factories import OTFactory
from sascop.precios.tests.factories import linea_de
from sascop.produccion.models import ReporteDiario
from sascop.produccion.tests.factories import ProduccionFactory
from sascop.ptes.tests.factories import PTEFactory
from sascop.reportes import services
from sascop.reportes.models import DestinatarioReporte
from sascop.reportes.selectors import resumen_semanal, semana_anterior

LUNES = datetime.date(2026, 11, 30)
DOMINGO = datetime.date(2026, 12, 6)
# Monday 7 December 2026, 07:00 in Mexico City: when the schedule runs it.
EL_LUNES_SIGUIENTE = "2026-12-07T07:00:00-06:00"


class _Buzon:
    def __init__(self) -> None:
        self.recibidos: list[tuple[list[str], EmailMessage]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        mensaje = email.message_from_bytes(envelope.content, policy=policy.default)
        self.recibidos.append((list(envelope.rcpt_tos), mensaje))
        return "250 Message accepted for delivery"


def _puerto_libre() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def smtp(settings: Any) -> Iterator[_Buzon]:
    """A real SMTP server on localhost, and Django's SMTP backend pointed at it."""
    buzon = _Buzon()
    controller = Controller(buzon, hostname="127.0.0.1", port=_puerto_libre())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    try:
        yield buzon
    finally:
        controller.stop()


@pytest.fixture
def semana(db: None) -> dict[str, Any]:
    """One week of work: activity by a user, a delivery, an OT started, priced production
    (part of it on a signed day) and rows just outside the week that must not count."""
    ana = UserFactory(username="ana.planeacion")
    pte = PTEFactory(estatus=EstatusPTE.ENTREGADA, fecha_entrega=datetime.date(2026, 12, 3))
    ot = OTFactory(
        orden_trabajo="OT-GRZ-801-24-013",
        estatus=EstatusOT.EN_EJECUCION,
        fecha_inicio_real=datetime.date(2026, 12, 2),
        fecha_termino_programado=datetime.date(2026, 12, 4),
    )
    linea = linea_de(ot, pu_mn=Decimal("100.00"), pu_usd=Decimal("5.00"))
    for dia, volumen in [(1, "2.5"), (2, "1.25"), (7, "9")]:
        ProduccionFactory(
            ot=ot,
            partida_anexo=linea,
            fecha_produccion=datetime.date(2026, 12, dia),
            volumen_produccion=Decimal(volumen),
        )
    ReporteDiario.objects.create(
        ot=ot, sitio=ot.sitio, fecha=datetime.date(2026, 12, 1), estatus="FIRMADO"
    )
    en_semana = datetime.datetime(2026, 12, 1, 10, tzinfo=datetime.UTC)
    antes = datetime.datetime(2026, 11, 30, 5, tzinfo=datetime.UTC)  # Sunday 23:00 local
    crear = RegistroActividad.Accion.CREAR
    modificar = RegistroActividad.Accion.MODIFICAR
    filas = [
        (crear, "pte", "1", "", en_semana),
        (crear, "pte", "2", "", en_semana),
        # One edit of three fields: one edited record.
        *[(modificar, "pte", "1", campo, en_semana) for campo in ("a", "b", "c")],
        (crear, "ot", "9", "", antes),
    ]
    RegistroActividad.objects.bulk_create(
        RegistroActividad(
            usuario=ana,
            nombre_usuario=ana.username,
            accion=accion,
            entidad=entidad,
            entidad_id=ident,
            campo=campo,
            fecha=fecha,
        )
        for accion, entidad, ident, campo, fecha in filas
    )
    return {"pte": pte, "ot": ot}


def _texto_pdf(contenido: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(contenido)).pages)


def test_the_default_week_is_monday_to_sunday_before_the_run():
    assert semana_anterior(datetime.date(2026, 12, 7)) == (LUNES, DOMINGO)
    assert semana_anterior(datetime.date(2026, 12, 13)) == (LUNES, DOMINGO)
    assert semana_anterior(datetime.date(2026, 12, 14)) == (
        datetime.date(2026, 12, 7),
        datetime.date(2026, 12, 13),
    )


def test_the_summary_counts_only_the_week(semana):
    resumen = resumen_semanal(LUNES, DOMINGO)

    assert [p.pk for p in resumen.ptes_entregadas] == [semana["pte"].pk]
    assert [o.pk for o in resumen.ots_iniciadas] == [semana["ot"].pk]
    assert [o.pk for o in resumen.ots_atrasadas] == [semana["ot"].pk]
    assert resumen.ots_terminadas == []
    [produccion] = resumen.produccion
    assert (produccion.filas, produccion.filas_firmadas) == (2, 1)
    assert produccion.ejecutado_mn == Decimal("375.00")
    assert produccion.firmado_mn == Decimal("250.00")
    assert produccion.ejecutado_usd == Decimal("18.75")
    assert produccion.firmado_usd == Decimal("12.50")
    [actividad] = resumen.actividad
    assert actividad.usuario == "ana.planeacion"
    assert {m: dict(a) for m, a in actividad.por_modulo.items()} == {
        "PTEs": {"crear": 2, "modificar": 1}
    }


def test_the_summary_costs_the_same_queries_for_one_ot_or_many(
    semana, django_assert_max_num_queries, django_assert_num_queries
):
    with django_assert_max_num_queries(20) as captured:
        resumen_semanal(LUNES, DOMINGO)
    for _ in range(3):
        ot = OTFactory(fecha_inicio_real=datetime.date(2026, 12, 3))
        ProduccionFactory(ot=ot, fecha_produccion=datetime.date(2026, 12, 3))
    with django_assert_num_queries(len(captured)):
        resumen = resumen_semanal(LUNES, DOMINGO)
    assert len(resumen.produccion) == 4


@time_machine.travel(EL_LUNES_SIGUIENTE, tick=False)
def test_the_report_is_mailed_with_its_pdf_to_every_recipient_once(semana, smtp, settings):
    settings.REPORTE_SEMANAL_DESTINATARIOS = ["gerencia@example.com"]
    DestinatarioReporte.objects.create(correo="planeacion@example.com", nombre="Planeación")
    DestinatarioReporte.objects.create(correo="GERENCIA@example.com")  # the same address
    DestinatarioReporte.objects.create(correo="baja@example.com", activo=False)
    salida = io.StringIO()

    call_command("reporte_semanal", "--enviar", stdout=salida)

    assert "gerencia@example.com, planeacion@example.com" in salida.getvalue()
    [(para, mensaje)] = smtp.recibidos
    assert sorted(para) == ["gerencia@example.com", "planeacion@example.com"]
    assert mensaje["Subject"] == "Reporte semanal de SASCOP: 30/11/2026 al 06/12/2026"
    html = mensaje.get_body(preferencelist=("html",))
    assert html is not None and "$375.00" in html.get_content()
    texto = mensaje.get_body(preferencelist=("plain",))
    assert texto is not None and "Firmado (MXN): $250.00" in texto.get_content()
    [adjunto] = list(mensaje.iter_attachments())
    assert adjunto.get_content_type() == "application/pdf"
    assert adjunto.get_filename() == "reporte-semanal-2026-11-30-2026-12-06.pdf"
    pdf = _texto_pdf(adjunto.get_content())
    assert "Semana del 30/11/2026 al 06/12/2026" in pdf
    for cifra in ("OT-GRZ-801-24-013", "$375.00", "$250.00", "$18.75", "ana.planeacion"):
        assert cifra in pdf


def test_the_pdf_can_be_written_for_any_range(semana, tmp_path: Path):
    destino = tmp_path / "semana.pdf"

    call_command(
        "reporte_semanal", "--desde", "2026-12-01", "--hasta", "2026-12-01", "--salida", destino
    )

    pdf = _texto_pdf(destino.read_bytes())
    assert "Semana del 01/12/2026 al 01/12/2026" in pdf
    assert "$250.00" in pdf and "$375.00" not in pdf  # only the signed day's row


@pytest.mark.parametrize(
    ("argumentos", "mensaje"),
    [
        (["--desde", "2026-12-01"], "Indique --desde y --hasta, o ninguno."),
        (["--desde", "2026-12-08", "--hasta", "2026-12-01"], "--desde es posterior a --hasta."),
        (["--desde", "01/12/2026", "--hasta", "2026-12-07"], "“01/12/2026” no es una fecha"),
    ],
)
def test_a_wrong_range_is_refused_in_spanish(db, argumentos, mensaje):
    with pytest.raises(CommandError, match=mensaje):
        call_command("reporte_semanal", *argumentos)


def test_sending_without_recipients_says_where_to_add_them(semana, smtp, settings):
    settings.REPORTE_SEMANAL_DESTINATARIOS = []

    with pytest.raises(CommandError, match="REPORTE_SEMANAL_DESTINATARIOS"):
        call_command("reporte_semanal", "--enviar")

    assert smtp.recibidos == []


def test_the_queued_report_names_the_modules_in_spanish_whatever_language_is_active(
    semana, smtp, settings
):
    """A module is a model's translated name; the report is the users' es-MX even when the
    task runs with English active (queued by an API call, run in line)."""
    settings.REPORTE_SEMANAL_DESTINATARIOS = ["gerencia@example.com"]
    RegistroActividad.objects.create(
        usuario=None,
        nombre_usuario="ana.planeacion",
        accion=RegistroActividad.Accion.CREAR,
        entidad="reportediario",
        entidad_id="1",
        fecha=datetime.datetime(2026, 12, 2, 10, tzinfo=datetime.UTC),
    )

    with translation.override("en"):
        services.reporte_semanal_enviar(desde=LUNES, hasta=DOMINGO)

    [(_para, mensaje)] = smtp.recibidos
    [adjunto] = list(mensaje.iter_attachments())
    pdf = _texto_pdf(adjunto.get_content())
    assert "Reportes diarios" in pdf
    assert "Daily reports" not in pdf
