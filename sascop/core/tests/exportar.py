"""What every list API that exports a workbook (`?formato=xlsx`) must do alike, checked the
same way for each: the parameters it refuses, the permission it needs, how it is documented."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from http import HTTPStatus
from io import BytesIO
from typing import Any

from django.test import Client
from openpyxl import load_workbook

from sascop.core import excel
from tests.envelope import assert_error


def hoja(response: Any, nombre: str, archivo: str = "") -> Any:
    """The sheet `nombre` of a workbook answered with 200, typed as one, its file name
    starting with `archivo`."""
    assert response.status_code == HTTPStatus.OK, response.content[:300]
    assert response["Content-Type"] == excel.XLSX
    assert response["Content-Disposition"].startswith(f'attachment; filename="{archivo}')
    return load_workbook(BytesIO(b"".join(response.streaming_content)))[nombre]


def primera_columna(hoja: Any) -> list[Any]:
    """The first cell of every row below the header."""
    return [fila[0] for fila in hoja.iter_rows(min_row=2, values_only=True)]


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


def leidas_por_lotes(
    django_assert_num_queries: Any,
    monkeypatch: Any,
    modulo: Any,
    por_lote: str,
    filas: Callable[[], Iterable[Any]],
) -> list[Any]:
    """The first cell of each row of `filas()`, an export of five rows read two at a time:
    one query reads the rows (through a cursor, a batch at a time) and `modulo.por_lote`
    is called once a batch (one query each), so the model objects are never built."""
    lotes: list[int] = []
    real = getattr(modulo, por_lote)

    def contando(ids: Iterable[int]) -> Any:
        ids = list(ids)
        lotes.append(len(ids))
        return real(ids)

    monkeypatch.setattr(modulo, por_lote, contando)
    with django_assert_num_queries(1 + 3):
        leidas = list(filas())

    assert lotes == [2, 2, 1]
    return [fila[0] for fila in leidas]
