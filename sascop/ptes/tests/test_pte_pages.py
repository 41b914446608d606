"""The PTE pages: list with filters, create, detail with steps edited in place, edit with the
version rule, delete; permissions and query counts as for the API."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal
from http import HTTPStatus

import pytest
from django.utils import timezone

from sascop.catalogos.estatus import EstatusPaso
from sascop.catalogos.tests.factories import (
    ClienteFactory,
    PasoFactory,
    TipoClienteFactory,
)
from sascop.core.api.etags import etag_for
from sascop.core.tests.navegador import HTMX, csrf_token, hidden_value, page_html, shown_values
from sascop.flujo.tests.pasos import edit_a_step_someone_else_saved, open_and_complete_a_step
from sascop.ots.tests.factories import OTFactory
from sascop.ptes import services
from sascop.ptes.models import PTE, PTEDetalle
from sascop.ptes.tests.factories import PTEFactory, catalogos_de_pte

pytestmark = pytest.mark.django_db


def _oficios(html: str) -> list[str]:
    return re.findall(r'<a href="/ptes/\d+/">([^<]+)</a>', html)


@pytest.fixture
def catalogos():
    return catalogos_de_pte(
        [{"orden": 1, "descripcion": "Recepción"}, {"orden": 2, "descripcion": "Visita técnica"}],
        cliente={"descripcion": "PEP Cantarell"},
        responsable={"nombre": "Ing. Laura Méndez"},
        tipo={"descripcion": "Inspección submarina"},
    )


def _con_pasos(cat, **campos):
    pte = PTEFactory(
        cliente=cat["cliente"], responsable_proyecto=cat["responsable"], tipo=cat["tipo"], **campos
    )
    for paso in cat["pasos"]:
        PTEDetalle.objects.create(pte=pte, paso=paso)
    return pte


def _form(cat, **extra) -> dict[str, object]:
    return {
        "oficio_pte": "PTE-2026-0042",
        "oficio_solicitud": "SOL-77",
        "descripcion_trabajo": "Inspección de ducto de 36 pulgadas",
        "cliente": cat["cliente"].pk,
        "tipo": cat["tipo"].pk,
        "responsable_proyecto": cat["responsable"].pk,
        "fecha_solicitud": "2026-03-15",
        "plazo_dias": "20",
        "fecha_entrega": "",
        "prioridad": "2",
        "estatus": "1",
        "total_homologado": "1250000.75",
        "comentario": "",
        **extra,
    }


# --- List --------------------------------------------------------------------------------


def test_list_shows_linked_rows_with_es_mx_figures_and_progress(viewer, catalogos):
    pte = _con_pasos(catalogos, oficio_pte="PTE-7", total_homologado=Decimal("1234567.5"))
    PTEDetalle.objects.filter(pte=pte, paso=catalogos["pasos"][0]).update(
        estatus=EstatusPaso.COMPLETADO
    )

    response = viewer.get("/ptes/")

    assert response.status_code == HTTPStatus.OK
    html = page_html(response)
    assert f'<a href="/ptes/{pte.pk}/">PTE-7</a>' in html
    assert "$1,234,567.50" in html
    assert 'aria-label="Avance de PTE-7">50%</progress>' in html
    assert "<strong>1</strong> PTE" in html
    assert "Nueva PTE" not in html  # Consulta cannot create


def test_filters_live_in_the_query_string(viewer, catalogos):
    otro = ClienteFactory(descripcion="Fieldwood")
    a = PTEFactory(oficio_pte="A", estatus=2, cliente=catalogos["cliente"])
    PTEFactory(oficio_pte="B", estatus=1, cliente=catalogos["cliente"])
    PTEFactory(oficio_pte="C", estatus=2, cliente=otro)
    PTEFactory(oficio_pte="D", estatus=2, fecha_solicitud=datetime.date(2024, 5, 1))
    PTEFactory(oficio_pte="E", estatus=4, descripcion_trabajo="Buceo de saturación")

    def oficios(query: str) -> list[str]:
        return sorted(_oficios(page_html(viewer.get(f"/ptes/?{query}"))))

    assert oficios("estatus=2") == ["A", "C", "D"]
    assert oficios("estatus=2&estatus=1") == ["A", "B", "C", "D"]
    assert oficios(f"estatus=2&cliente={catalogos['cliente'].pk}") == ["A"]
    assert oficios(f"responsable={a.responsable_proyecto_id}") == ["A"]
    assert oficios(f"tipo={a.tipo_id}") == ["A"]
    assert oficios("anio=2024") == ["D"]
    assert oficios("buscar=saturaci") == ["E"]
    # The form shows what is in force.
    html = page_html(viewer.get("/ptes/?estatus=2&anio=2024"))
    assert 'value="2" id="id_estatus_1" checked' in html
    assert '<option value="2024" selected>2024</option>' in html
    assert "Filtros (2)" in html


def test_a_bad_filter_value_is_said_next_to_it_and_the_others_still_apply(viewer):
    PTEFactory(oficio_pte="A", estatus=2)
    PTEFactory(oficio_pte="B", estatus=1)

    response = viewer.get("/ptes/?estatus=2&cliente=999999&anio=abc")

    assert response.status_code == HTTPStatus.OK
    html = page_html(response)
    assert _oficios(html) == ["A"]
    assert html.count('<ul class="errorlist"') == 2


def test_sorting_and_pages(viewer):
    for n in range(12):
        PTEFactory(oficio_pte=f"P{n:02d}")

    first = _oficios(page_html(viewer.get("/ptes/?orden=oficio_pte&por_pagina=10")))
    second = _oficios(page_html(viewer.get("/ptes/?orden=oficio_pte&por_pagina=10&pagina=2")))
    backwards = _oficios(page_html(viewer.get("/ptes/?orden=-oficio_pte&por_pagina=10")))
    past_the_end = _oficios(page_html(viewer.get("/ptes/?orden=oficio_pte&por_pagina=10&pagina=9")))

    assert first == [f"P{n:02d}" for n in range(10)]
    assert second == past_the_end == ["P10", "P11"]
    assert backwards[0] == "P11"
    # Unknown sort keys, page sizes and page numbers fall back instead of failing.
    assert viewer.get("/ptes/?orden=password&por_pagina=9999&pagina=x").status_code == 200


def test_newest_first_by_default(viewer):
    PTEFactory(oficio_pte="viejo", fecha_solicitud=datetime.date(2025, 1, 1))
    PTEFactory(oficio_pte="nuevo", fecha_solicitud=datetime.date(2026, 1, 1))

    assert _oficios(page_html(viewer.get("/ptes/"))) == ["nuevo", "viejo"]


def test_htmx_gets_only_the_table(viewer):
    PTEFactory(oficio_pte="A", estatus=2)

    html = page_html(viewer.get("/ptes/?estatus=2", HTTP_HX_TARGET="tabla-ptes", **HTMX))
    restore = page_html(
        viewer.get(
            "/ptes/?estatus=2",
            HTTP_HX_TARGET="tabla-ptes",
            HTTP_HX_HISTORY_RESTORE_REQUEST="true",
            **HTMX,
        )
    )

    assert html.lstrip().startswith('<section id="tabla-ptes"')
    assert "<html" not in html and "Filtros" not in html
    assert _oficios(html) == ["A"]
    assert "<html" in restore  # history needs the whole page


def test_list_queries_do_not_grow_with_the_page(viewer, catalogos, assert_same_queries):
    viewer.get("/api/user/")  # the user row is cached after the first request with Redis
    _con_pasos(catalogos)
    _con_pasos(catalogos)

    def small():
        assert viewer.get("/ptes/?por_pagina=50").status_code == 200

    small()
    for _ in range(28):
        _con_pasos(catalogos)

    def large():
        assert len(_oficios(page_html(viewer.get("/ptes/?por_pagina=50")))) == 30

    assert_same_queries(small, large)


# --- Permissions -------------------------------------------------------------------------


def test_an_anonymous_visit_goes_to_the_login_page(client):
    response = client.get("/ptes/?estatus=2")

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == "/accounts/login/?next=%2Fptes%2F%3Festatus%3D2"


def test_a_user_without_a_role_gets_403(client, user, json_login):
    json_login()

    assert client.get("/ptes/").status_code == HTTPStatus.FORBIDDEN


def test_consulta_reads_but_cannot_create_edit_or_delete(viewer, catalogos):
    pte = _con_pasos(catalogos)
    detalle = pte.detalles.first()

    assert viewer.get(f"/ptes/{pte.pk}/").status_code == HTTPStatus.OK
    for url in ("/ptes/nueva/", f"/ptes/{pte.pk}/editar/", f"/ptes/{pte.pk}/eliminar/"):
        response = viewer.get(url)
        assert response.status_code == HTTPStatus.FORBIDDEN, url
        assert "Acceso denegado" in page_html(response)
    step = viewer.post(
        f"/ptes/{pte.pk}/pasos/{detalle.pk}/",
        {"estatus": "3", "version": etag_for(detalle), "csrfmiddlewaretoken": csrf_token(viewer)},
    )
    assert step.status_code == HTTPStatus.FORBIDDEN
    page = page_html(viewer.get(f"/ptes/{pte.pk}/"))
    assert "Editar" not in page and "Eliminar" not in page
    # Asking for a step's form without the permission shows the page as it reads.
    assert "Guardar paso" not in page_html(viewer.get(f"/ptes/{pte.pk}/?editar_paso={detalle.pk}"))


def test_unknown_pte_is_the_404_page(viewer):
    response = viewer.get("/ptes/999999/")

    assert response.status_code == HTTPStatus.NOT_FOUND
    assert "Página no encontrada" in page_html(response)


def test_forms_need_the_csrf_token(engineer, catalogos):
    response = engineer.post("/ptes/nueva/", _form(catalogos))

    assert response.status_code == HTTPStatus.FORBIDDEN
    assert not PTE.objects.exists()


# --- Create ------------------------------------------------------------------------------


def test_create_makes_the_pte_with_its_steps_and_says_so(engineer, catalogos):
    form = page_html(engineer.get("/ptes/nueva/"))
    assert '<label for="id_oficio_pte">Oficio PTE</label>' in form

    response = engineer.post(
        "/ptes/nueva/", {**_form(catalogos), "csrfmiddlewaretoken": csrf_token(engineer)}
    )

    pte = PTE.objects.get(oficio_pte="PTE-2026-0042")
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == f"/ptes/{pte.pk}/"
    assert pte.total_homologado == Decimal("1250000.75")
    assert list(pte.detalles.values_list("paso__descripcion", flat=True)) == [
        "Recepción",
        "Visita técnica",
    ]
    detail = page_html(engineer.get(response["Location"]))
    assert (
        '<div class="alert alert-success" role="status">PTE PTE-2026-0042 creada.</div>' in detail
    )
    assert "PTE-2026-0042 creada" not in page_html(engineer.get(response["Location"]))


def test_create_errors_are_next_to_their_fields_and_the_input_stays(engineer, catalogos):
    PTEFactory(oficio_pte="PTE-2026-0042")

    bad = engineer.post(
        "/ptes/nueva/",
        {**_form(catalogos, plazo_dias="0"), "csrfmiddlewaretoken": csrf_token(engineer)},
    )
    duplicate = engineer.post(
        "/ptes/nueva/", {**_form(catalogos), "csrfmiddlewaretoken": csrf_token(engineer)}
    )

    assert bad.status_code == HTTPStatus.BAD_REQUEST
    html = page_html(bad)
    assert re.search(r'name="plazo_dias"[^>]*aria-invalid="true"', html)
    assert '<ul class="errorlist" id="id_plazo_dias_error"><li>' in html
    assert 'value="Inspección de ducto de 36 pulgadas"' not in html  # a textarea keeps it:
    assert ">\nInspección de ducto de 36 pulgadas</textarea>" in html
    # The service's own rule (one live PTE per oficio) lands next to its field too.
    assert duplicate.status_code == HTTPStatus.BAD_REQUEST
    assert re.search(
        r'id="id_oficio_pte_error"><li>Ya existe una PTE con ese oficio.</li>', page_html(duplicate)
    )
    assert PTE.objects.count() == 1


def test_only_active_catalog_entries_are_offered(engineer, catalogos):
    ClienteFactory(descripcion="Cliente retirado", activo=False)

    html = page_html(engineer.get("/ptes/nueva/"))

    assert "PEP Cantarell" in html
    assert "Cliente retirado" not in html


# --- Edit and the version rule -----------------------------------------------------------


def test_edit_saves_with_the_version_the_form_was_drawn_from(engineer, catalogos):
    pte = _con_pasos(catalogos, oficio_pte="PTE-1")
    page = page_html(engineer.get(f"/ptes/{pte.pk}/editar/"))
    version = hidden_value(page, "version")
    assert version == etag_for(pte)

    response = engineer.post(
        f"/ptes/{pte.pk}/editar/",
        {
            **_form(catalogos, oficio_pte="PTE-1", comentario="Revisado"),
            "version": version,
            "csrfmiddlewaretoken": csrf_token(engineer),
        },
    )

    assert response.status_code == HTTPStatus.FOUND
    pte.refresh_from_db()
    assert (pte.comentario, pte.version) == ("Revisado", 2)


def test_a_stale_edit_says_so_keeps_the_input_and_can_be_saved_on_purpose(engineer, catalogos):
    pte = _con_pasos(catalogos, oficio_pte="PTE-1", plazo_dias=15)
    form = page_html(engineer.get(f"/ptes/{pte.pk}/editar/"))
    version = hidden_value(form, "version")
    # Meanwhile somebody else changes the deadline.
    services.pte_actualizar(usuario=_anyone(), pte_id=pte.pk, datos={"plazo_dias": 40})
    mine = {**_form(catalogos, oficio_pte="PTE-1", comentario="Mi nota"), **shown_values(form)}
    mine["plazo_dias"] = "15"

    stale = engineer.post(
        f"/ptes/{pte.pk}/editar/",
        {**mine, "version": version, "csrfmiddlewaretoken": csrf_token(engineer)},
    )

    assert stale.status_code == HTTPStatus.PRECONDITION_FAILED
    html = page_html(stale)
    assert "Alguien más guardó cambios mientras editabas" in html
    assert ">\nMi nota</textarea>" in html  # nothing the user typed is lost
    assert 'name="plazo_dias" value="15"' in html
    assert '<p class="actual">Guardado ahora: <strong>40</strong></p>' in html
    # Only what the other person changed is marked, not the user's own comment.
    assert html.count('<p class="actual">') == 1
    pte.refresh_from_db()
    assert (pte.plazo_dias, pte.comentario, pte.version) == (40, "", 2)
    # The form now carries the current version: saving again is a deliberate overwrite.
    again = engineer.post(
        f"/ptes/{pte.pk}/editar/",
        {
            **mine,
            "version": hidden_value(html, "version"),
            "csrfmiddlewaretoken": csrf_token(engineer),
        },
    )
    assert again.status_code == HTTPStatus.FOUND
    pte.refresh_from_db()
    assert (pte.plazo_dias, pte.comentario) == (15, "Mi nota")


def test_an_edit_without_a_version_is_refused(engineer, catalogos):
    pte = _con_pasos(catalogos, oficio_pte="PTE-1")

    response = engineer.post(
        f"/ptes/{pte.pk}/editar/",
        {**_form(catalogos, oficio_pte="PTE-1"), "csrfmiddlewaretoken": csrf_token(engineer)},
    )

    assert response.status_code == HTTPStatus.BAD_REQUEST
    pte.refresh_from_db()
    assert pte.version == 1


def _anyone():
    from sascop.accounts.tests.factories import make_user

    return make_user()


# --- Delete ------------------------------------------------------------------------------


def test_delete_asks_then_hides_the_pte(engineer, catalogos):
    pte = _con_pasos(catalogos, oficio_pte="PTE-9")
    page = page_html(engineer.get(f"/ptes/{pte.pk}/eliminar/"))
    assert "¿Eliminar la PTE PTE-9?" in page

    response = engineer.post(
        f"/ptes/{pte.pk}/eliminar/",
        {"version": hidden_value(page, "version"), "csrfmiddlewaretoken": csrf_token(engineer)},
    )

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == "/ptes/"
    assert not PTE.objects.filter(pk=pte.pk).exists()
    assert PTE.all_objects.get(pk=pte.pk).eliminado_en is not None
    listing = page_html(engineer.get("/ptes/"))
    assert "PTE PTE-9 eliminada." in listing
    assert "PTE-9</a>" not in listing


def test_a_stale_delete_is_not_applied(engineer, catalogos):
    pte = _con_pasos(catalogos)
    version = hidden_value(page_html(engineer.get(f"/ptes/{pte.pk}/eliminar/")), "version")
    services.pte_actualizar(usuario=_anyone(), pte_id=pte.pk, datos={"comentario": "x"})

    response = engineer.post(
        f"/ptes/{pte.pk}/eliminar/",
        {"version": version, "csrfmiddlewaretoken": csrf_token(engineer)},
    )
    no_version = engineer.post(
        f"/ptes/{pte.pk}/eliminar/", {"csrfmiddlewaretoken": csrf_token(engineer)}
    )

    assert response.status_code == no_version.status_code == HTTPStatus.PRECONDITION_FAILED
    assert "no se eliminó" in page_html(response)
    assert PTE.objects.filter(pk=pte.pk).exists()


# --- Detail and steps in place -----------------------------------------------------------


def test_detail_shows_data_steps_progress_and_ots(viewer, catalogos):
    pte = _con_pasos(catalogos, oficio_pte="PTE-5", fecha_solicitud=datetime.date(2026, 3, 2))
    borrada = OTFactory(pte=pte, orden_trabajo="OT-borrada")
    borrada.eliminado_en = timezone.now()  # soft-deleted: hidden
    borrada.save()
    OTFactory(pte=pte, orden_trabajo="OT-77", monto_mxn=Decimal("1500000"))

    html = page_html(viewer.get(f"/ptes/{pte.pk}/"))

    assert "<dd>02/03/2026</dd>" in html
    assert "<dd>PEP Cantarell</dd>" in html
    assert html.index(">Recepción</th>") < html.index(">Visita técnica</th>")
    assert 'id="progreso-pte"' in html
    assert "OT-77" in html and "$1,500,000.00" in html
    assert "OT-borrada" not in html
    assert "Crear OT" not in html  # Consulta cannot create OTs


def test_detail_queries_do_not_grow_with_steps(viewer, assert_same_queries):
    tipo = TipoClienteFactory()
    few = PTEFactory(cliente=ClienteFactory(tipo=tipo))
    many = PTEFactory(cliente=ClienteFactory(tipo=tipo))
    for n in range(12):
        paso = PasoFactory(tipo_cliente=tipo)
        PTEDetalle.objects.create(pte=many, paso=paso)
        if n < 2:
            PTEDetalle.objects.create(pte=few, paso=paso)
    OTFactory(pte=many)  # one OT per PTE
    viewer.get("/api/user/")

    assert_same_queries(
        lambda: viewer.get(f"/ptes/{few.pk}/"), lambda: viewer.get(f"/ptes/{many.pk}/")
    )


def test_a_step_opens_in_place_and_saves_without_reloading(engineer, catalogos):
    pte = _con_pasos(catalogos)
    detalle = pte.detalles.get(paso=catalogos["pasos"][0])

    fragment, row = open_and_complete_a_step(
        engineer,
        f"/ptes/{pte.pk}/",
        detalle,
        fecha_inicio="2026-03-01",
        archivo="https://docs.example.mx/acta.pdf",
    )

    assert f'id="paso-{detalle.pk}-estatus"' in fragment
    assert 'id="progreso-pte" hx-swap-oob="true"' in row
    assert 'value="50.00"' in row
    detalle.refresh_from_db()
    assert (detalle.estatus, detalle.fecha_entrega, detalle.version) == (
        EstatusPaso.COMPLETADO,
        timezone.localdate(),  # Completado stamps today
        2,
    )


def test_a_stale_step_edit_says_so_in_place_and_keeps_the_input(engineer, catalogos):
    pte = _con_pasos(catalogos)
    detalle = pte.detalles.first()

    shown, html = edit_a_step_someone_else_saved(
        engineer, f"/ptes/{pte.pk}/", detalle, services.pte_paso_actualizar, pte_id=pte.pk
    )

    assert shown["initial-estatus"] == "1"
    assert hidden_value(html, "version") == f'"{detalle.pk}-2"'


def test_a_step_without_javascript_goes_back_to_the_page(engineer, catalogos):
    pte = _con_pasos(catalogos)
    detalle = pte.detalles.first()

    page = page_html(engineer.get(f"/ptes/{pte.pk}/?editar_paso={detalle.pk}"))
    bad = engineer.post(
        f"/ptes/{pte.pk}/pasos/{detalle.pk}/",
        {
            "estatus": "2",
            "archivo": "no es un enlace",
            "version": etag_for(detalle),
            "csrfmiddlewaretoken": csrf_token(engineer),
        },
    )
    good = engineer.post(
        f"/ptes/{pte.pk}/pasos/{detalle.pk}/",
        {"estatus": "2", "version": etag_for(detalle), "csrfmiddlewaretoken": csrf_token(engineer)},
    )

    assert "<html" in page and "Guardar paso" in page
    assert bad.status_code == HTTPStatus.BAD_REQUEST
    assert "<html" in page_html(bad) and 'id="paso-' in page_html(bad)
    assert 'class="errorlist"' in page_html(bad)
    assert good.status_code == HTTPStatus.FOUND
    assert good["Location"] == f"/ptes/{pte.pk}/#paso-{detalle.pk}"
    assert "guardado: En proceso." in page_html(engineer.get(good["Location"]))
