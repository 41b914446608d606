"""How far the reading of a workbook has got, for an import that runs as a queued task.

The readers (`libro._filas`, which every import's reader goes through) call `fila_leida()`
once per row; it costs a context-variable lookup unless a task is listening (`informando`),
and then the task is told the rows read at most once every `cada` seconds: a write every
half second, not one per row. `filas_del_libro` counts a workbook's rows beforehand, without
reading its cells, to decide whether the import is large enough to queue and to know the
total the progress is measured against.
"""

from __future__ import annotations

import contextlib
import contextvars
import time
import zipfile
from collections.abc import Callable, Iterator
from typing import IO

_TROZO = 4 * 1024 * 1024
# Every row element of a sheet's XML starts so (`<row r="12" ...>`); `<rowBreaks>` does not.
_FILA = b"<row "
CADA_SEGUNDOS = 0.5


class Avance:
    """Counts rows and tells `informar` the count, at most once every `cada` seconds."""

    def __init__(
        self,
        informar: Callable[[int], None],
        cada: float = CADA_SEGUNDOS,
        reloj: Callable[[], float] = time.monotonic,
    ) -> None:
        self.informar = informar
        self.cada = cada
        self.reloj = reloj
        self.hechas = 0
        self.ultimo = reloj()

    def fila(self) -> None:
        self.hechas += 1
        # The clock is read every 100 rows only: reading 50,000 rows costs 500 reads.
        if self.hechas % 100 == 0 and self.reloj() - self.ultimo >= self.cada:
            self.informar(self.hechas)
            self.ultimo = self.reloj()


_actual: contextvars.ContextVar[Avance | None] = contextvars.ContextVar(
    "avance_de_lectura", default=None
)


@contextlib.contextmanager
def informando(informar: Callable[[int], None], cada: float | None = None) -> Iterator[Avance]:
    """While the block runs, the rows the readers read are counted and reported."""
    avance = Avance(informar, CADA_SEGUNDOS if cada is None else cada)
    token = _actual.set(avance)
    try:
        yield avance
    finally:
        _actual.reset(token)


def fila_leida() -> None:
    avance = _actual.get()
    if avance is not None:
        avance.fila()


def filas_del_libro(archivo: IO[bytes]) -> int | None:
    """How many rows the workbook's sheets hold (None when the file is no zip: the import
    refuses it the usual way). Streams the sheets' XML once; leaves the file at its start."""
    try:
        with zipfile.ZipFile(archivo) as paquete:
            total = 0
            for nombre in paquete.namelist():
                if nombre.startswith("xl/worksheets/") and nombre.endswith(".xml"):
                    total += _contar(paquete, nombre)
            return total
    except (zipfile.BadZipFile, OSError, EOFError, ValueError):
        return None
    finally:
        archivo.seek(0)


def _contar(paquete: zipfile.ZipFile, nombre: str) -> int:
    veces, cola = 0, b""
    with paquete.open(nombre) as parte:
        while trozo := parte.read(_TROZO):
            texto = cola + trozo
            # A mark split between two chunks is counted in the second (the tail is kept).
            veces += texto.count(_FILA) - cola.count(_FILA)
            cola = texto[-(len(_FILA) - 1) :]
    return veces
