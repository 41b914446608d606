"""The OT page's "Reprogramar": a form filled from the OT that creates the family's next
re-programming through the service (logged), for the roles that may create OTs only; and the
family shown on each member's page."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal
from http import HTTPStatus

import pytest

from sascop.accounts.tests.factories import make_user
from sascop.actividad.models import RegistroActividad
from sascop.catalogos.estatus import EstatusOT
from sascop.core.tests.navegador import csrf_token, page_html
from sascop.ots import services
from sascop.ots.models import OT
from sascop.ots.tests.factories import OTFactory

pytestmark = pytest.mark.django_db


def _ot(**campos: object) -> OT:
    return OTFactory.create(
        orden_trabajo="OT-77",
        oficio_ot="OF-77",
        estatus=EstatusOT.EN_EJECUCION,
        fecha_inicio_programado=datetime.date(2026, 3, 2),
        fecha_termino_programado=datetime.date(2026, 3, 31),
        plazo_dias=30,
        monto_mxn=Decimal("150000.00"),
        **campos,
    )


def test_the_button_is_for_those_who_may_create_ots(engineer, viewer):
    ot = _ot()

    assert f'href="/ots/{ot.pk}/reprogramar/"' in page_html(engineer.get(f"/ots/{ot.pk}/"))
    assert "reprogramar/" not in page_html(viewer.get(f"/ots/{ot.pk}/"))
    assert viewer.get(f"/ots/{ot.pk}/reprogramar/").status_code == HTTPStatus.FORBIDDEN
    assert viewer.post(f"/ots/{ot.pk}/reprogramar/").status_code == HTTPStatus.FORBIDDEN
    assert not OT.objects.filter(ot_principal=ot).exists()


def test_the_form_is_prefilled_from_the_ot(engineer):
    ot = _ot()

    html = page_html(engineer.get(f"/ots/{ot.pk}/reprogramar/"))

    assert 'name="fecha_inicio_programado" value="2026-03-02"' in html
    assert 'name="fecha_termino_programado" value="2026-03-31"' in html
    assert 'name="plazo_dias" value="30"' in html
    assert 'name="monto_mxn" value="150000.00"' in html
    assert re.search(r'<textarea name="comentario"[^>]*required', html)
    assert "Reprogramar la OT OT-77" in html


def test_it_creates_the_next_reprogramming_with_the_new_dates_and_reason(engineer):
    ot = _ot()
    services.ot_reprogramar(usuario=make_user(), ot_id=ot.pk, datos={})
    engineer.get(f"/ots/{ot.pk}/reprogramar/")

    response = engineer.post(
        f"/ots/{ot.pk}/reprogramar/",
        {
            "csrfmiddlewaretoken": csrf_token(engineer),
            "fecha_inicio_programado": "2026-04-06",
            "fecha_termino_programado": "2026-05-15",
            "plazo_dias": "40",
            "monto_mxn": "180000",
            "monto_usd": "0",
            "comentario": "Ventana de clima",
        },
    )

    nueva = OT.objects.get(ot_principal=ot, num_reprogramacion=2)
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == f"/ots/{nueva.pk}/"
    assert nueva.fecha_inicio_programado == datetime.date(2026, 4, 6)
    assert nueva.fecha_termino_programado == datetime.date(2026, 5, 15)
    assert nueva.plazo_dias == 40
    assert nueva.monto_mxn == Decimal("180000.00")
    assert nueva.comentario == "Ventana de clima"
    assert nueva.oficio_ot == "OF-77" and nueva.estatus == EstatusOT.ASIGNADA
    assert RegistroActividad.objects.filter(entidad_id=str(nueva.pk)).exists()
    pagina = page_html(engineer.get(response["Location"]))
    assert "Se creó la reprogramación 2 de la OT OT-77." in pagina


def test_a_reason_is_required_and_dates_must_be_in_order(engineer):
    ot = _ot()
    engineer.get(f"/ots/{ot.pk}/reprogramar/")

    response = engineer.post(
        f"/ots/{ot.pk}/reprogramar/",
        {
            "csrfmiddlewaretoken": csrf_token(engineer),
            "fecha_inicio_programado": "2026-05-06",
            "fecha_termino_programado": "2026-04-15",
            "comentario": "",
        },
    )

    html = page_html(response)
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "No puede ser anterior al inicio programado." in html
    assert 'value="2026-05-06"' in html
    assert not OT.objects.filter(ot_principal=ot).exists()


def test_the_form_needs_the_csrf_token(engineer):
    ot = _ot()
    engineer.get(f"/ots/{ot.pk}/reprogramar/")

    response = engineer.post(f"/ots/{ot.pk}/reprogramar/", {"comentario": "x"})

    assert response.status_code == HTTPStatus.FORBIDDEN
    assert not OT.objects.filter(ot_principal=ot).exists()


def test_the_family_is_shown_on_each_members_page(viewer):
    ot = _ot()
    r1 = services.ot_reprogramar(usuario=make_user(), ot_id=ot.pk, datos={"comentario": "Clima"})
    r2 = services.ot_reprogramar(usuario=make_user(), ot_id=r1.pk, datos={})

    for miembro in (ot, r1, r2):
        html = page_html(viewer.get(f"/ots/{miembro.pk}/"))
        filas = re.findall(r"<tr( class=\"fila-actual\" aria-current=\"true\")?>\s*<td", html)
        assert len(filas) == 3, miembro
        actual = html.index('class="fila-actual"')
        assert str(miembro) in html[actual : actual + 200]
        for otro in {ot, r1, r2} - {miembro}:
            assert f'<a href="/ots/{otro.pk}/">{otro}</a>' in html
    assert "Clima" in page_html(viewer.get(f"/ots/{r2.pk}/"))


def test_an_unknown_ot_is_a_404(engineer):
    assert engineer.get("/ots/999999/reprogramar/").status_code == HTTPStatus.NOT_FOUND
