"""The PUE life cycle on /precios/: several PUEs authorised at once (rows ticked, one
confirmation carrying each version), and an authorised PUE converted into an ordinary
concept (new anexo and key, prices kept, every change logged); only for the roles that may."""

from __future__ import annotations

import re
from decimal import Decimal
from http import HTTPStatus

import pytest

from sascop.actividad.models import RegistroActividad
from sascop.core.api.etags import etag_for
from sascop.core.errors import Conflict, InvalidInput
from sascop.core.tests.navegador import csrf_token, post_form
from sascop.ots.tests.factories import OTFactory
from sascop.precios import services_conceptos
from sascop.precios.models import Anexo, Concepto
from sascop.precios.tests.factories import AnexoFactory, ConceptoFactory, PUEFactory

pytestmark = pytest.mark.django_db
URL = "/precios/"


@pytest.fixture
def pues() -> list[Concepto]:
    c10 = AnexoFactory(clave="C-10")
    AnexoFactory(clave="C-5", contrato=c10.contrato)
    return [
        PUEFactory(anexo=c10, partida=f"PUE-{n}", concepto=f"Grapa {n}", pu_mn=Decimal("99.50"))
        for n in (1, 2, 3)
    ]


def test_ticked_pues_are_authorised_after_one_confirmation(admin, pues):
    admin.get(URL)
    a, b, c = pues

    confirmacion = post_form(admin, URL, {"accion": "autorizar", "pk": [a.pk, b.pk]})

    html = confirmacion.content.decode()
    assert confirmacion.status_code == HTTPStatus.OK
    assert "¿Autorizar 2 conceptos extraordinarios?" in html
    assert f'name="version-{a.pk}"' in html and f'name="version-{c.pk}"' not in html
    assert Concepto.objects.filter(estatus=Concepto.Estatus.AUTORIZADO).count() == 0

    versiones = dict(re.findall(r'name="version-(\d+)" value="([^"]*)"', html))
    respuesta = post_form(
        admin,
        URL,
        {
            "accion": "autorizar",
            "confirmar": "1",
            "pk": [a.pk, b.pk],
            **{f"version-{pk}": v.replace("&quot;", '"') for pk, v in versiones.items()},
        },
    )

    assert respuesta.status_code == HTTPStatus.FOUND
    estados = dict(Concepto.objects.values_list("partida", "estatus"))
    assert estados == {"PUE-1": "AUTORIZADO", "PUE-2": "AUTORIZADO", "PUE-3": "EN_ELABORACION"}
    assert RegistroActividad.objects.filter(campo="estatus", valor_nuevo="AUTORIZADO").count() == 2
    assert "Se autorizaron 2 conceptos." in admin.get(URL).content.decode()


def test_a_pue_changed_since_the_confirmation_is_left_alone_and_named(admin, pues):
    admin.get(URL)
    a, b, _ = pues
    viejas = {f"version-{c.pk}": etag_for(c) for c in (a, b)}
    Concepto.objects.filter(pk=b.pk).update(version=5)

    post_form(admin, URL, {"accion": "autorizar", "confirmar": "1", "pk": [a.pk, b.pk], **viejas})

    a.refresh_from_db()
    b.refresh_from_db()
    assert a.estatus == Concepto.Estatus.AUTORIZADO
    assert b.estatus == Concepto.Estatus.EN_ELABORACION
    html = admin.get(URL).content.decode()
    assert "Se autorizó 1 concepto." in html
    assert "Sin autorizar: C-10 PUE-2 (cambió desde que lo seleccionaste)." in html


def test_the_confirmation_names_the_ticked_rows_that_cannot_be_authorised(admin, pues):
    admin.get(URL)
    ordinario = ConceptoFactory(partida="9.9")

    html = post_form(admin, URL, {"accion": "autorizar", "pk": [pues[0].pk, ordinario.pk]})
    texto = html.content.decode()

    assert "¿Autorizar 1 concepto extraordinario?" in texto
    assert "no esperan autorización" in texto and f"{ordinario}" in texto


@pytest.mark.parametrize("rol", ["Consulta", "Ingeniería", "Captura de producción"])
def test_only_those_allowed_see_or_use_bulk_authorise_and_convert(role_client, pues, rol):
    c = role_client(rol)
    html = c.get(URL).content.decode()
    pues[0].estatus = Concepto.Estatus.AUTORIZADO
    pues[0].save()

    assert 'value="autorizar"' not in html and "Exportar seleccionadas" in html
    respuesta = post_form(c, URL, {"accion": "autorizar", "confirmar": "1", "pk": [pues[1].pk]})
    assert respuesta.status_code == HTTPStatus.FORBIDDEN
    assert "/convertir/" not in c.get(URL).content.decode()
    convertir = f"/precios/conceptos/{pues[0].pk}/convertir/"
    assert c.get(convertir).status_code == HTTPStatus.FORBIDDEN
    assert Concepto.objects.filter(estatus=Concepto.Estatus.AUTORIZADO).count() == 1


def test_convert_an_authorised_pue_into_an_ordinary_concept(admin, pues):
    pue = pues[0]
    pue.estatus = Concepto.Estatus.AUTORIZADO
    pue.ot = OTFactory()
    pue.referencia_ot = "OT-1"
    pue.save()
    lista = admin.get(URL).content.decode()
    url = f"/precios/conceptos/{pue.pk}/convertir/"
    assert f'href="{url}"' in lista
    pagina = admin.get(url).content.decode()
    assert '<option value="C-5">' in pagina and '<option value="PUE">' not in pagina
    version = re.search(r'name="version" value="([^"]*)"', pagina)
    assert version is not None

    respuesta = post_form(
        admin,
        url,
        {"anexo": "c-5", "partida": "5.40.", "version": version.group(1).replace("&quot;", '"')},
    )

    assert respuesta.status_code == HTTPStatus.FOUND
    pue.refresh_from_db()
    assert (pue.anexo.clave, pue.partida, pue.tipo, pue.estatus) == (
        "C-5",
        "5.40",
        "ordinaria",
        "AUTORIZADO",
    )
    assert pue.pu_mn == Decimal("99.50") and pue.concepto == "Grapa 1"
    assert pue.ot is None and pue.referencia_ot == "OT-1"
    campos = set(
        RegistroActividad.objects.filter(entidad_id=str(pue.pk)).values_list("campo", flat=True)
    )
    assert {"anexo", "partida", "tipo", "ot"} <= campos
    assert (
        "El PUE ahora es el concepto 5.40 del anexo C-5."
        in admin.get(respuesta["Location"]).content.decode()
    )


def test_convert_refuses_a_pue_not_authorised_a_taken_key_and_a_stale_version(admin, pues):
    pue, otro, _ = pues
    url = f"/precios/conceptos/{pue.pk}/convertir/"
    admin.get(url)

    no_autorizado = post_form(
        admin, url, {"anexo": "C-5", "partida": "1", "version": etag_for(pue)}
    )
    assert no_autorizado.status_code == HTTPStatus.CONFLICT
    assert "Autoriza este PUE antes de convertirlo." in no_autorizado.content.decode()

    Concepto.objects.filter(pk=pue.pk).update(estatus=Concepto.Estatus.AUTORIZADO)
    pue.refresh_from_db()
    ConceptoFactory(anexo=Anexo.objects.get(clave="C-5"), partida="7.1")
    ocupada = post_form(admin, url, {"anexo": "C-5", "partida": "7.1.", "version": etag_for(pue)})
    assert ocupada.status_code == HTTPStatus.CONFLICT
    assert "Ese anexo ya tiene un concepto con esta partida." in ocupada.content.decode()

    vieja = post_form(admin, url, {"anexo": "C-5", "partida": "7.2", "version": etag_for(otro)})
    assert vieja.status_code == HTTPStatus.PRECONDITION_FAILED
    pue.refresh_from_db()
    assert pue.tipo == Concepto.Tipo.EXTRAORDINARIA and pue.anexo.clave == "C-10"


def test_the_service_makes_a_new_anexo_and_refuses_the_pue_anexo(pues):
    from sascop.accounts.tests.factories import make_user

    pue = pues[0]
    Concepto.objects.filter(pk=pue.pk).update(estatus=Concepto.Estatus.AUTORIZADO)
    with pytest.raises(InvalidInput):
        services_conceptos.concepto_convertir(
            usuario=make_user(), concepto_id=pue.pk, anexo="pue", partida="1", if_match=None
        )

    convertido = services_conceptos.concepto_convertir(
        usuario=make_user(), concepto_id=pue.pk, anexo="C-11", partida="11.1", if_match=None
    )

    assert convertido.anexo.clave == "C-11"
    assert convertido.anexo.contrato_id == pues[1].anexo.contrato_id
    with pytest.raises(Conflict):
        services_conceptos.concepto_convertir(
            usuario=make_user(), concepto_id=pue.pk, anexo="C-12", partida="1", if_match=None
        )


def _version(html: str) -> str:
    found = re.search(r'name="version" value="([^"]*)"', html)
    assert found is not None
    return found.group(1).replace("&quot;", '"')


def test_draw_up_a_pue_from_the_page(admin, pues):
    lista = admin.get(URL).content.decode()
    assert 'href="/precios/conceptos/nuevo/"' in lista
    c10 = Anexo.objects.get(clave="C-10")

    respuesta = post_form(
        admin,
        "/precios/conceptos/nuevo/",
        {
            "anexo": c10.pk,
            "partida": "PUE-9.",
            "concepto": "Inspección con ROV",
            "unidad": "Día",
            "pu_mn": "1500.25",
            "pu_usd": "",
        },
    )

    assert respuesta.status_code == HTTPStatus.FOUND
    nuevo = Concepto.objects.get(partida="PUE-9")
    assert (nuevo.tipo, nuevo.estatus, nuevo.unidad) == ("extraordinaria", "EN_ELABORACION", "DIA")
    assert nuevo.pu_mn == Decimal("1500.25") and nuevo.pu_usd == Decimal("0")
    assert RegistroActividad.objects.filter(entidad_id=str(nuevo.pk), accion="crear").exists()
    repetido = post_form(
        admin,
        "/precios/conceptos/nuevo/",
        {"anexo": c10.pk, "partida": "PUE-9", "concepto": "Otro", "unidad": "DIA"},
    )
    assert repetido.status_code == HTTPStatus.CONFLICT
    assert "Ese anexo ya tiene un concepto con esta partida." in repetido.content.decode()


def test_edit_a_pue_being_drawn_up_with_its_version(admin, pues):
    pue = pues[0]
    url = f"/precios/conceptos/{pue.pk}/editar/"
    assert f'href="{url}"' in admin.get(URL).content.decode()
    pagina = admin.get(url).content.decode()
    datos = {
        "anexo": pue.anexo_id,
        "partida": "PUE-1",
        "concepto": "Grapa de reparación",
        "unidad": "PZA",
        "pu_mn": "120.00",
        "pu_usd": "3.50",
        "version": _version(pagina),
    }

    assert post_form(admin, url, datos).status_code == HTTPStatus.FOUND
    pue.refresh_from_db()
    assert (pue.concepto, pue.unidad, pue.pu_mn, pue.pu_usd) == (
        "Grapa de reparación",
        "PZA",
        Decimal("120.00"),
        Decimal("3.50"),
    )
    assert RegistroActividad.objects.filter(entidad_id=str(pue.pk), campo="pu_mn").exists()
    vieja = post_form(admin, url, {**datos, "pu_mn": "1"})
    assert vieja.status_code == HTTPStatus.PRECONDITION_FAILED
    pue.refresh_from_db()
    assert pue.pu_mn == Decimal("120.00")

    Concepto.objects.filter(pk=pue.pk).update(estatus=Concepto.Estatus.AUTORIZADO)
    autorizado = post_form(
        admin, url, {**datos, "version": etag_for(Concepto.objects.get(pk=pue.pk))}
    )
    assert autorizado.status_code == HTTPStatus.CONFLICT
    assert "ya no se puede editar" in autorizado.content.decode()


def test_deactivate_a_pue_then_it_is_not_authorised_nor_offered_then_reactivate(admin, pues):
    pue = pues[0]
    admin.get(URL)

    post_form(
        admin, f"/precios/conceptos/{pue.pk}/activo/", {"activo": "0", "version": etag_for(pue)}
    )

    pue.refresh_from_db()
    assert pue.activo is False
    html = admin.get(URL).content.decode()
    assert "PUE C-10 PUE-1 desactivado: ningún anexo nuevo lo tomará." in html
    assert "Autorizar C-10 PUE-1" not in html and "Reactivar C-10 PUE-1" in html
    post_form(admin, URL, {"accion": "autorizar", "confirmar": "1", "pk": [pue.pk]})
    pue.refresh_from_db()
    assert pue.estatus == Concepto.Estatus.EN_ELABORACION
    assert RegistroActividad.objects.filter(entidad_id=str(pue.pk), campo="activo").count() == 1

    post_form(
        admin, f"/precios/conceptos/{pue.pk}/activo/", {"activo": "1", "version": etag_for(pue)}
    )
    pue.refresh_from_db()
    assert pue.activo is True


def test_ordinary_concepts_are_not_deactivated_here_and_others_may_not(admin, role_client, pues):
    ordinario = ConceptoFactory(partida="9.9")
    admin.get(URL)
    post_form(
        admin,
        f"/precios/conceptos/{ordinario.pk}/activo/",
        {"activo": "0", "version": etag_for(ordinario)},
    )
    ordinario.refresh_from_db()
    assert ordinario.activo is True

    ingenieria = role_client("Ingeniería")
    html = ingenieria.get(URL).content.decode()
    assert "/activo/" not in html and "/editar/" not in html and "conceptos/nuevo/" not in html
    pue = pues[0]
    respuesta = post_form(
        ingenieria,
        f"/precios/conceptos/{pue.pk}/activo/",
        {"activo": "0", "version": etag_for(pue)},
    )
    assert respuesta.status_code == HTTPStatus.FORBIDDEN
    assert ingenieria.get("/precios/conceptos/nuevo/").status_code == HTTPStatus.FORBIDDEN
    pue.refresh_from_db()
    assert pue.activo is True


def test_an_inactive_pue_is_not_authorised_through_the_api_either(admin, pues):
    pue = pues[0]
    Concepto.objects.filter(pk=pue.pk).update(activo=False)
    pue.refresh_from_db()

    respuesta = admin.post(
        f"/operaciones/api/precios/conceptos/{pue.pk}/autorizar/",
        content_type="application/json",
        HTTP_IF_MATCH=etag_for(pue),
        HTTP_X_CSRFTOKEN=csrf_token(admin),
    )

    assert respuesta.status_code == HTTPStatus.CONFLICT
    assert respuesta.json()["code"] == "conflict"
    pue.refresh_from_db()
    assert pue.estatus == Concepto.Estatus.EN_ELABORACION
