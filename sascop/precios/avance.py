"""How far the reading of a workbook has got, for an import that runs as a queued task.

The task builds an `Avance` and hands it down, as the `avance` argument, through the import
service to the reader; the readers' row loop (`libro._filas`, which every import's reader goes
through) calls `Avance.fila()` once per row. The task is told the rows read at most once
every `cada` seconds: a write every half second, not one per row. The total it is measured
against is counted beforehand by `paquete.filas`. An import run in the request passes no
`avance`, and its rows are not counted.
"""

from __future__ import annotations

import time
from collections.abc import Callable

CADA_SEGUNDOS = 0.5


class Avance:
    """Counts rows and tells `informar` the count, at most once every `cada` seconds
    (`CADA_SEGUNDOS` when not given)."""

    def __init__(
        self,
        informar: Callable[[int], None],
        cada: float | None = None,
        reloj: Callable[[], float] = time.monotonic,
    ) -> None:
        self.informar = informar
        self.cada = CADA_SEGUNDOS if cada is None else cada
        self.reloj = reloj
        self.hechas = 0
        self.ultimo = reloj()

    def fila(self) -> None:
        """One more row read."""
        self.hechas += 1
        # The clock is read every 100 rows only: reading 50,000 rows costs 500 reads.
        if self.hechas % 100 == 0 and self.reloj() - self.ultimo >= self.cada:
            self.informar(self.hechas)
            self.ultimo = self.reloj()
