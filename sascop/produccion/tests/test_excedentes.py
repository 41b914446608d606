"""The excedente: computed by the server over the OT family in date order, recomputed by
every production write and every anexo import, shown on the rows and the anexo lines; and
days signed off (FIRMADO) refuse production writes."""

from __future__ import annotations

import datetime
from decimal import Decimal
from http import HTTPStatus

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from sascop.accounts.tests.factories import make_user
from sascop.actividad.models import RegistroActividad
from sascop.catalogos.tests.factories import SitioFactory
from sascop.ots.tests.factories import OTFactory
from sascop.precios.models import AnexoOT, PartidaAnexoOT
from sascop.precios.tests.factories import AnexoOTFactory, ConceptoFactory, linea_de
from sascop.precios.tests.libros import TITULOS, xlsx
from sascop.produccion import excedentes, services
from sascop.produccion.models import Produccion, ReporteDiario
from sascop.produccion.tests.factories import ProduccionFactory

pytestmark = pytest.mark.django_db
URL = "/operaciones/api/produccion/"


@pytest.fixture
def familia():
    """A principal OT (concept 2.1 of C-5: 100 authorised) and its re-programming, whose
    anexo restates the authorisation at 120."""
    concepto = ConceptoFactory(anexo__clave="C-5", partida="2.1", concepto="Tubería", unidad="DIA")
    principal = OTFactory()
    reprogramacion = OTFactory(
        ot_principal=principal,
        num_reprogramacion=1,
        orden_trabajo=principal.orden_trabajo,
        sitio=principal.sitio,
    )
    return {
        "concepto": concepto,
        "principal": principal,
        "reprogramacion": reprogramacion,
        "linea": linea_de(principal, concepto=concepto, volumen=Decimal("100")),
        "linea_r": linea_de(reprogramacion, concepto=concepto, volumen=Decimal("120")),
    }


def _post(c, csrf, ot, linea, fecha, volumen):
    return c.post(
        URL,
        {
            "ot": ot.pk,
            "partida_anexo": linea.pk,
            "fecha_produccion": fecha,
            "volumen_produccion": volumen,
        },
        content_type="application/json",
        **csrf(c),
    )


def _excedentes():
    return {
        (f.ot_id, f.fecha_produccion.isoformat()): format(f.excedente, "f")
        for f in Produccion.objects.order_by("fecha_produccion")
    }


def test_accumulates_over_the_family_in_date_order(capturista, csrf, familia):
    principal, repro = familia["principal"], familia["reprogramacion"]
    linea, linea_r = familia["linea"], familia["linea_r"]

    assert _post(capturista, csrf, principal, linea, "2026-05-01", "60").status_code == 201
    assert _post(capturista, csrf, principal, linea, "2026-05-03", "30").status_code == 201
    creada = _post(capturista, csrf, repro, linea_r, "2026-05-02", "50")

    # The re-programming's anexo (120) authorises; by date: 60, 110, 140 → 20 beyond.
    assert creada.json()["excedente"] == "0.0000"
    assert _excedentes() == {
        (principal.pk, "2026-05-01"): "0.0000",
        (repro.pk, "2026-05-02"): "0.0000",
        (principal.pk, "2026-05-03"): "20.0000",
    }

    # An earlier row pushes the later ones beyond: 10, 70, 120, 150.
    _post(capturista, csrf, repro, linea_r, "2026-04-30", "10")
    assert _excedentes()[(principal.pk, "2026-05-03")] == "30.0000"
    assert _excedentes()[(repro.pk, "2026-05-02")] == "0.0000"

    # Correcting a row: 10, 70, 200 (80 beyond: all of it), 230 (30).
    fila = Produccion.objects.get(ot=repro, fecha_produccion="2026-05-02")
    editada = capturista.patch(
        f"{URL}{fila.pk}/",
        {"volumen_produccion": "130"},
        content_type="application/json",
        **csrf(capturista),
    )
    assert editada.json()["excedente"] == "80.0000"
    assert _excedentes()[(principal.pk, "2026-05-03")] == "30.0000"

    # Deleting it: 10, 70, 100 → nothing beyond.
    assert capturista.delete(f"{URL}{fila.pk}/", **csrf(capturista)).status_code == 204
    assert set(_excedentes().values()) == {"0.0000"}


def test_the_anexo_lines_show_executed_and_excess_per_ot(capturista, csrf, familia):
    principal, repro = familia["principal"], familia["reprogramacion"]
    _post(capturista, csrf, principal, familia["linea"], "2026-05-01", "100")
    _post(capturista, csrf, repro, familia["linea_r"], "2026-05-02", "30.5")

    def linea(ot):
        (partida,) = capturista.get(f"/operaciones/api/ots/{ot.pk}/anexo/").json()["partidas"]
        return partida["volumen"], partida["ejecutado"], partida["excedente"]

    assert linea(principal) == ("100.0000", "100.0000", "0.0000")
    assert linea(repro) == ("120.0000", "30.5000", "10.5000")


def test_bulk_capture_recomputes_with_the_rows_of_the_batch(capturista, csrf, familia):
    filas = [
        {
            "ot": familia["principal"].pk,
            "partida_anexo": familia["linea"].pk,
            "fecha_produccion": f"2026-06-{dia:02d}",
            "volumen_produccion": "25",
        }
        for dia in range(1, 7)
    ]

    response = capturista.post(
        f"{URL}lote/", {"filas": filas}, content_type="application/json", **csrf(capturista)
    )

    assert response.status_code == HTTPStatus.CREATED
    # 25 a day against 120: the fifth day goes 5 beyond, the sixth entirely.
    assert [p["excedente"] for p in response.json()["produccion"]] == [
        "0.0000", "0.0000", "0.0000", "0.0000", "5.0000", "25.0000",
    ]  # fmt: skip


def _anexo(*filas) -> SimpleUploadedFile:
    encabezado = ["ANEXO", "PARTIDA", "CONCEPTO", "UNIDAD", "VOLUMEN PTE"]
    return SimpleUploadedFile("anexo.xlsx", xlsx({"Anexo": [*TITULOS, encabezado, *filas]}))


def test_an_anexo_import_moves_rows_to_the_new_lines_and_recomputes(role_client, csrf):
    ingenieria = role_client("Ingeniería")
    ot = OTFactory()
    tubo = ConceptoFactory(anexo__clave="C-5", partida="2.1", concepto="Tubería", unidad="DIA")
    buzo = ConceptoFactory(anexo=tubo.anexo, partida="3", concepto="Buzo", unidad="DIA")
    url = f"/operaciones/api/ots/{ot.pk}/anexo/"
    primera = ingenieria.post(
        url, {"archivo": _anexo(["C-5", "2.1", "Tubería", "DIA", 10], ["C-5", "3", "Buzo",
                                                                        "DIA", 5])},
        **csrf(ingenieria),
    )  # fmt: skip
    assert primera.status_code == HTTPStatus.CREATED, primera.content
    lineas = {p["partida"]: p["id"] for p in ingenieria.get(url).json()["partidas"]}
    for partida, volumen in (("2.1", "12"), ("3", "4")):
        ProduccionFactory(
            ot=ot,
            partida_anexo=PartidaAnexoOT.objects.get(pk=lineas[partida]),
            volumen_produccion=Decimal(volumen),
        )
    excedentes.recalcular_todo()
    assert sorted(Produccion.objects.values_list("excedente", flat=True)) == [0, 2]

    # Version 2 authorises 15 of 2.1 and leaves concept 3 out.
    segunda = ingenieria.post(
        url, {"archivo": _anexo(["C-5", "2.1", "Tubería", "DIA", 15])}, **csrf(ingenieria)
    )

    assert segunda.status_code == HTTPStatus.CREATED
    nuevas = {p["partida"]: p for p in ingenieria.get(url).json()["partidas"]}
    tubo_fila = Produccion.objects.get(partida_anexo__concepto=tubo)
    buzo_fila = Produccion.objects.get(partida_anexo__concepto=buzo)
    assert (tubo_fila.partida_anexo_id, tubo_fila.excedente) == (nuevas["2.1"]["id"], 0)
    # No longer authorised: all of it is beyond; the row stays on its old line.
    assert (buzo_fila.partida_anexo_id, buzo_fila.excedente) == (lineas["3"], Decimal("4"))
    # Moved (one version) and recomputed (another); recomputed only: their ETags change.
    assert (tubo_fila.version, buzo_fila.version) == (4, 2)
    assert (nuevas["2.1"]["ejecutado"], nuevas["2.1"]["excedente"]) == ("12.0000", "0.0000")
    version_1 = {p["partida"]: p for p in ingenieria.get(url, {"version": 1}).json()["partidas"]}
    assert version_1["3"]["excedente"] == "4.0000"
    assert AnexoOT.objects.filter(ot=ot).count() == 2


def test_a_reprogramming_without_an_anexo_leaves_the_principals_authorisation():
    concepto = ConceptoFactory()
    principal = OTFactory()
    repro = OTFactory(ot_principal=principal, num_reprogramacion=1, sitio=principal.sitio)
    linea = linea_de(principal, concepto=concepto, volumen=Decimal("10"))
    AnexoOTFactory(ot=repro, activo=False)  # only an old version: not in force
    ProduccionFactory(ot=principal, partida_anexo=linea, volumen_produccion=Decimal("8"))
    ProduccionFactory(ot=principal, partida_anexo=linea, volumen_produccion=Decimal("8"))

    assert excedentes.recalcular([(repro.pk, concepto.pk)]) == 1

    assert sorted(Produccion.objects.values_list("excedente", flat=True)) == [0, 6]


def test_recomputing_costs_the_same_queries_however_many_rows(
    capturista, csrf, familia, assert_same_queries
):
    principal, linea = familia["principal"], familia["linea"]
    ProduccionFactory.create_batch(2, ot=principal, partida_anexo=linea, volumen_produccion=100)
    excedentes.recalcular_todo()
    dias = iter(range(28, 0, -1))

    def crear():
        # Each row comes before every other one: the excess moves along the later rows.
        fecha = f"2020-02-{next(dias):02d}"
        assert _post(capturista, csrf, principal, linea, fecha, "7").status_code == 201

    crear()  # with Redis the user row is cached after a first request
    pocas = assert_same_queries(crear, crear)
    ProduccionFactory.create_batch(30, ot=principal, partida_anexo=linea)
    ProduccionFactory.create_batch(
        30, ot=familia["reprogramacion"], partida_anexo=familia["linea_r"]
    )
    excedentes.recalcular_todo()

    assert assert_same_queries(crear, crear) == pocas
    assert Produccion.objects.filter(excedente__gt=0).count() > 60


@pytest.fixture
def firmado(familia):
    ot = familia["principal"]
    return ReporteDiario.objects.create(
        ot=ot, sitio=ot.sitio, fecha=datetime.date(2026, 5, 4), estatus="FIRMADO"
    )


def test_a_signed_off_day_refuses_production_writes(capturista, csrf, familia, firmado):
    ot, linea = familia["principal"], familia["linea"]

    creada = _post(capturista, csrf, ot, linea, "2026-05-04", "1")
    otra = _post(capturista, csrf, ot, linea, "2026-05-05", "1")
    fila = Produccion.objects.get()
    movida = capturista.patch(
        f"{URL}{fila.pk}/",
        {"fecha_produccion": "2026-05-04"},
        content_type="application/json",
        **csrf(capturista),
    )
    lote = capturista.post(
        f"{URL}lote/",
        [{"ot": ot.pk, "partida_anexo": linea.pk, "fecha_produccion": "2026-05-04",
          "volumen_produccion": "1"}],
        content_type="application/json",
        **csrf(capturista),
    )  # fmt: skip

    assert otra.status_code == HTTPStatus.CREATED
    for response in (creada, movida, lote):
        assert response.status_code == HTTPStatus.CONFLICT
        assert response.json()["firmados"] == [
            {"ot": ot.pk, "sitio": ot.sitio_id, "fecha": "2026-05-04"}
        ]
    # Once the row sits on a signed day, neither a correction nor a delete gets through.
    Produccion.objects.filter(pk=fila.pk).update(fecha_produccion="2026-05-04")
    borrada = capturista.delete(f"{URL}{fila.pk}/", **csrf(capturista))
    assert borrada.status_code == HTTPStatus.CONFLICT
    assert Produccion.objects.filter(pk=fila.pk).exists()
    # Another site's report of the same day is not signed.
    otro_sitio = capturista.post(
        URL,
        {"ot": ot.pk, "partida_anexo": linea.pk, "fecha_produccion": "2026-05-04",
         "volumen_produccion": "1", "sitio": SitioFactory().pk},
        content_type="application/json",
        **csrf(capturista),
    )  # fmt: skip
    assert otro_sitio.status_code == HTTPStatus.CREATED


def test_the_command_recomputes_everything(familia):
    from io import StringIO

    from django.core.management import call_command

    ProduccionFactory(ot=familia["principal"], partida_anexo=familia["linea"],
                      volumen_produccion=Decimal("150"))  # fmt: skip
    out = StringIO()

    call_command("recalcular_excedentes", stdout=out)

    assert out.getvalue() == "1 production rows changed.\n"
    assert Produccion.objects.get().excedente == Decimal("30")
    familia["linea"].refresh_from_db()
    assert (familia["linea"].ejecutado, familia["linea"].excedente) == (150, 30)


def _ot(c, csrf, ot, metodo="delete"):
    return getattr(c, metodo)(f"/operaciones/api/ots/{ot.pk}/", **csrf(c))


def test_deleting_an_ot_takes_its_production_out_of_the_family(
    capturista, engineer, viewer, csrf, familia
):
    principal, repro = familia["principal"], familia["reprogramacion"]
    linea, linea_r = familia["linea"], familia["linea_r"]
    _post(capturista, csrf, principal, linea, "2026-05-01", "60")
    _post(capturista, csrf, repro, linea_r, "2026-05-02", "50")
    tarde = _post(capturista, csrf, principal, linea, "2026-05-03", "60").json()
    _post(capturista, csrf, repro, linea_r, "2026-05-04", "10")
    # The re-programming's anexo (120) authorises; by date: 60, 110, 170 (50), 180 (10).
    assert _excedentes() == {
        (principal.pk, "2026-05-01"): "0.0000",
        (repro.pk, "2026-05-02"): "0.0000",
        (principal.pk, "2026-05-03"): "50.0000",
        (repro.pk, "2026-05-04"): "10.0000",
    }
    antes = capturista.get(f"{URL}{tarde['id']}/")
    assert viewer.get("/operaciones/api/estadisticas/").json()["total_produccion"] == 4

    # The principal goes only after its re-programmings.
    assert _ot(engineer, csrf, principal).status_code == HTTPStatus.CONFLICT
    assert _ot(engineer, csrf, repro).status_code == HTTPStatus.NO_CONTENT

    # The re-programming's rows no longer count and its anexo no longer authorises: the
    # principal's (100) does again, over its own rows: 60, 120 (20).
    assert _excedentes() == {
        (principal.pk, "2026-05-01"): "0.0000",
        (repro.pk, "2026-05-02"): "0.0000",
        (principal.pk, "2026-05-03"): "20.0000",
        (repro.pk, "2026-05-04"): "0.0000",
    }
    despues = capturista.get(f"{URL}{tarde['id']}/")
    assert despues.json()["excedente"] == "20.0000"
    assert despues["ETag"] != antes["ETag"]
    (partida,) = capturista.get(f"/operaciones/api/ots/{principal.pk}/anexo/").json()["partidas"]
    assert (partida["volumen"], partida["ejecutado"], partida["excedente"]) == (
        "100.0000",
        "120.0000",
        "20.0000",
    )
    # As the dashboard, which leaves the deleted OT's production out of its totals.
    assert viewer.get("/operaciones/api/estadisticas/").json()["total_produccion"] == 2
    linea_r.refresh_from_db()
    assert (linea_r.ejecutado, linea_r.excedente) == (60, 0)

    # Later writes keep it out: 60, 120, 125.
    nueva = _post(capturista, csrf, principal, linea, "2026-05-05", "5")
    assert nueva.json()["excedente"] == "5.0000"
    assert _excedentes()[(repro.pk, "2026-05-04")] == "0.0000"


def test_a_deleted_principal_leaves_its_reprogrammings_alone(familia):
    """Whatever hid the principal (data older than the rule that it goes last), its rows
    stop counting once its family is recomputed."""
    principal, repro = familia["principal"], familia["reprogramacion"]
    ProduccionFactory(
        ot=principal,
        partida_anexo=familia["linea"],
        fecha_produccion=datetime.date(2026, 5, 1),
        volumen_produccion=100,
    )
    fila = ProduccionFactory(
        ot=repro,
        partida_anexo=familia["linea_r"],
        fecha_produccion=datetime.date(2026, 5, 2),
        volumen_produccion=50,
    )
    excedentes.recalcular_todo()
    fila.refresh_from_db()
    assert (fila.excedente, fila.version) == (30, 2)

    type(principal).all_objects.filter(pk=principal.pk).update(eliminado_en=timezone.now())
    assert excedentes.recalcular_familia(principal.pk) == 1

    fila.refresh_from_db()
    assert (fila.excedente, fila.version) == (0, 3)
    assert Produccion.objects.get(ot=principal).excedente == 0


def test_a_row_pushed_beyond_by_another_gets_a_new_etag(capturista, csrf, familia):
    principal, repro = familia["principal"], familia["reprogramacion"]
    creada = _post(capturista, csrf, principal, familia["linea"], "2026-05-10", "60")
    url = f"{URL}{creada.json()['id']}/"
    primera = capturista.get(url)
    assert primera.json()["excedente"] == "0.0000"

    # An earlier row of the family: 80, then 140 against the 120 authorised.
    _post(capturista, csrf, repro, familia["linea_r"], "2026-05-01", "80")

    segunda = capturista.get(url)
    assert segunda.json()["excedente"] == "20.0000"
    assert segunda["ETag"] != primera["ETag"]
    cambio = {"comentario": "revisado"}
    vieja = capturista.patch(url, cambio, content_type="application/json",
                             HTTP_IF_MATCH=primera["ETag"], **csrf(capturista))  # fmt: skip
    assert vieja.status_code == HTTPStatus.PRECONDITION_FAILED
    vigente = capturista.patch(url, cambio, content_type="application/json",
                               HTTP_IF_MATCH=segunda["ETag"], **csrf(capturista))  # fmt: skip
    assert vigente.status_code == HTTPStatus.OK
    assert vigente.json()["excedente"] == "20.0000"
    assert vigente["ETag"] != segunda["ETag"]
    # The recompute is the server's, not an edit: the log has the row's creation and the
    # comment, nothing about its excedente or version.
    registros = RegistroActividad.objects.filter(
        entidad="produccion", entidad_id=str(creada.json()["id"])
    )
    assert sorted(registros.values_list("accion", "campo")) == sorted(
        [(RegistroActividad.Accion.CREAR, ""), (RegistroActividad.Accion.MODIFICAR, "comentario")]
    )


def test_the_rows_a_write_hands_back_carry_their_recomputed_version(capturista, csrf, familia):
    principal, linea = familia["principal"], familia["linea"]
    fila = ProduccionFactory(
        ot=principal,
        partida_anexo=linea,
        fecha_produccion=datetime.date(2026, 5, 1),
        volumen_produccion=100,
    )
    url = f"{URL}{fila.pk}/"
    usuario = make_user()

    # Its own change pushes it beyond the 120 authorised: one version for the edit, one for
    # the excedente; the row handed back is the stored one.
    editada = services.produccion_actualizar(
        usuario=usuario, produccion_id=fila.pk, datos={"volumen_produccion": 150}
    )
    fila.refresh_from_db()
    assert (editada.excedente, editada.version) == (fila.excedente, fila.version) == (30, 3)
    (creada,) = services.produccion_crear_lote(
        usuario=usuario,
        filas=[
            {
                "ot": principal,
                "partida_anexo": linea,
                "fecha_produccion": datetime.date(2026, 5, 2),
                "volumen_produccion": Decimal("5"),
            }
        ],
    )
    assert (creada.excedente, creada.version) == (5, 2)
    creada.refresh_from_db()
    assert (creada.excedente, creada.version) == (5, 2)
    assert capturista.get(url)["ETag"] == f'"{fila.pk}-3"'
