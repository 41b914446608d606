"""What every list API that exports a workbook (`?formato=xlsx`) must do alike, checked the
same way for each: the parameters it refuses, the permission it needs, how it is documented."""

from __future__ import annotations

from http import HTTPStatus

from django.test import Client

from sascop.core import excel
from tests.envelope import assert_error


def assert_refuses_what_it_cannot_use(c: Client, api: str) -> None:
    """An unknown format, a page size or a filter the list refuses: 400 `invalid`."""
    assert_error(c.get(api, {"formato": "csv"}), HTTPStatus.BAD_REQUEST, "invalid")
    demasiadas: dict[str, str | int] = {"formato": "xlsx", "elementos_por_pagina": 500}
    assert_error(c.get(api, demasiadas), HTTPStatus.BAD_REQUEST, "invalid")
    assert_error(c.get(api, {"formato": "xlsx", "cliente": "x"}), HTTPStatus.BAD_REQUEST, "invalid")


def assert_needs_the_lists_permission(c: Client, api: str, page: str) -> None:
    """`c` is logged in without the list's permission: neither export is given to it."""
    assert_error(c.get(api, {"formato": "xlsx"}), HTTPStatus.FORBIDDEN, "permission_denied")
    assert c.get(f"{page}?exportar=xlsx").status_code == HTTPStatus.FORBIDDEN


def assert_documented(c: Client, api: str, json_schema: str) -> None:
    """The OpenAPI document names `formato` and both answers, JSON as the `json_schema`."""
    document = c.get("/api/schema/", {"format": "json"}).json()
    operation = document["paths"][api]["get"]

    formato = next(p for p in operation["parameters"] if p["name"] == "formato")
    assert formato["schema"] == {"type": "string", "enum": ["json", "xlsx"]}
    content = operation["responses"]["200"]["content"]
    assert set(content) == {"application/json", excel.XLSX}
    assert content["application/json"]["schema"] == {"$ref": f"#/components/schemas/{json_schema}"}
