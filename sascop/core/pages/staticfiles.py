"""Static files taken from npm packages (node_modules/, installed by `npm ci` from the
committed package-lock.json): only the files named in `settings.NODE_STATIC_FILES`, so
`collectstatic` publishes a chart library's one browser build, not its whole package."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from typing import Any, Literal, overload

from django.conf import settings
from django.contrib.staticfiles.finders import BaseFinder
from django.core.checks import CheckMessage
from django.core.checks import Warning as CheckWarning
from django.core.files.storage import FileSystemStorage


def _files() -> dict[str, Path]:
    root = Path(settings.NODE_MODULES_DIR)
    return {url: root / source for url, source in settings.NODE_STATIC_FILES.items()}


class NodeModulesFinder(BaseFinder):
    """Finds `settings.NODE_STATIC_FILES` ({static path: path under NODE_MODULES_DIR})."""

    def check(self, **kwargs: Any) -> list[CheckMessage]:
        return [
            CheckWarning(
                f"{source} is missing; run `npm ci` (python3 dev.py run does).",
                id="sascop.W003",
            )
            for source in _files().values()
            if not source.is_file()
        ]

    @overload
    def find(self, path: str, find_all: Literal[False] = False) -> str | None: ...

    @overload
    def find(self, path: str, find_all: Literal[True]) -> list[str]: ...

    def find(self, path: str, find_all: bool = False) -> str | list[str] | None:
        source = _files().get(path)
        found = str(source) if source is not None and source.is_file() else None
        if find_all:
            return [found] if found else []
        return found

    def list(self, ignore_patterns: Any) -> Iterator[tuple[str, FileSystemStorage]]:
        for url, source in _files().items():
            if not source.is_file():
                continue
            storage = FileSystemStorage(location=source.parent)
            # collectstatic puts a file from a storage with a prefix under that prefix.
            storage.prefix = str(PurePosixPath(url).parent)  # type: ignore[attr-defined]
            yield source.name, storage
