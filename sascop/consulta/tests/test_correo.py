"""«Enviar por correo»: the page and the API queue the e-mail of the search shown; the worker
searches again as the user who asked and sends the summary (counts, KPIs, charts) in the HTML
body with the workbook of everything found attached."""

from __future__ import annotations

import io
import re
from html import unescape
from http import HTTPStatus

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult
from openpyxl import load_workbook

from conftest import PASSWORD
from sascop.accounts.tests.factories import UserFactory
from sascop.consulta.tasks import enviar_consulta
from sascop.tareas.models import Tarea

API = "/operaciones/api/consulta/correo/"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
pytestmark = pytest.mark.django_db


def _admin(json_login, nombre: str = "marta") -> tuple[object, Client]:
    usuario = UserFactory(username=nombre, email=f"{nombre}@sascop.mx", first_name="Marta")
    usuario.groups.add(Group.objects.get(name="Administración"))
    c = Client(enforce_csrf_checks=True)
    json_login(nombre, PASSWORD, c=c)
    return usuario, c


def _token(c: Client) -> dict[str, str]:
    return {"X-CSRFToken": c.cookies["csrftoken"].value}


def _ejecutar_lo_encolado() -> object:
    """Run the queued e-mail task as the worker would: its stored arguments, its function."""
    [encolada] = DBTaskResult.objects.filter(task_path="sascop.consulta.tasks.enviar_consulta")
    assert encolada.status == TaskResultStatus.READY
    return enviar_consulta.call(*encolada.args_kwargs["args"], **encolada.args_kwargs["kwargs"])


def test_the_page_offers_the_users_address_and_says_the_sending_was_queued(json_login, datos):
    marta, c = _admin(json_login)

    pagina = c.get("/consulta/", {"q": "compresion"}).text
    assert 'name="destinatarios" value="marta@sascop.mx"' in pagina

    response = c.post(
        "/consulta/?q=compresion&tipo=&pagina=2",
        {"accion": "enviar", "destinatarios": "marta@sascop.mx, Jefe@SASCOP.mx; jefe@sascop.mx"},
        headers=_token(c),
    )

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == "/consulta/?q=compresion&tipo=&pagina=2"
    assert (
        "Envío en cola: la búsqueda y su libro de Excel llegarán a marta@sascop.mx, "
        "Jefe@SASCOP.mx en unos momentos." in c.get(response["Location"]).text
    )
    tarea = Tarea.objects.get()
    assert (tarea.usuario, tarea.tipo) == (marta, "consulta_correo")
    assert mail.outbox == []  # queued, not sent by the web request

    assert _ejecutar_lo_encolado() == {
        "parametros": "q=compresion",
        "enviado_a": ["marta@sascop.mx", "Jefe@SASCOP.mx"],
    }

    [correo] = mail.outbox
    assert correo.to == ["marta@sascop.mx", "Jefe@SASCOP.mx"]
    assert correo.reply_to == ["marta@sascop.mx"]
    assert correo.subject == "Consulta SASCOP: «compresion»"
    html, tipo = correo.alternatives[0]
    assert tipo == "text/html"
    texto = re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))
    assert "Marta te envía lo que el Centro de Consulta de SASCOP encontró para «compresion»" in (
        texto
    )
    assert "http://testserver/consulta/?q=compresion" in html
    for cifra in (
        "PTEs 1",
        "OTs 1",
        "Monto de OTs (MXN) $1,500,000.00",
        "OTs atrasadas 1",
        "Ejecutado (MXN) $1,050.00",
        "Autorizado (MXN) $2,000.00",
        "Ejecutado (USD) $52.50",
        "Autorizado (USD) $100.00",
    ):
        assert cifra in texto, cifra
    for grafica in (
        "OTs encontradas por estatus",
        "PTEs encontradas por estatus",
        "PTEs y OTs encontradas por cliente",
        "OTs encontradas por sitio",
        "PTEs y OTs encontradas por mes",
    ):
        assert grafica in texto, grafica
    assert "En ejecución 1" in texto  # each bar with its figure
    assert "Dic 2019 0 1" in texto  # the month of the OT's programmed start: no PTE, one OT
    assert "Marta te envía" in correo.body  # and a plain-text part

    [(nombre, contenido, tipo)] = correo.attachments
    assert re.fullmatch(r"consulta-\d{4}-\d{2}-\d{2}\.xlsx", nombre)
    assert tipo == XLSX
    hoja = load_workbook(io.BytesIO(contenido)).active
    assert hoja is not None
    filas = list(hoja.iter_rows(values_only=True))
    assert filas[0] == ("Tipo", "Título", "Extracto", "Enlace")
    assert [f[:2] for f in filas[1:]] == [
        ("PTEs", "PEP-SUB-0815"),
        ("OTs", "OT-2026-015"),
        ("Conceptos", f"{datos['concepto'].anexo.clave} 4.7.3"),
        ("Partidas de Anexo C", f"OT-2026-015 · {datos['concepto'].anexo.clave} 4.7.3"),
        ("Comentarios de actividad", filas[5][1]),
    ]
    assert filas[1][3] == f"http://testserver/ptes/{datos['pte'].pk}/"


def test_the_worker_searches_with_the_role_of_who_asked(datos, viewer):
    response = viewer.post(
        API,
        {"parametros": "q=compresion", "destinatarios": ["jefe@sascop.mx"]},
        content_type="application/json",
        headers=_token(viewer),
    )
    assert response.status_code == HTTPStatus.ACCEPTED

    _ejecutar_lo_encolado()

    [correo] = mail.outbox
    hoja = load_workbook(io.BytesIO(correo.attachments[0][1])).active
    assert hoja is not None
    tipos = {fila[0] for fila in hoja.iter_rows(min_row=2, values_only=True)}
    assert "PTEs" in tipos
    assert "Comentarios de actividad" not in tipos  # the read-only role does not read the log


def test_bad_addresses_are_refused_next_to_the_field_and_nothing_is_queued(json_login, datos):
    _marta, c = _admin(json_login)

    response = c.post(
        "/consulta/?q=compresion",
        {"accion": "enviar", "destinatarios": "marta@sascop.mx, no-es-correo"},
        headers=_token(c),
    )

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert 'id="id_destinatarios_error"' in response.text
    assert "«no-es-correo» no es un correo electrónico." in response.text
    assert not DBTaskResult.objects.exists()
    assert not Tarea.objects.exists()


def test_the_api_queues_it_and_answers_where_to_follow_it(json_login, datos):
    _marta, c = _admin(json_login)

    response = c.post(
        API,
        {"parametros": "/consulta/?q=compresion&tipo=pte", "destinatarios": ["jefe@sascop.mx"]},
        content_type="application/json",
        headers=_token(c),
    )

    assert response.status_code == HTTPStatus.ACCEPTED
    tarea = Tarea.objects.get()
    estado = f"/operaciones/api/tareas/{tarea.pk}/"
    assert response.json() == {
        "tarea": str(tarea.pk),
        "estado_url": estado,
        "destinatarios": ["jefe@sascop.mx"],
    }
    assert response["Location"] == estado
    assert c.get(estado).json() == {"estado": "en_cola", "avance": None, "resultado": None}


@pytest.mark.parametrize(
    ("destinatarios", "mensajes"),
    [
        ([], ["Write at least one e-mail address."]),
        (["a@b.mx", "x"], ["«x» is not an e-mail address."]),
        ([f"u{n}@sascop.mx" for n in range(11)], ["At most 10 addresses."]),
    ],
)
def test_the_api_refuses_bad_recipients(json_login, db, destinatarios, mensajes):
    _marta, c = _admin(json_login)

    response = c.post(
        API,
        {"parametros": "q=ducto", "destinatarios": destinatarios},
        content_type="application/json",
        headers=_token(c),
    )

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json()["fields"] == {"destinatarios": mensajes}
    assert not DBTaskResult.objects.exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_worker_sends_it_and_its_owner_reads_it_done(json_login, datos):
    _marta, c = _admin(json_login)
    c.post(
        API,
        {"parametros": "q=compresion", "destinatarios": ["jefe@sascop.mx"]},
        content_type="application/json",
        headers=_token(c),
    )

    call_command("trabajar", "--max-tareas", "1", "--intervalo", "0", "--id", "w-prueba")

    tarea = Tarea.objects.get(tipo="consulta_correo")  # the worker also schedules its own
    assert c.get(f"/operaciones/api/tareas/{tarea.pk}/").json() == {
        "estado": "terminada",
        "avance": 100,
        "resultado": {"parametros": "q=compresion", "enviado_a": ["jefe@sascop.mx"]},
    }
    [correo] = mail.outbox
    assert correo.to == ["jefe@sascop.mx"]
