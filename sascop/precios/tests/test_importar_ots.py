"""Importing the client's register of OTs: the endpoint, the command, re-programmings before
their principal, typo'd dates, unknown catalog ids, idempotence, one row refused and the
rest in."""

from __future__ import annotations

import datetime
from decimal import Decimal
from http import HTTPStatus
from io import StringIO
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sascop.actividad.models import RegistroActividad
from sascop.catalogos.models import Cliente, Frente, PasoOt, Sitio
from sascop.catalogos.tests.factories import FrenteFactory, ResponsableFactory
from sascop.ots.models import OT, OTDetalle
from sascop.precios.tests.libros import xlsx
from sascop.ptes.tests.factories import PTEFactory

# A client that asks for Spanish: the messages asserted are the users' wording.
ES_MX = {"HTTP_ACCEPT_LANGUAGE": "es-MX"}
pytestmark = pytest.mark.django_db
URL = "/operaciones/api/ots/importar/"
COLUMNAS = [
    "id", "orden_trabajo", "descripcion_trabajo", "responsable_cliente", "oficio_ot",
    "fecha_inicio_programado", "fecha_termino_programado", "estatus", "comentario",
    "id_estatus_ot_id", "id_pte_header_id", "id_responsable_proyecto_id", "id_tipo_id",
    "num_reprogramacion", "ot_principal", "fecha_inicio_real", "fecha_termino_real",
    "monto_mxn", "monto_usd", "id_frente", "id_intercom", "id_patio", "id_plataforma",
    "id_embarcacion", "plazo_dias", "id_cliente_id",
]  # fmt: skip


def ot(orden: str, **cambios: Any) -> list[Any]:
    """A register row: an initial OT in execution, with every column filled."""
    fila = {
        "id": 100,
        "orden_trabajo": orden,
        "descripcion_trabajo": f"Trabajos de {orden}",
        "responsable_cliente": "ING. LUIS GÓMEZ",
        "oficio_ot": f"OF-{orden}",
        "fecha_inicio_programado": datetime.datetime(2023, 1, 10),
        "fecha_termino_programado": "28/02/2023",
        "estatus": "EN EJECUCIÓN",
        "comentario": None,
        "id_estatus_ot_id": 8,
        "id_pte_header_id": None,
        "id_responsable_proyecto_id": 3,
        "id_tipo_id": 4,
        "num_reprogramacion": None,
        "ot_principal": None,
        "fecha_inicio_real": None,
        "fecha_termino_real": None,
        "monto_mxn": 13362307.239999998,
        "monto_usd": 0,
        "id_frente": 1,
        "id_intercom": None,
        "id_patio": None,
        "id_plataforma": None,
        "id_embarcacion": None,
        "plazo_dias": 49,
        "id_cliente_id": 2,
        **cambios,
    }
    return [fila[c] for c in COLUMNAS]


def reprogramacion(orden: str, numero: int, **cambios: Any) -> list[Any]:
    return ot(
        orden,
        id_tipo_id=5,
        num_reprogramacion=numero,
        ot_principal=orden,
        oficio_ot=f"OF-{orden}",
        **cambios,
    )


def registro(*filas: list[Any]) -> bytes:
    return xlsx({"ot": [COLUMNAS, *filas]})


def registro_del_cliente() -> bytes:
    """Re-programmings above their principal, typo'd dates, unknown catalog ids, a PTE that
    exists and one that does not, a row that cannot be taken."""
    return registro(
        reprogramacion("OT-1", 2, id_embarcacion=9, id_estatus_ot_id=5),  # row 2
        reprogramacion("OT-1", 1, id_estatus_ot_id=10, fecha_termino_real="13/112023"),  # 3
        ot("OT-1", id_pte_header_id="BME-3801-015-2023", id_embarcacion=9, id_plataforma=4,
           id_intercom=5, id_patio=6, id_estatus_ot_id=10),  # 4
        ot("OT-2", id_pte_header_id="BME-0000-999-2022", fecha_inicio_programado="15/04/204",
           fecha_inicio_real="03/02/2023"),  # 5
        ot("OT-3", id_estatus_ot_id=99),  # 6
        reprogramacion("OT-9", 1),  # 7: its principal is nowhere
    )  # fmt: skip


@pytest.fixture
def ingenieria(role_client):
    return role_client("Ingeniería")


@pytest.fixture
def catalogos():
    """What the installation knows of the previous system's ids: frente 1, responsable 3."""
    return {
        "frente": FrenteFactory(descripcion="Litoral de Tabasco", clave_anterior=1),
        "responsable": ResponsableFactory(nombre="Ana Ruiz", clave_anterior=3),
    }


def importar(client, csrf, datos: bytes, **extra: Any):
    archivo = SimpleUploadedFile("registro.xlsx", datos)
    return client.post(URL, {"archivo": archivo, **extra}, **csrf(client), **ES_MX)


def test_the_clients_register_loads_and_names_what_it_could_not_take(ingenieria, csrf, catalogos):
    pte = PTEFactory(oficio_pte="BME-3801-015-2023")

    response = importar(ingenieria, csrf, registro_del_cliente())

    assert response.status_code == HTTPStatus.OK, response.content
    assert response.json() == {
        "simulada": False,
        "mensaje": (
            "4 OT nuevas, 0 actualizadas y 0 sin cambios. 2 filas no se pudieron importar. "
            "2 advertencias. Se crearon 5 entradas de catálogo por nombrar."
        ),
        "creadas": 4,
        "actualizadas": 0,
        "sin_cambios": 0,
        "rechazadas": [
            {
                "fila": 6,
                "orden_trabajo": "OT-3",
                "errores": ["id_estatus_ot_id «99» no es un estatus de OT."],
            },
            {
                "fila": 7,
                "orden_trabajo": "OT-9",
                "errores": [
                    "La OT principal OT-9 de esta reprogramación no está en el registro ni en "
                    "el sistema."
                ],
            },
        ],
        "advertencias": [
            {
                "fila": 3,
                "orden_trabajo": "OT-1",
                "columna": "fecha_termino_real",
                "mensaje": "Fila 3, columna fecha_termino_real: «13/112023» no es una fecha "
                "dd/mm/aaaa; la OT se importó sin esa fecha.",
            },
            {
                "fila": 5,
                "orden_trabajo": "OT-2",
                "columna": "fecha_inicio_programado",
                "mensaje": "Fila 5, columna fecha_inicio_programado: «15/04/204» no es una "
                "fecha dd/mm/aaaa; la OT se importó sin esa fecha.",
            },
        ],
        # In the order the rows are stored (principals first), each catalog in the
        # register's column order.
        "catalogos_creados": [
            {"catalogo": "sitios", "clave_anterior": 9, "nombre": "Embarcación 9 (por nombrar)"},
            {"catalogo": "sitios", "clave_anterior": 4, "nombre": "Plataforma 4 (por nombrar)"},
            {"catalogo": "sitios", "clave_anterior": 5, "nombre": "Intercom 5 (por nombrar)"},
            {"catalogo": "sitios", "clave_anterior": 6, "nombre": "Patio 6 (por nombrar)"},
            {"catalogo": "clientes", "clave_anterior": 2, "nombre": "Cliente 2 (por nombrar)"},
        ],
    }
    principal = OT.objects.get(orden_trabajo="OT-1", num_reprogramacion=0)
    assert (principal.pte, principal.referencia_pte, principal.estatus) == (pte, "", 10)
    assert (principal.monto_mxn, principal.plazo_dias) == (Decimal("13362307.24"), 49)
    assert (principal.fecha_inicio_programado, principal.fecha_termino_programado) == (
        datetime.date(2023, 1, 10),
        datetime.date(2023, 2, 28),
    )
    assert (principal.frente, principal.responsable_proyecto) == (
        catalogos["frente"],
        catalogos["responsable"],
    )
    assert [str(lugar) for lugar in (principal.embarcacion, principal.plataforma)] == [
        "Embarcación 9 (por nombrar)",
        "Plataforma 4 (por nombrar)",
    ]
    assert (principal.intercom.tipo, principal.patio.tipo) == ("intercom", "patio")
    reprogramaciones = OT.objects.filter(ot_principal=principal).order_by("num_reprogramacion")
    assert [(r.num_reprogramacion, r.estatus, r.fecha_termino_real) for r in reprogramaciones] == [
        (1, 10, None),
        (2, 5, None),
    ]
    assert reprogramaciones[1].embarcacion == principal.embarcacion
    segunda = OT.objects.get(orden_trabajo="OT-2")
    assert (segunda.pte, segunda.referencia_pte) == (None, "BME-0000-999-2022")
    assert (segunda.fecha_inicio_programado, segunda.fecha_inicio_real) == (
        None,
        datetime.date(2023, 2, 3),
    )
    assert Cliente.objects.get(clave_anterior=2).descripcion == "Cliente 2 (por nombrar)"
    pasos = PasoOt.objects.filter(activo=True).count()
    assert OTDetalle.objects.filter(ot=principal).count() == pasos


def test_the_same_register_twice_creates_and_changes_nothing(ingenieria, csrf, catalogos):
    importar(ingenieria, csrf, registro_del_cliente())
    antes = list(OT.objects.order_by("pk").values_list("pk", "version"))
    catalogo = (Sitio.objects.count(), Cliente.objects.count(), Frente.objects.count())
    registros = RegistroActividad.objects.count()

    response = importar(ingenieria, csrf, registro_del_cliente())

    cuerpo = response.json()
    assert (cuerpo["creadas"], cuerpo["actualizadas"], cuerpo["sin_cambios"]) == (0, 0, 4)
    assert cuerpo["catalogos_creados"] == []
    assert len(cuerpo["rechazadas"]) == 2
    assert list(OT.objects.order_by("pk").values_list("pk", "version")) == antes
    assert (Sitio.objects.count(), Cliente.objects.count(), Frente.objects.count()) == catalogo
    assert RegistroActividad.objects.count() == registros


def test_a_changed_row_is_an_update_with_its_log(ingenieria, csrf, catalogos):
    importar(ingenieria, csrf, registro(ot("OT-1"), reprogramacion("OT-1", 1)))
    reprogramada = OT.objects.get(num_reprogramacion=1)

    response = importar(
        ingenieria,
        csrf,
        registro(ot("OT-1"), reprogramacion("OT-1", 1, id_estatus_ot_id=10, monto_usd=99.5)),
    )

    assert (response.json()["actualizadas"], response.json()["sin_cambios"]) == (1, 1)
    reprogramada.refresh_from_db()
    assert (reprogramada.estatus, reprogramada.monto_usd, reprogramada.version) == (
        10,
        Decimal("99.50"),
        2,
    )
    cambios = RegistroActividad.objects.filter(accion="modificar", entidad_id=str(reprogramada.pk))
    assert sorted(cambios.values_list("campo", "valor_nuevo")) == [
        ("estatus", "10"),
        ("monto_usd", "99.50"),
    ]


def test_a_renamed_placeholder_is_the_one_the_next_import_uses(ingenieria, csrf, catalogos):
    importar(ingenieria, csrf, registro(ot("OT-1", id_embarcacion=9)))
    barco = Sitio.objects.get(tipo="embarcacion")
    Sitio.objects.filter(pk=barco.pk).update(descripcion="DSV Caballo de Mar")

    response = importar(ingenieria, csrf, registro(ot("OT-2", id_embarcacion=9)))

    assert response.json()["catalogos_creados"] == []
    assert str(OT.objects.get(orden_trabajo="OT-2").embarcacion) == "DSV Caballo de Mar"


def test_an_oficio_of_another_family_refuses_that_row_only(ingenieria, csrf, catalogos):
    response = importar(ingenieria, csrf, registro(ot("OT-1"), ot("OT-2", oficio_ot="OF-OT-1")))

    assert response.json()["creadas"] == 1
    assert response.json()["rechazadas"] == [
        {
            "fila": 3,
            "orden_trabajo": "OT-2",
            "errores": ["El oficio «OF-OT-1» ya es de la OT OT-1."],
        },
    ]
    assert list(OT.objects.values_list("orden_trabajo", flat=True)) == ["OT-1"]


def test_the_same_ot_twice_in_the_register_is_refused_the_second_time(ingenieria, csrf, catalogos):
    response = importar(ingenieria, csrf, registro(ot("OT-1"), ot("OT-1", monto_usd=5)))

    assert response.json()["rechazadas"] == [
        {"fila": 3, "orden_trabajo": "OT-1", "errores": ["La OT OT-1 ya está en la fila 2."]}
    ]
    assert OT.objects.get().monto_usd == Decimal("0.00")


def test_a_re_programming_of_a_refused_principal_says_which_row(ingenieria, csrf, catalogos):
    response = importar(
        ingenieria, csrf, registro(reprogramacion("OT-1", 1), ot("OT-1", id_estatus_ot_id=99))
    )

    assert response.json()["rechazadas"] == [
        {
            "fila": 2,
            "orden_trabajo": "OT-1",
            "errores": [
                "La OT principal OT-1 de esta reprogramación no se pudo importar (fila 3)."
            ],
        },
        {
            "fila": 3,
            "orden_trabajo": "OT-1",
            "errores": ["id_estatus_ot_id «99» no es un estatus de OT."],
        },
    ]
    assert not OT.objects.exists()


def test_a_dry_run_answers_the_same_and_stores_nothing(ingenieria, csrf, catalogos):
    response = importar(ingenieria, csrf, registro_del_cliente(), simular="true")

    assert response.status_code == HTTPStatus.OK
    assert (response.json()["simulada"], response.json()["creadas"]) == (True, 4)
    assert response.json()["mensaje"].startswith("Vista previa: no se guardó nada. 4 OT nuevas")
    assert len(response.json()["catalogos_creados"]) == 5
    assert not OT.objects.exists()
    assert not Sitio.objects.exists()
    assert not RegistroActividad.objects.filter(entidad="ot").exists()


def test_a_workbook_that_is_not_a_register_is_a_422(ingenieria, csrf):
    response = importar(ingenieria, csrf, xlsx({"Hoja": [["PARTIDA", "CONCEPTO"], ["1", "x"]]}))

    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert response.json()["detail"].startswith("No se encontró el encabezado")


def test_a_file_that_is_not_a_workbook_is_a_400(ingenieria, csrf):
    response = importar(ingenieria, csrf, b"orden_trabajo,descripcion\nOT-1,x\n")

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json()["code"] == "invalid_workbook"


def test_importing_needs_the_ot_permissions(role_client, csrf):
    consulta = role_client("Consulta")

    response = importar(consulta, csrf, registro(ot("OT-1")))

    assert response.status_code == HTTPStatus.FORBIDDEN
    assert not OT.objects.exists()


def test_each_old_catalog_id_is_looked_up_once_not_once_per_row(ingenieria, csrf, catalogos):
    def consultas_de_frentes(filas: int) -> int:
        OT.objects.all().delete()
        datos = registro(*(ot(f"OT-{n}") for n in range(filas)))
        with CaptureQueriesContext(connection) as consultas:
            assert importar(ingenieria, csrf, datos).json()["creadas"] == filas
        return sum(
            'FROM "catalogos_frente"' in q["sql"] and "clave_anterior" in q["sql"]
            for q in consultas.captured_queries
        )

    assert consultas_de_frentes(1) == consultas_de_frentes(10)


def test_the_command_imports_and_names_refused_rows(tmp_path, catalogos):
    archivo = tmp_path / "registro.xlsx"
    archivo.write_bytes(registro_del_cliente())
    salida, errores = StringIO(), StringIO()

    with pytest.raises(CommandError, match="2 fila"):
        call_command("importar_ots", str(archivo), stdout=salida, stderr=errores)

    assert "4 OT nuevas, 0 actualizadas y 0 sin cambios." in salida.getvalue()
    assert "Catálogo sitios: se creó «Embarcación 9 (por nombrar)»." in salida.getvalue()
    assert "Fila 6 (OT-3): id_estatus_ot_id «99» no es un estatus de OT." in errores.getvalue()
    assert OT.objects.count() == 4


def test_the_command_dry_run_stores_nothing(tmp_path, catalogos):
    archivo = tmp_path / "registro.xlsx"
    archivo.write_bytes(registro(ot("OT-1")))
    salida = StringIO()

    call_command("importar_ots", str(archivo), "--simular", stdout=salida)

    assert "Vista previa: no se guardó nada. 1 OT nueva" in salida.getvalue()
    assert not OT.objects.exists()


def test_the_ot_api_shows_the_four_places_and_filters_by_them(ingenieria, csrf, catalogos):
    importar(ingenieria, csrf, registro(ot("OT-1", id_embarcacion=9, id_patio=6), ot("OT-2")))
    barco = Sitio.objects.get(tipo="embarcacion")
    principal = OT.objects.get(orden_trabajo="OT-1")

    detalle = ingenieria.get(f"/operaciones/api/ots/{principal.pk}/").json()
    lista = ingenieria.get("/operaciones/api/ots/", {"embarcacion": barco.pk}).json()

    assert (detalle["embarcacion"], detalle["embarcacion_id"]) == (
        "Embarcación 9 (por nombrar)",
        barco.pk,
    )
    assert (detalle["patio"], detalle["plataforma"], detalle["intercom"]) == (
        "Patio 6 (por nombrar)",
        None,
        None,
    )
    assert [o["orden_trabajo"] for o in lista["ots"]] == ["OT-1"]
