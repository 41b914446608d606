"""Resource helpers: `client.ptes`, `client.ots`, `client.produccion`."""

from __future__ import annotations

import builtins
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sascop_client.client import Record, SascopClient


class Resource:
    """One collection of the operations API (list, get, create, update, delete)."""

    def __init__(self, client: SascopClient, path: str, items_key: str) -> None:
        self.client = client
        self.path = path
        self.items_key = items_key

    def list(self, **filters: Any) -> Iterator[Record]:
        """Every matching item, across all pages, fetched lazily (`estatus=2, buscar=…`)."""
        return self.client.iterate(self.path, self.items_key, filters)

    def get(self, id: int) -> Record:
        """One item; its `.etag` is what `update()`/`delete()` send as If-Match."""
        return self.client.get(f"{self.path}{id}/")

    def create(self, **fields: Any) -> Record:
        return self.client.post(self.path, json=fields)

    def update(self, id: int, etag: str | None = None, **fields: Any) -> Record:
        """Change some fields (PATCH). With `etag`, a stale copy raises PreconditionFailed."""
        return self.client.patch(f"{self.path}{id}/", json=fields, etag=etag)

    def delete(self, id: int, etag: str | None = None) -> None:
        self.client.delete(f"{self.path}{id}/", etag=etag)

    def create_many(self, rows: builtins.list[dict[str, Any]]) -> Record:
        """Bulk creation, all-or-nothing (production: `client.produccion.create_many`)."""
        return self.client.post(f"{self.path}lote/", json={"filas": rows})
