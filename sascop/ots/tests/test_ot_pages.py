"""The OT pages: list with the API's filters, create (directly and from a PTE, with the
service's refusals), detail with steps edited in place, edit with the version rule, delete;
permissions and query counts as for the API."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal
from http import HTTPStatus

import pytest
from django.utils import timezone

from sascop.accounts.tests.factories import make_user
from sascop.catalogos.estatus import EstatusOT, EstatusPaso
from sascop.catalogos.tests.factories import (
    ClienteFactory,
    PasoFactory,
    PasoOtFactory,
    ResponsableFactory,
    SitioFactory,
)
from sascop.core.api.etags import etag_for
from sascop.core.tests.navegador import HTMX, csrf_token, hidden_value, page_html, shown_values
from sascop.flujo.tests.pasos import edit_a_step_someone_else_saved, open_and_complete_a_step
from sascop.ots import services
from sascop.ots.models import OT, OTDetalle
from sascop.ots.tests.factories import OTFactory
from sascop.produccion.tests.factories import ProduccionFactory
from sascop.ptes.models import PTEDetalle
from sascop.ptes.tests.factories import PTEFactory

pytestmark = pytest.mark.django_db


def _ordenes(html: str) -> list[str]:
    return re.findall(r'<a href="/ots/\d+/">([^<]+)</a>', html)


@pytest.fixture
def pasos_ot():
    return [
        PasoOtFactory(orden=1, descripcion="Kick-off"),
        PasoOtFactory(orden=2, descripcion="Movilización"),
    ]


@pytest.fixture
def catalogos():
    sitio = SitioFactory(descripcion="Akal-C")
    return {
        "cliente": ClienteFactory(descripcion="PEP Cantarell"),
        "responsable": ResponsableFactory(nombre="Ing. Laura Méndez"),
        "sitio": sitio,
        "frente": sitio.frente,
    }


def _con_pasos(cat, pasos, **campos):
    ot = OTFactory(
        cliente=cat["cliente"],
        responsable_proyecto=cat["responsable"],
        sitio=cat["sitio"],
        frente=cat["frente"],
        **campos,
    )
    for paso in pasos:
        OTDetalle.objects.create(ot=ot, paso=paso)
    return ot


def _form(cat, **extra) -> dict[str, object]:
    return {
        "orden_trabajo": "OT-2026-017",
        "oficio_ot": "OF-OT-17",
        "descripcion_trabajo": "Inspección de ducto de 36 pulgadas",
        "cliente": cat["cliente"].pk,
        "responsable_proyecto": cat["responsable"].pk,
        "responsable_cliente": "Ing. Pérez",
        "frente": cat["frente"].pk,
        "sitio": cat["sitio"].pk,
        "estatus": str(EstatusOT.ASIGNADA),
        "fecha_inicio_programado": "2026-03-01",
        "fecha_termino_programado": "2026-03-31",
        "fecha_inicio_real": "",
        "fecha_termino_real": "",
        "plazo_dias": "30",
        "monto_mxn": "1500000.50",
        "monto_usd": "25000",
        "comentario": "",
        **extra,
    }


# --- List --------------------------------------------------------------------------------


def test_list_shows_linked_rows_with_es_mx_figures_and_progress(viewer, catalogos, pasos_ot):
    ot = _con_pasos(
        catalogos,
        pasos_ot,
        orden_trabajo="OT-7",
        monto_mxn=Decimal("1234567.5"),
        monto_usd=Decimal("9876.5"),
    )
    OTDetalle.objects.filter(ot=ot, paso=pasos_ot[0]).update(estatus=EstatusPaso.COMPLETADO)

    response = viewer.get("/ots/")

    assert response.status_code == HTTPStatus.OK
    html = page_html(response)
    assert f'<a href="/ots/{ot.pk}/">OT-7</a>' in html
    assert "$1,234,567.50 MXN" in html and "$9,876.50 USD" in html
    # No dates: time counts 0, half the steps done: 0.3 x 50 = 15 %.
    assert 'aria-label="Avance de OT-7">15%</progress>' in html
    assert "<strong>1</strong> OT" in html
    assert "Nueva OT" not in html  # Consulta cannot create


def test_list_progress_and_days_follow_the_plan(viewer, time_machine):
    time_machine.move_to("2026-03-11T12:00:00-06:00", tick=False)
    OTFactory(
        orden_trabajo="OT-T",
        estatus=EstatusOT.EN_EJECUCION,
        fecha_inicio_programado=datetime.date(2026, 3, 1),
        fecha_termino_programado=datetime.date(2026, 3, 21),
    )

    html = page_html(viewer.get("/ots/"))

    # Half the plan elapsed, no steps: 0.7 x 50 = 35 %; ten days remaining.
    assert 'aria-label="Avance de OT-T">35%</progress>' in html
    assert "10 días restantes" in html


def test_filters_use_the_apis_names_in_the_query_string(viewer, catalogos):
    otro = ClienteFactory(descripcion="Fieldwood")
    a = OTFactory(orden_trabajo="A", estatus=EstatusOT.EN_EJECUCION, cliente=catalogos["cliente"])
    OTFactory(orden_trabajo="B", estatus=EstatusOT.ASIGNADA, cliente=catalogos["cliente"])
    OTFactory(orden_trabajo="C", estatus=EstatusOT.EN_EJECUCION, cliente=otro)
    OTFactory(
        orden_trabajo="D",
        estatus=EstatusOT.EN_EJECUCION,
        fecha_inicio_programado=datetime.date(2024, 5, 1),
    )
    e = OTFactory(orden_trabajo="E", estatus=EstatusOT.TERMINADA, descripcion_trabajo="Buceo")
    pte = PTEFactory()
    OTFactory(orden_trabajo="F", pte=pte)
    services.ot_reprogramar(usuario=make_user(), ot_id=e.pk, datos={})

    def ordenes(query: str) -> list[str]:
        return sorted(_ordenes(page_html(viewer.get(f"/ots/?{query}"))))

    assert ordenes("estatus=8") == ["A", "C", "D"]
    # A re-programming starts Asignada.
    assert ordenes("estatus=8&estatus=5") == ["A", "B", "C", "D", "E R1", "F"]
    assert ordenes(f"estatus=8&cliente={catalogos['cliente'].pk}") == ["A"]
    assert ordenes(f"responsable={a.responsable_proyecto_id}") == ["A"]
    assert ordenes(f"frente={a.frente_id}") == ["A"]
    assert ordenes(f"sitio={a.sitio_id}") == ["A"]
    assert ordenes(f"pte={pte.pk}") == ["F"]
    assert ordenes("anio=2024") == ["D"]
    assert ordenes("buscar=buceo") == ["E", "E R1"]
    assert ordenes("buscar=buceo&solo_principales=true") == ["E"]
    # The form shows what is in force.
    html = page_html(viewer.get("/ots/?estatus=8&anio=2024"))
    assert re.search(r'value="8" id="id_estatus_\d" checked', html)
    assert '<option value="2024" selected>2024</option>' in html
    assert "Filtros (2)" in html


def test_a_bad_filter_value_is_said_next_to_it_and_the_others_still_apply(viewer):
    OTFactory(orden_trabajo="A", estatus=EstatusOT.EN_EJECUCION)
    OTFactory(orden_trabajo="B", estatus=EstatusOT.ASIGNADA)

    response = viewer.get("/ots/?estatus=8&cliente=999999&anio=abc")

    assert response.status_code == HTTPStatus.OK
    html = page_html(response)
    assert _ordenes(html) == ["A"]
    assert html.count('<ul class="errorlist"') == 2


def test_sorting_and_pages(viewer):
    for n in range(12):
        OTFactory(orden_trabajo=f"O{n:02d}")

    first = _ordenes(page_html(viewer.get("/ots/?orden=orden_trabajo&por_pagina=10")))
    second = _ordenes(page_html(viewer.get("/ots/?orden=orden_trabajo&por_pagina=10&pagina=2")))
    backwards = _ordenes(page_html(viewer.get("/ots/?orden=-orden_trabajo&por_pagina=10")))
    by_amount = _ordenes(page_html(viewer.get("/ots/?orden=-monto_mxn&por_pagina=10")))

    assert first == [f"O{n:02d}" for n in range(10)]
    assert second == ["O10", "O11"]
    assert backwards[0] == "O11"
    assert len(by_amount) == 10
    assert viewer.get("/ots/?orden=password&por_pagina=9999&pagina=x").status_code == 200


def test_htmx_gets_only_the_table(viewer):
    OTFactory(orden_trabajo="A", estatus=EstatusOT.EN_EJECUCION)

    html = page_html(viewer.get("/ots/?estatus=8", HTTP_HX_TARGET="tabla-ots", **HTMX))

    assert html.lstrip().startswith('<section id="tabla-ots"')
    assert "<html" not in html and "Filtros" not in html
    assert _ordenes(html) == ["A"]


def test_list_queries_do_not_grow_with_the_page(viewer, catalogos, pasos_ot, assert_same_queries):
    viewer.get("/api/user/")  # the user row is cached after the first request with Redis
    _con_pasos(catalogos, pasos_ot)
    _con_pasos(catalogos, pasos_ot)

    def small():
        assert viewer.get("/ots/?por_pagina=50").status_code == 200

    small()
    for _ in range(28):
        _con_pasos(catalogos, pasos_ot, pte=PTEFactory())

    def large():
        assert len(_ordenes(page_html(viewer.get("/ots/?por_pagina=50")))) == 30

    assert_same_queries(small, large)


def test_the_nav_bar_links_to_the_ot_list(viewer):
    html = page_html(viewer.get("/ots/"))

    assert '<a href="/ots/" aria-current="page">OTs</a>' in html


# --- Permissions -------------------------------------------------------------------------


def test_an_anonymous_visit_goes_to_the_login_page(client):
    response = client.get("/ots/?estatus=8")

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == "/accounts/login/?next=%2Fots%2F%3Festatus%3D8"


def test_a_user_without_a_role_gets_403(client, user, json_login):
    json_login()
    ot = OTFactory()

    for url in ("/ots/", f"/ots/{ot.pk}/", "/ots/?exportar=xlsx"):
        assert client.get(url).status_code == HTTPStatus.FORBIDDEN, url


def test_consulta_reads_but_cannot_create_edit_or_delete(viewer, catalogos, pasos_ot):
    ot = _con_pasos(catalogos, pasos_ot)
    detalle = ot.detalles.first()

    assert viewer.get(f"/ots/{ot.pk}/").status_code == HTTPStatus.OK
    for url in ("/ots/nueva/", f"/ots/{ot.pk}/editar/", f"/ots/{ot.pk}/eliminar/"):
        response = viewer.get(url)
        assert response.status_code == HTTPStatus.FORBIDDEN, url
        assert "Acceso denegado" in page_html(response)
    step = viewer.post(
        f"/ots/{ot.pk}/pasos/{detalle.pk}/",
        {"estatus": "3", "version": etag_for(detalle), "csrfmiddlewaretoken": csrf_token(viewer)},
    )
    assert step.status_code == HTTPStatus.FORBIDDEN
    page = page_html(viewer.get(f"/ots/{ot.pk}/"))
    assert "Editar" not in page and "Eliminar" not in page
    assert "Guardar paso" not in page_html(viewer.get(f"/ots/{ot.pk}/?editar_paso={detalle.pk}"))


def test_captura_reads_ots_but_cannot_change_them(role_client, catalogos, pasos_ot):
    captura = role_client("Captura de producción")
    ot = _con_pasos(catalogos, pasos_ot)

    assert captura.get(f"/ots/{ot.pk}/").status_code == HTTPStatus.OK
    assert captura.get(f"/ots/{ot.pk}/editar/").status_code == HTTPStatus.FORBIDDEN


def test_unknown_ot_is_the_404_page(viewer):
    response = viewer.get("/ots/999999/")

    assert response.status_code == HTTPStatus.NOT_FOUND
    assert "Página no encontrada" in page_html(response)


def test_forms_need_the_csrf_token(engineer, catalogos):
    response = engineer.post("/ots/nueva/", _form(catalogos))

    assert response.status_code == HTTPStatus.FORBIDDEN
    assert not OT.objects.exists()


# --- Create ------------------------------------------------------------------------------


def test_create_makes_the_ot_with_its_steps_and_says_so(engineer, catalogos, pasos_ot):
    form = page_html(engineer.get("/ots/nueva/"))
    assert '<label for="id_orden_trabajo">Orden de trabajo</label>' in form

    response = engineer.post(
        "/ots/nueva/", {**_form(catalogos), "csrfmiddlewaretoken": csrf_token(engineer)}
    )

    ot = OT.objects.get(orden_trabajo="OT-2026-017")
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == f"/ots/{ot.pk}/"
    assert (ot.monto_mxn, ot.monto_usd, ot.pte_id) == (
        Decimal("1500000.50"),
        Decimal("25000.00"),
        None,
    )
    assert list(ot.detalles.values_list("paso__descripcion", flat=True)) == [
        "Kick-off",
        "Movilización",
    ]
    detail = page_html(engineer.get(response["Location"]))
    assert '<div class="alert alert-success" role="status">OT OT-2026-017 creada.</div>' in detail


def test_the_form_sets_the_four_places_each_from_its_own_kind(engineer, catalogos):
    barco = SitioFactory(descripcion="DSV Caballo de Mar", tipo="embarcacion", frente=None)
    patio = SitioFactory(descripcion="Patio Dos Bocas", tipo="patio", frente=None)
    form = page_html(engineer.get("/ots/nueva/"))
    embarcaciones = re.search(r'<select name="embarcacion".*?</select>', form, re.S)
    assert embarcaciones and "DSV Caballo de Mar" in embarcaciones.group(0)
    assert "Patio Dos Bocas" not in embarcaciones.group(0)

    response = engineer.post(
        "/ots/nueva/",
        {
            **_form(catalogos, embarcacion=barco.pk, patio=patio.pk),
            "csrfmiddlewaretoken": csrf_token(engineer),
        },
    )

    assert response.status_code == HTTPStatus.FOUND
    ot = OT.objects.get(orden_trabajo="OT-2026-017")
    assert (ot.embarcacion, ot.patio, ot.plataforma, ot.intercom) == (barco, patio, None, None)
    refused = engineer.post(
        "/ots/nueva/",
        {
            **_form(catalogos, orden_trabajo="OT-2026-018", oficio_ot="", embarcacion=patio.pk),
            "csrfmiddlewaretoken": csrf_token(engineer),
        },
    )
    assert refused.status_code == HTTPStatus.BAD_REQUEST


def test_create_errors_are_next_to_their_fields_and_the_input_stays(engineer, catalogos):
    OTFactory(oficio_ot="OF-OT-17")

    bad = engineer.post(
        "/ots/nueva/",
        {
            **_form(catalogos, plazo_dias="0", fecha_termino_programado="2026-02-01"),
            "csrfmiddlewaretoken": csrf_token(engineer),
        },
    )
    duplicate = engineer.post(
        "/ots/nueva/", {**_form(catalogos), "csrfmiddlewaretoken": csrf_token(engineer)}
    )

    assert bad.status_code == HTTPStatus.BAD_REQUEST
    html = page_html(bad)
    assert re.search(r'name="plazo_dias"[^>]*aria-invalid="true"', html)
    assert 'id="id_fecha_termino_programado_error"><li>No puede ser anterior' in html
    assert ">\nInspección de ducto de 36 pulgadas</textarea>" in html
    # The service's 409 (the oficio belongs to another OT) lands next to its field.
    assert duplicate.status_code == HTTPStatus.CONFLICT
    assert re.search(
        r'id="id_oficio_ot_error"><li>Otra OT ya tiene ese oficio', page_html(duplicate)
    )
    assert OT.objects.count() == 1


def test_a_services_refusal_reads_in_spanish_next_to_its_field(engineer, catalogos):
    otro_frente = SitioFactory(descripcion="Ku-S").frente

    refused = engineer.post(
        "/ots/nueva/",
        {**_form(catalogos, frente=otro_frente.pk), "csrfmiddlewaretoken": csrf_token(engineer)},
    )

    assert refused.status_code == HTTPStatus.BAD_REQUEST
    assert 'id="id_sitio_error"><li>El sitio no pertenece al frente elegido.' in page_html(refused)
    assert not OT.objects.exists()


def _pte_lista(cat, estatus=EstatusPaso.COMPLETADO, oficio="PTE-2026-0101"):
    pte = PTEFactory(
        oficio_pte=oficio,
        descripcion_trabajo="Inspección de ducto en Akal-C",
        cliente=cat["cliente"],
        responsable_proyecto=cat["responsable"],
        plazo_dias=21,
    )
    for n in range(2):
        paso = PasoFactory(tipo_cliente=pte.cliente.tipo, orden=n)
        PTEDetalle.objects.create(pte=pte, paso=paso, estatus=estatus)
    return pte


def test_crear_ot_from_a_pte_is_prefilled_and_creates_the_ot_that_follows_it(engineer, catalogos):
    pte = _pte_lista(catalogos)
    detalle_pte = page_html(engineer.get(f"/ptes/{pte.pk}/"))
    assert f'href="/ots/nueva/?pte={pte.pk}">Crear OT</a>' in detalle_pte

    form = page_html(engineer.get(f"/ots/nueva/?pte={pte.pk}"))
    assert "Nueva OT de la PTE PTE-2026-0101" in form
    assert ">\nInspección de ducto en Akal-C</textarea>" in form
    assert f'<option value="{catalogos["cliente"].pk}" selected>' in form
    assert 'name="plazo_dias" value="21"' in form

    response = engineer.post(
        f"/ots/nueva/?pte={pte.pk}",
        {
            **_form(catalogos, descripcion_trabajo="Inspección de ducto en Akal-C"),
            "csrfmiddlewaretoken": csrf_token(engineer),
        },
    )

    ot = OT.objects.get()
    assert response.status_code == HTTPStatus.FOUND
    assert ot.pte_id == pte.pk
    detalle = page_html(engineer.get(f"/ots/{ot.pk}/"))
    assert f'<a href="/ptes/{pte.pk}/">PTE-2026-0101</a>' in detalle


def test_a_pte_with_pending_steps_or_an_ot_says_why_it_cannot_have_one(engineer, catalogos):
    pendiente = _pte_lista(catalogos, estatus=EstatusPaso.EN_PROCESO)
    con_ot = _pte_lista(catalogos, oficio="PTE-2026-0102")
    existente = OTFactory(pte=con_ot, orden_trabajo="OT-9")

    page = page_html(engineer.get(f"/ots/nueva/?pte={pendiente.pk}"))
    posted = engineer.post(
        f"/ots/nueva/?pte={pendiente.pk}",
        {**_form(catalogos), "csrfmiddlewaretoken": csrf_token(engineer)},
    )
    second = engineer.post(
        f"/ots/nueva/?pte={con_ot.pk}",
        {**_form(catalogos, oficio_ot=""), "csrfmiddlewaretoken": csrf_token(engineer)},
    )

    assert "tiene 2 pasos sin completar" in page
    assert "Crear OT</button>" not in page  # nothing to fill in that would be refused
    assert posted.status_code == second.status_code == HTTPStatus.CONFLICT
    assert "tiene 2 pasos sin completar" in page_html(posted)
    assert f"ya tiene la OT {existente}" in page_html(second)
    assert list(OT.objects.values_list("pk", flat=True)) == [existente.pk]


def test_an_unknown_pte_is_a_404(engineer):
    assert engineer.get("/ots/nueva/?pte=999999").status_code == HTTPStatus.NOT_FOUND


# --- Edit and the version rule -----------------------------------------------------------


def test_edit_saves_with_the_version_the_form_was_drawn_from(engineer, catalogos, pasos_ot):
    ot = _con_pasos(catalogos, pasos_ot, orden_trabajo="OT-2026-017")
    page = page_html(engineer.get(f"/ots/{ot.pk}/editar/"))
    version = hidden_value(page, "version")
    assert version == etag_for(ot)

    response = engineer.post(
        f"/ots/{ot.pk}/editar/",
        {
            **_form(catalogos, estatus=str(EstatusOT.TERMINADA), comentario="Cerrada"),
            "version": version,
            "csrfmiddlewaretoken": csrf_token(engineer),
        },
    )

    assert response.status_code == HTTPStatus.FOUND
    ot.refresh_from_db()
    # Terminada stamps the real end (the service's rule).
    assert (ot.comentario, ot.fecha_termino_real, ot.version) == (
        "Cerrada",
        timezone.localdate(),
        2,
    )


def test_a_stale_edit_says_so_keeps_the_input_and_can_be_saved_on_purpose(
    engineer, catalogos, pasos_ot
):
    ot = _con_pasos(catalogos, pasos_ot, orden_trabajo="OT-2026-017", plazo_dias=30)
    form = page_html(engineer.get(f"/ots/{ot.pk}/editar/"))
    version = hidden_value(form, "version")
    services.ot_actualizar(usuario=make_user(), ot_id=ot.pk, datos={"plazo_dias": 40})
    mine = {**_form(catalogos, comentario="Mi nota"), **shown_values(form)}

    stale = engineer.post(
        f"/ots/{ot.pk}/editar/",
        {**mine, "version": version, "csrfmiddlewaretoken": csrf_token(engineer)},
    )

    assert stale.status_code == HTTPStatus.PRECONDITION_FAILED
    html = page_html(stale)
    assert "Alguien más guardó cambios mientras editabas" in html
    assert ">\nMi nota</textarea>" in html
    assert 'name="plazo_dias" value="30"' in html
    assert '<p class="actual">Guardado ahora: <strong>40</strong></p>' in html
    ot.refresh_from_db()
    assert (ot.plazo_dias, ot.comentario) == (40, "")
    again = engineer.post(
        f"/ots/{ot.pk}/editar/",
        {
            **mine,
            "version": hidden_value(html, "version"),
            "csrfmiddlewaretoken": csrf_token(engineer),
        },
    )
    assert again.status_code == HTTPStatus.FOUND
    ot.refresh_from_db()
    assert (ot.plazo_dias, ot.comentario) == (30, "Mi nota")


# --- Delete ------------------------------------------------------------------------------


def test_delete_asks_then_hides_the_ot(engineer, catalogos, pasos_ot):
    ot = _con_pasos(catalogos, pasos_ot, orden_trabajo="OT-9")
    page = page_html(engineer.get(f"/ots/{ot.pk}/eliminar/"))
    assert "¿Eliminar la OT OT-9?" in page

    response = engineer.post(
        f"/ots/{ot.pk}/eliminar/",
        {"version": hidden_value(page, "version"), "csrfmiddlewaretoken": csrf_token(engineer)},
    )

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == "/ots/"
    assert OT.all_objects.get(pk=ot.pk).eliminado_en is not None
    listing = page_html(engineer.get("/ots/"))
    assert "OT OT-9 eliminada." in listing
    assert "OT-9</a>" not in listing


def test_a_stale_delete_or_one_with_reprogrammings_is_not_applied(engineer, catalogos):
    ot = OTFactory()
    version = hidden_value(page_html(engineer.get(f"/ots/{ot.pk}/eliminar/")), "version")
    services.ot_actualizar(usuario=make_user(), ot_id=ot.pk, datos={"comentario": "x"})
    stale = engineer.post(
        f"/ots/{ot.pk}/eliminar/", {"version": version, "csrfmiddlewaretoken": csrf_token(engineer)}
    )
    services.ot_reprogramar(usuario=make_user(), ot_id=ot.pk, datos={})
    version = hidden_value(page_html(engineer.get(f"/ots/{ot.pk}/eliminar/")), "version")
    familia = engineer.post(
        f"/ots/{ot.pk}/eliminar/", {"version": version, "csrfmiddlewaretoken": csrf_token(engineer)}
    )

    assert stale.status_code == HTTPStatus.PRECONDITION_FAILED
    assert "no se eliminó" in page_html(stale)
    assert familia.status_code == HTTPStatus.CONFLICT
    assert "Esta OT tiene reprogramaciones" in page_html(familia)
    assert OT.objects.filter(pk=ot.pk).exists()


# --- Detail and steps in place -----------------------------------------------------------


def test_detail_shows_dates_amounts_reprogrammings_production_and_pte(viewer, catalogos, pasos_ot):
    pte = PTEFactory(oficio_pte="PTE-5")
    ot = _con_pasos(
        catalogos,
        pasos_ot,
        pte=pte,
        orden_trabajo="OT-5",
        fecha_inicio_programado=datetime.date(2026, 3, 2),
        fecha_inicio_real=datetime.date(2026, 3, 4),
        monto_mxn=Decimal("1500000"),
        monto_usd=Decimal("2500.5"),
    )
    r1 = services.ot_reprogramar(usuario=make_user(), ot_id=ot.pk, datos={})
    ProduccionFactory(ot=ot, volumen_produccion=Decimal("125.5"))
    ProduccionFactory(ot=ot, volumen_produccion=Decimal("4.25"))

    html = page_html(viewer.get(f"/ots/{ot.pk}/"))
    reprogramada = page_html(viewer.get(f"/ots/{r1.pk}/"))

    assert '<td class="nowrap">02/03/2026</td><td class="nowrap">04/03/2026</td>' in html
    assert "<dd>PEP Cantarell</dd>" in html
    assert "$1,500,000.00 MXN" in html and "$2,500.50 USD" in html
    assert html.index(">Kick-off</th>") < html.index(">Movilización</th>")
    assert 'id="progreso-ot"' in html
    assert f'<a href="/ots/{r1.pk}/">OT-5 R1</a>' in html
    assert f'<a href="/ptes/{pte.pk}/">PTE-5</a>' in html
    assert "<dt>Registros</dt><dd>2</dd>" in html
    assert "<dt>Volumen total</dt><dd>129.75</dd>" in html
    assert f'la reprogramación 1 de la OT <a href="/ots/{ot.pk}/">OT-5</a>' in reprogramada
    assert f'href="/ots/{ot.pk}/anexo/">Anexo C</a>' in html


def test_detail_queries_do_not_grow_with_steps_or_reprogrammings(viewer, assert_same_queries):
    few = OTFactory()
    many = OTFactory()
    for n in range(12):
        paso = PasoOtFactory(orden=n)
        OTDetalle.objects.create(ot=many, paso=paso)
        if n < 2:
            OTDetalle.objects.create(ot=few, paso=paso)
    services.ot_reprogramar(usuario=make_user(), ot_id=few.pk, datos={})
    for _ in range(5):
        services.ot_reprogramar(usuario=make_user(), ot_id=many.pk, datos={})
    ProduccionFactory(ot=many)
    ProduccionFactory(ot=few)  # both with an anexo: its homologated total reads the rate
    viewer.get("/api/user/")

    assert_same_queries(
        lambda: viewer.get(f"/ots/{few.pk}/"), lambda: viewer.get(f"/ots/{many.pk}/")
    )


def test_a_step_opens_in_place_and_saves_without_reloading(engineer, catalogos, pasos_ot):
    ot = _con_pasos(catalogos, pasos_ot)
    detalle = ot.detalles.get(paso=pasos_ot[0])

    _, row = open_and_complete_a_step(engineer, f"/ots/{ot.pk}/", detalle)

    # The OT's progress, out of band: no dates, half the steps: 15 %.
    assert 'id="avance-ot" class="avance-ot" hx-swap-oob="true"' in row
    assert 'value="15.00"' in row
    detalle.refresh_from_db()
    assert (detalle.estatus, detalle.fecha_entrega) == (
        EstatusPaso.COMPLETADO,
        timezone.localdate(),
    )


def test_a_stale_step_edit_says_so_in_place_and_keeps_the_input(engineer, catalogos, pasos_ot):
    ot = _con_pasos(catalogos, pasos_ot)
    detalle = ot.detalles.first()

    edit_a_step_someone_else_saved(
        engineer, f"/ots/{ot.pk}/", detalle, services.ot_paso_actualizar, ot_id=ot.pk
    )


def test_a_step_without_javascript_goes_back_to_the_page(engineer, catalogos, pasos_ot):
    ot = _con_pasos(catalogos, pasos_ot)
    detalle = ot.detalles.first()

    page = page_html(engineer.get(f"/ots/{ot.pk}/?editar_paso={detalle.pk}"))
    good = engineer.post(
        f"/ots/{ot.pk}/pasos/{detalle.pk}/",
        {"estatus": "2", "version": etag_for(detalle), "csrfmiddlewaretoken": csrf_token(engineer)},
    )

    assert "<html" in page and "Guardar paso" in page
    assert good.status_code == HTTPStatus.FOUND
    assert good["Location"] == f"/ots/{ot.pk}/#paso-{detalle.pk}"
    assert "guardado: En proceso." in page_html(engineer.get(good["Location"]))
