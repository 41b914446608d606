"""The daily reports' comments and the month's close (state and evidence link), through
`GET/PUT /operaciones/api/ots/<id>/reportes-diarios/`; who may set or clear FIRMADO."""

from __future__ import annotations

from http import HTTPStatus

import pytest
from django.contrib.auth.models import Group, Permission
from django.test import Client

from sascop.accounts.tests.factories import UserFactory, make_user
from sascop.actividad.models import RegistroActividad
from sascop.core.errors import PermissionDenied
from sascop.ots.tests.factories import OTFactory
from sascop.produccion import services
from sascop.produccion.models import CierreMes, ReporteDiario
from tests.envelope import assert_error

pytestmark = pytest.mark.django_db


def _url(ot):
    return f"/operaciones/api/ots/{ot.pk}/reportes-diarios/?anio=2026&mes=5"


def _put(c, ot, cuerpo, csrf, **cabeceras):
    return c.put(_url(ot), cuerpo, content_type="application/json", **csrf(c), **cabeceras)


def test_comments_and_the_months_close_are_kept_and_shown(capturista, csrf):
    ot = OTFactory()
    leidos = capturista.get(_url(ot))
    evidencia = "https://sharepoint.example.com/ot/evidencia-mayo.pdf"

    guardados = _put(
        capturista, ot,
        {"sitios": [{"id": ot.sitio_id, "reportes": {"3": "PROCESO"}, "comentarios": {
            "3": " Mal tiempo: suspendido a las 14:00 ", "7": "Sin PEMEX"}}],
         "cierre_mes": {"estatus": "CERRADO", "evidencia": evidencia}},
        csrf, HTTP_IF_MATCH=leidos["ETag"],
    )  # fmt: skip

    assert guardados.status_code == HTTPStatus.OK, guardados.content
    cuerpo = guardados.json()
    assert cuerpo["sitios"][0]["comentarios"] == {
        "3": "Mal tiempo: suspendido a las 14:00",
        "7": "Sin PEMEX",
    }
    assert cuerpo["sitios"][0]["reportes"]["3"] == "PROCESO"
    # A comment alone is kept on a day still PENDIENTE.
    assert cuerpo["sitios"][0]["reportes"]["7"] == "PENDIENTE"
    assert cuerpo["cierre_mes"] == {"estatus": "CERRADO", "evidencia": evidencia}
    assert guardados["ETag"] != leidos["ETag"]
    assert capturista.get(_url(ot)).json() == cuerpo
    # Another month of the OT is still open.
    otro = capturista.get(f"/operaciones/api/ots/{ot.pk}/reportes-diarios/?anio=2026&mes=6")
    assert otro.json()["cierre_mes"] == {"estatus": "ABIERTO", "evidencia": ""}

    # "" clears a comment; days and fields not sent are left alone.
    segunda = _put(
        capturista, ot,
        {"sitios": [{"id": ot.sitio_id, "comentarios": {"7": ""}}],
         "cierre_mes": {"evidencia": ""}},
        csrf, HTTP_IF_MATCH=guardados["ETag"],
    )  # fmt: skip
    assert segunda.status_code == HTTPStatus.OK, segunda.content
    assert segunda.json()["sitios"][0]["comentarios"] == {"3": "Mal tiempo: suspendido a las 14:00"}
    assert segunda.json()["sitios"][0]["reportes"]["3"] == "PROCESO"
    assert segunda.json()["cierre_mes"] == {"estatus": "CERRADO", "evidencia": ""}
    cambios = set(
        RegistroActividad.objects.filter(accion="modificar").values_list("entidad", "campo")
    )
    assert {("reportediario", "comentario"), ("cierremes", "evidencia")} <= cambios
    assert RegistroActividad.objects.filter(entidad="cierremes", accion="crear").count() == 1


def test_bad_comments_states_and_links_are_named_and_nothing_is_saved(capturista, csrf):
    ot = OTFactory()

    response = _put(
        capturista, ot,
        {"sitios": [{"id": ot.sitio_id, "reportes": {"2": "PROCESO"},
                     "comentarios": {"32": "x", "4": 5}}],
         "cierre_mes": {"estatus": "CERRADA", "evidencia": "javascript:alert(1)"}},
        csrf,
    )  # fmt: skip

    body = assert_error(response, HTTPStatus.BAD_REQUEST, "invalid")
    assert body["fields"] == {
        "sitios[0].comentarios.32": ["Not a day of the month."],
        "sitios[0].comentarios.4": ["Send the comment as text."],
        "cierre_mes.estatus": ["Use one of: ABIERTO, CERRADO, FIRMADO."],
        "cierre_mes.evidencia": ["Enter a link that starts with http:// or https://."],
    }
    assert not ReporteDiario.objects.exists()
    assert not CierreMes.objects.exists()


def test_only_those_who_sign_set_or_clear_firmado_of_a_day_or_the_month(capturista, csrf, viewer):
    ot = OTFactory()
    firmado = _put(capturista, ot, {"cierre_mes": {"estatus": "FIRMADO"}}, csrf)
    assert firmado.status_code == HTTPStatus.OK, firmado.content
    assert firmado.json()["cierre_mes"]["estatus"] == "FIRMADO"
    assert_error(
        _put(viewer, ot, {"cierre_mes": {"estatus": "CERRADO"}}, csrf),
        HTTPStatus.FORBIDDEN,
        "permission_denied",
    )

    # The service asks for the signing permissions itself, whoever calls it.
    sin_firma = UserFactory()
    grupo = Group.objects.create(name="Solo cambia reportes")
    grupo.permissions.add(Permission.objects.get(codename="change_reportediario"))
    sin_firma.groups.add(grupo)
    comunes = {"usuario": sin_firma, "ot_id": ot.pk, "anio": 2026, "mes": 5}
    with pytest.raises(PermissionDenied):
        services.reportes_guardar(**comunes, sitios=[], cierre_mes={"estatus": "ABIERTO"})
    with pytest.raises(PermissionDenied):
        services.reportes_guardar(
            **comunes, sitios=[{"id": ot.sitio_id, "reportes": {"4": "FIRMADO"}}]
        )
    # What is not FIRMADO, before or after, it may change.
    services.reportes_guardar(
        **comunes,
        sitios=[{"id": ot.sitio_id, "reportes": {"4": "PROCESO"}, "comentarios": {"4": "ok"}}],
    )
    assert CierreMes.objects.get().estatus == "FIRMADO"
    assert ReporteDiario.objects.get().estatus == "PROCESO"


def test_the_sheet_page_shows_the_comments_and_the_months_close(capturista, viewer):
    ot = OTFactory(orden_trabajo="OT-CIERRE-1")
    ReporteDiario.objects.create(
        ot=ot, sitio=ot.sitio, fecha="2026-05-09", estatus="PROCESO", comentario="Norte fuerte"
    )
    CierreMes.objects.create(
        ot=ot, anio=2026, mes=5, estatus="CERRADO", evidencia="https://example.com/mayo.pdf"
    )
    url = "/produccion/sabana/?ot=OT-CIERRE-1&anio=2026&mes=5"

    html = capturista.get(url).content.decode()

    assert "Reportes diarios del mes" in html
    assert (
        '<li data-dia="9"><strong>Día 9</strong> <span class="texto-comentario">Norte fuerte'
        in html
    )
    assert '<option value="CERRADO" selected>CERRADO</option>' in html
    assert 'value="https://example.com/mayo.pdf"' in html
    assert 'id="comentario-reporte"' in html  # may change them
    lectura = viewer.get(url).content.decode()
    assert "Norte fuerte" in lectura
    assert 'id="comentario-reporte"' not in lectura
    assert 'id="estatus-cierre-mes" name="estatus" data-estado="CERRADO" disabled' in lectura


def test_the_admin_cannot_reopen_a_signed_day():
    """Security: a signed day reopens only through the board's service, which refuses a
    day a presented estimación claims; the admin shows the reports and changes none."""
    ot = OTFactory()
    reporte = ReporteDiario.objects.create(
        ot=ot, sitio=ot.sitio, fecha="2026-05-05", estatus="FIRMADO"
    )
    admin = Client()
    admin.force_login(make_user(username="raiz", is_staff=True, is_superuser=True))
    url = f"/admin/produccion/reportediario/{reporte.pk}/change/"

    assert admin.get(url).status_code == HTTPStatus.OK
    respuesta = admin.post(url, {"ot": ot.pk, "sitio": ot.sitio.pk, "fecha": "2026-05-05"})

    assert respuesta.status_code == HTTPStatus.FORBIDDEN
    assert ReporteDiario.objects.get(pk=reporte.pk).estatus == "FIRMADO"
    assert admin.get("/admin/produccion/reportediario/add/").status_code == HTTPStatus.FORBIDDEN
