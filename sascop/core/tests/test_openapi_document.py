"""The OpenAPI document against what the API answers.

Several answers are built by plain functions (fast, exact keys of the contracts) and documented
by separate serializers; these tests hold the two together. Each answer is checked against the
schema the document gives for its path, method and status, made strict: every documented key
present, no undocumented key, every value of the documented type.
"""

from __future__ import annotations

import copy
from http import HTTPStatus
from typing import Any

import jsonschema
import pytest

from sascop.catalogos.serializers import CATALOGOS
from sascop.catalogos.tests.factories import (
    CicloGuardiaFactory,
    ClienteFactory,
    FrenteFactory,
    PartidaFactory,
    PasoFactory,
    PasoOtFactory,
    ResponsableFactory,
    SitioFactory,
    TipoPTEFactory,
    UnidadFactory,
)
from sascop.ots.tests.factories import OTFactory
from sascop.produccion.tests.factories import ProduccionFactory
from sascop.ptes.tests.factories import cuerpo_pte_nueva

pytestmark = pytest.mark.django_db


@pytest.fixture
def document(client) -> dict[str, Any]:
    response = client.get("/api/schema/", {"format": "json"})
    assert response.status_code == HTTPStatus.OK
    return response.json()


def _strict(schema: Any, components: dict[str, Any]) -> Any:
    """The schema with references inlined, `nullable` spelled in JSON Schema, and every object
    closed: all its properties required, nothing else allowed."""
    if isinstance(schema, list):
        return [_strict(item, components) for item in schema]
    if not isinstance(schema, dict):
        return schema
    if "$ref" in schema:
        return _strict(components[schema["$ref"].rsplit("/", 1)[1]], components)
    out = {key: _strict(value, components) for key, value in schema.items()}
    if out.pop("nullable", False):
        out = {"anyOf": [out, {"type": "null"}]}
    elif "properties" in out:
        out["required"] = sorted(out["properties"])
        out["additionalProperties"] = False
    return out


def assert_documented(document, method: str, path: str, response) -> None:
    operation = document["paths"][path][method.lower()]
    documented = operation["responses"][str(response.status_code)]
    schema = documented["content"]["application/json"]["schema"]
    strict = _strict(copy.deepcopy(schema), document["components"]["schemas"])
    jsonschema.validate(
        response.json(), strict, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )


@pytest.fixture
def datos(admin, csrf):
    """A PTE and an OT with steps, made through the API, and a production row."""
    body = cuerpo_pte_nueva(oficio_pte="PTE-1")
    PasoOtFactory()
    pte = admin.post(
        "/operaciones/api/ptes/",
        body,
        content_type="application/json",
        **csrf(admin),
    )
    assert pte.status_code == HTTPStatus.CREATED, pte.content
    ot = OTFactory(pte_id=pte.json()["id"])
    fila = ProduccionFactory(ot=ot)
    return {"pte": pte, "ot": ot, "fila": fila}


def test_every_pte_answer_is_documented(document, admin, csrf, datos):
    pte = datos["pte"].json()
    detalle = pte["detalles"][0]["id"]

    assert_documented(document, "POST", "/operaciones/api/ptes/", datos["pte"])
    listed = admin.get("/operaciones/api/ptes/")
    assert_documented(document, "GET", "/operaciones/api/ptes/", listed)
    detail = admin.get(f"/operaciones/api/ptes/{pte['id']}/")
    assert_documented(document, "GET", "/operaciones/api/ptes/{pte_id}/", detail)
    paso = admin.patch(
        f"/operaciones/api/ptes/{pte['id']}/pasos/{detalle}/",
        {"estatus": 3},
        content_type="application/json",
        **csrf(admin),
    )
    assert_documented(document, "PATCH", "/operaciones/api/ptes/{pte_id}/pasos/{detalle_id}/", paso)


def test_every_ot_answer_is_documented(document, admin, datos):
    ot = datos["ot"]

    assert_documented(document, "GET", "/operaciones/api/ots/", admin.get("/operaciones/api/ots/"))
    detail = admin.get(f"/operaciones/api/ots/{ot.pk}/")
    assert_documented(document, "GET", "/operaciones/api/ots/{ot_id}/", detail)


def test_every_production_answer_is_documented(document, admin, datos):
    fila = datos["fila"]

    listed = admin.get("/operaciones/api/produccion/")
    detail = admin.get(f"/operaciones/api/produccion/{fila.pk}/")

    assert_documented(document, "GET", "/operaciones/api/produccion/", listed)
    assert_documented(document, "GET", "/operaciones/api/produccion/{produccion_id}/", detail)


def test_the_dashboard_is_documented_with_every_breakdown(document, admin, datos):
    response = admin.get("/operaciones/api/estadisticas/")

    assert_documented(document, "GET", "/operaciones/api/estadisticas/", response)
    properties = document["components"]["schemas"]["Estadisticas"]["properties"]
    assert list(properties) == list(response.json())
    # Contract B's one number; the other amounts and volumes are decimal strings.
    assert properties["volumen_total"]["type"] == "number"
    assert document["components"]["schemas"]["ProduccionMes"]["properties"]["volumen"] == {
        "type": "string",
        "format": "decimal",
        "pattern": r"^-?\d{1,16}(?:\.\d{1,4})?$",
    }


def test_every_catalog_page_and_entry_is_documented(document, admin):
    TipoPTEFactory()
    ClienteFactory()
    ResponsableFactory()
    PasoFactory()
    PasoOtFactory()
    SitioFactory(frente=FrenteFactory())
    PartidaFactory(unidad=UnidadFactory())
    CicloGuardiaFactory()

    for nombre in CATALOGOS:
        page = admin.get(f"/operaciones/api/catalogos/{nombre}/")
        assert next(iter(page.json())) == nombre  # the items come under the catalog's name
        assert_documented(document, "GET", "/operaciones/api/catalogos/{nombre}/", page)
        entry = admin.get(f"/operaciones/api/catalogos/{nombre}/{page.json()[nombre][0]['id']}/")
        assert_documented(document, "GET", "/operaciones/api/catalogos/{nombre}/{id}/", entry)
    parameters = document["paths"]["/operaciones/api/catalogos/{nombre}/"]["get"]["parameters"]
    (nombre,) = [p for p in parameters if p["in"] == "path"]
    assert nombre["schema"] == {"type": "string", "enum": sorted(CATALOGOS)}


def test_auth_and_other_answers_are_documented(document, client, admin, user, password):
    anonymous = client.get("/api/session/")
    login = client.post(
        "/api/login/", {"username": "ana", "password": password}, content_type="application/json"
    )

    assert_documented(document, "GET", "/api/session/", anonymous)
    assert_documented(document, "POST", "/api/login/", login)
    assert_documented(document, "GET", "/api/session/", client.get("/api/session/"))
    assert_documented(document, "GET", "/api/user/", client.get("/api/user/"))
    assert_documented(document, "GET", "/api/csrf/", client.get("/api/csrf/"))
    estatus = admin.get("/operaciones/api/catalogos/estatus/")
    assert_documented(document, "GET", "/operaciones/api/catalogos/estatus/", estatus)
    actividad = admin.get("/operaciones/api/actividad/")
    assert actividad.json()["actividad"]  # the logins above
    assert_documented(document, "GET", "/operaciones/api/actividad/", actividad)


def test_contract_b_login_and_logout_are_documented(document):
    login = document["paths"]["/accounts/login/"]
    logout = document["paths"]["/accounts/logout/"]

    assert set(login) == {"get", "post"}
    assert set(login["post"]["requestBody"]["content"]) == {
        "application/json",
        "application/x-www-form-urlencoded",
        "multipart/form-data",
    }
    assert login["post"]["responses"]["200"]["content"]["application/json"]["schema"] == {
        "oneOf": [
            {"$ref": "#/components/schemas/LoginOutput"},
            {"$ref": "#/components/schemas/MfaRequired"},
        ]
    }
    assert set(login["post"]["responses"]["401"]["content"]) == {"application/json", "text/html"}
    assert "Location" in login["post"]["responses"]["302"]["headers"]
    assert set(logout) == {"post"}
    assert logout["post"]["responses"]["200"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Message"
    }


def test_decimal_inputs_are_documented_as_drf_reads_them(document):
    schemas = document["components"]["schemas"]

    assert schemas["PTEInputRequest"]["properties"]["total_homologado"]["pattern"] == (
        r"^\d{1,14}(?:\.\d{1,2})?$"
    )
    assert schemas["PTEItem"]["properties"]["total_homologado"]["pattern"] == (
        r"^-?\d{1,14}(?:\.\d{1,2})?$"
    )


class _Answer:
    def __init__(self, status_code: int, body: Any) -> None:
        self.status_code, self.body = status_code, body

    def json(self) -> Any:
        return self.body


def test_the_strict_check_refuses_a_missing_or_an_extra_key(document, admin, user):
    body = admin.get("/api/user/").json()
    missing = {key: value for key, value in body.items() if key != "email"}

    with pytest.raises(jsonschema.ValidationError):
        assert_documented(document, "GET", "/api/user/", _Answer(200, {**body, "extra": 1}))
    with pytest.raises(jsonschema.ValidationError):
        assert_documented(document, "GET", "/api/user/", _Answer(200, missing))
