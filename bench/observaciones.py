#!/usr/bin/env python3
"""The refused anexo handed back with OBSERVACIONES: memory and time against the workbook's size.

Builds anexo workbooks of `--filas` rows each (one programmed day per row, every other row
wrong) and, for each size, annotates them two ways:

* whole: openpyxl loads the workbook (`load_workbook`, every cell an object), one column is
  added, it is saved — what the download did until it streamed;
* streamed: `sascop.precios.libros_salida.con_observaciones` (read-only in, write-only out).

Prints, per size, the peak of Python allocations (tracemalloc) of each way as a multiple of the
workbook's size in bytes, the streamed way's share of the whole way's peak, and the time of
each (median of `--rounds`, measured without tracemalloc). Exits 1 if the streamed peak grows
faster than the workbook: its multiple at the largest size more than 1.5 times the smallest's.

    .venv/bin/python bench/observaciones.py [--filas 5000 20000 50000] [--rounds 3]
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import openpyxl

from sascop.precios.libros_salida import con_observaciones

ENCABEZADO = ["ANEXO", "PARTIDA", "CONCEPTO", "UNIDAD", "VOLUMEN PTE", "P.U. M.N.", "P.U. USD"]
FILA_ENCABEZADO = 4
CRECIMIENTO_MAXIMO = 1.5


def construir(filas: int) -> tuple[bytes, list[dict[str, Any]]]:
    libro = openpyxl.Workbook(write_only=True)
    hoja = libro.create_sheet("Anexo OT")
    hoja.append(["PEMEX EXPLORACIÓN Y PRODUCCIÓN"])
    hoja.append(["CONTRATO 640857800"])
    hoja.append([])
    hoja.append([*ENCABEZADO, "2026-03-02"])
    errores = []
    for n in range(filas):
        fila = FILA_ENCABEZADO + 1 + n
        hoja.append(["C-2", f"{n // 100}.{n % 100}", f"Concepto {n}", "DIA", 2, 10 + n, None, 1])
        if n % 2:
            errores.append(
                {
                    "fila": fila,
                    "partida": f"{n // 100}.{n % 100}",
                    "errores": [f"La partida {n // 100}.{n % 100} no está en el catálogo."],
                }
            )
    salida = io.BytesIO()
    libro.save(salida)
    return salida.getvalue(), errores


def entero(contenido: bytes, errores: list[dict[str, Any]]) -> bytes:
    libro = openpyxl.load_workbook(io.BytesIO(contenido))
    hoja = libro.worksheets[0]
    columna = hoja.max_column + 1
    hoja.cell(row=FILA_ENCABEZADO, column=columna, value="OBSERVACIONES")
    for fila in errores:
        hoja.cell(row=fila["fila"], column=columna, value=" ".join(fila["errores"]))
    salida = io.BytesIO()
    libro.save(salida)
    return salida.getvalue()


def transmitido(contenido: bytes, errores: list[dict[str, Any]]) -> bytes:
    return con_observaciones(contenido, FILA_ENCABEZADO, errores)


def pico(forma: Callable[[bytes, list[dict[str, Any]]], bytes], *args: Any) -> int:
    tracemalloc.start()
    try:
        forma(*args)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def segundos(forma: Callable[..., bytes], rondas: int, *args: Any) -> float:
    tiempos = []
    for _ in range(rondas):
        empezado = time.perf_counter()
        forma(*args)
        tiempos.append(time.perf_counter() - empezado)
    return statistics.median(tiempos)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--filas", type=int, nargs="+", default=[5000, 20000, 50000])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    print(
        f"{'filas':>7} {'libro KiB':>9} {'pico entero':>12} {'pico transm.':>13} "
        f"{'transm./entero':>14} {'s entero':>9} {'s transm.':>10}"
    )
    multiplos = []
    for filas in args.filas:
        contenido, errores = construir(filas)
        tamano = len(contenido)
        pico_entero = pico(entero, contenido, errores)
        pico_transmitido = pico(transmitido, contenido, errores)
        multiplos.append(pico_transmitido / tamano)
        print(
            f"{filas:>7} {tamano // 1024:>9} {pico_entero / tamano:>11.1f}x "
            f"{pico_transmitido / tamano:>12.1f}x {pico_transmitido / pico_entero:>14.2f} "
            f"{segundos(entero, args.rounds, contenido, errores):>9.2f} "
            f"{segundos(transmitido, args.rounds, contenido, errores):>10.2f}"
        )
    crecimiento = multiplos[-1] / multiplos[0]
    print(f"streamed peak per workbook byte, largest over smallest: {crecimiento:.2f}")
    return 0 if crecimiento <= CRECIMIENTO_MAXIMO else 1


if __name__ == "__main__":
    sys.exit(main())
