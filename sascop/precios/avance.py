"""How far the reading of a workbook has got, for an import that runs as a queued task.

The readers (`libro._filas`, which every import's reader goes through) call `fila_leida()`
once per row; it costs a context-variable lookup unless a task is listening (`informando`),
and then the task is told the rows read at most once every `cada` seconds: a write every
half second, not one per row. The total it is measured against is counted beforehand by
`paquete.filas`.
"""

from __future__ import annotations

import contextlib
import contextvars
import time
from collections.abc import Callable, Iterator

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
