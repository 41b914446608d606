#!/usr/bin/env python3
"""Price-book import: a 5,000-concept workbook, beside bare openpyxl reading the same file.

Builds a workbook shaped like the client's (title lines, header variants, section rows every
25 concepts, keys as text and as numbers, accented units) with `--conceptos` concepts over
`--anexos` sheets. In one run it times, median of `--rounds`:

* bare openpyxl (read-only, values only) going through every row: the yardstick;
* the project's reader (`sascop.precios.libro.leer_libro`) on the same file;
* over HTTP, through gunicorn, `POST /operaciones/api/precios/importar/`: the first import
  (every concept created and logged), the same book again (nothing changes), and a book with
  every price changed (every concept updated, each change logged).

Prints each figure and its ratio to bare openpyxl, and exits 1 if an import takes a minute or
more. Uses DATABASE_URL / REDIS_URL if set (a scratch database with no price book: the
imports stay in it), else a fresh SQLite file.

    .venv/bin/python bench/precios.py [--conceptos 5000] [--anexos 10] [--rounds 3]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import openpyxl

from bench.common import BASE_ENV, gunicorn, login, manage, request
from sascop.precios.libro import leer_libro

USERNAME, PASSWORD = "bench", "Banco-De-Pruebas-2026"
UNIDADES = ["Día", "DÍA", "HOM/DÍA", "H-H", "JORNADA", "M2", "PZA."]
SECCION_CADA = 25
LIMITE_S = 60.0


def construir(destino: Path, conceptos: int, anexos: int, aumento: float) -> None:
    libro = openpyxl.Workbook(write_only=True)
    por_anexo = -(-conceptos // anexos)
    hechos = 0
    for a in range(anexos):
        hoja = libro.create_sheet(f"C-{a + 1}")
        hoja.append(["PEMEX EXPLORACIÓN Y PRODUCCIÓN"])
        hoja.append([f"CONTRATO 640857800 ANEXO C-{a + 1}"])
        hoja.append([])
        if a % 2:
            hoja.append(["PART.", "DESCRIPCIÓN DE CONCEPTOS", "UNID.", "CANT.", "PRECIO UNITARIO"])
            hoja.append([None, None, None, None, "M.N.", "U.S.D."])
        else:
            hoja.append(
                ["PARTIDA", "CONCEPTO", "UNIDAD", "CANTIDADES DE REFERENCIA", "P.U. MN", "P.U. USD"]
            )
        for n in range(min(por_anexo, conceptos - hechos)):
            seccion, orden = divmod(n, SECCION_CADA)
            if orden == 0:
                hoja.append([None, f"Sección {seccion + 1}: trabajos de buceo y ductos"])
            clave: object = (
                f"{seccion + 1}.{orden + 1}." if n % 3 else float(f"{seccion + 1}.{orden + 1}")
            )
            if orden + 1 in (10, 20):  # 2.10 as a number would be 2.1: keep those as text
                clave = f"{seccion + 1}.{orden + 1}"
            hoja.append(
                [
                    clave,
                    f"Inspección y limpieza de ducto de {8 + n % 30} pulgadas, concepto {n}",
                    UNIDADES[n % len(UNIDADES)],
                    n % 50 or None,
                    round(100 + n * 1.25 + aumento, 2),
                    round(n * 0.05, 2) if n % 4 == 0 else None,
                ]
            )
            hechos += 1
    libro.save(destino)


def bare_openpyxl(ruta: Path) -> int:
    libro = openpyxl.load_workbook(ruta, read_only=True, data_only=True)
    filas = 0
    for hoja in libro.worksheets:
        hoja.reset_dimensions()
        for _ in hoja.iter_rows(values_only=True):
            filas += 1
    libro.close()
    return filas


def lector(ruta: Path) -> int:
    with ruta.open("rb") as archivo:
        libro = leer_libro(archivo)
    if libro.errores:
        raise RuntimeError(f"the bench workbook has errors: {libro.errores[:3]}")
    return len(libro.conceptos)


def mediana(funcion: Callable[[], object], rondas: int) -> tuple[float, object]:
    tiempos = []
    resultado: object = None
    for _ in range(rondas):
        inicio = time.perf_counter()
        resultado = funcion()
        tiempos.append(time.perf_counter() - inicio)
    return statistics.median(tiempos), resultado


def subir(url: str, cookie: str, ruta: Path) -> tuple[float, dict[str, object]]:
    csrf = next(p.split("=", 1)[1] for p in cookie.split("; ") if p.startswith("csrftoken="))
    limite = uuid.uuid4().hex
    cuerpo = (
        (
            f'--{limite}\r\nContent-Disposition: form-data; name="archivo"; '
            f'filename="{ruta.name}"\r\nContent-Type: application/octet-stream\r\n\r\n'
        ).encode()
        + ruta.read_bytes()
        + f"\r\n--{limite}--\r\n".encode()
    )
    cabeceras = {
        "Cookie": cookie,
        "X-CSRFToken": csrf,
        "Referer": url + "/",
        "Content-Type": f"multipart/form-data; boundary={limite}",
    }
    inicio = time.perf_counter()
    status, _, datos = request(url, "POST", "/operaciones/api/precios/importar/", cabeceras, cuerpo)
    segundos = time.perf_counter() - inicio
    if status != 200:
        raise RuntimeError(f"import answered {status}: {datos[:500]!r}")
    return segundos, json.loads(datos)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--conceptos", type=int, default=5000)
    parser.add_argument("--anexos", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        libro, cambiado = Path(tmp) / "catalogo.xlsx", Path(tmp) / "catalogo-nuevo.xlsx"
        construir(libro, args.conceptos, args.anexos, aumento=0)
        construir(cambiado, args.conceptos, args.anexos, aumento=1.5)
        print(
            f"Workbook: {args.conceptos} concepts in {args.anexos} sheets, "
            f"{libro.stat().st_size / 1024:.0f} KiB"
        )
        bare, filas = mediana(lambda: bare_openpyxl(libro), args.rounds)
        leido, conceptos = mediana(lambda: lector(libro), args.rounds)
        if conceptos != args.conceptos:
            raise RuntimeError(f"read {conceptos} concepts, expected {args.conceptos}")

        database = os.environ.get("DATABASE_URL") or f"sqlite:///{tmp}/precios.sqlite3"
        env = {**BASE_ENV, "DATABASE_URL": database, "REDIS_URL": os.environ.get("REDIS_URL", "")}
        # What is measured is the request's own import, not the task queue's.
        env["IMPORTAR_FILAS_EN_TAREA"] = str(10 * args.conceptos)
        backend = database.split(":", 1)[0] + (" + Redis" if env["REDIS_URL"] else "")
        manage("migrate", "--noinput", env=env)
        manage("ensure_demo_admin", "--username", USERNAME, "--password", PASSWORD, env=env)
        with gunicorn(env, workers=1, timeout=60) as url:
            cookie, _ = login(url, USERNAME, PASSWORD)
            primera, cuerpo1 = subir(url, cookie, libro)
            if cuerpo1["creados"] != args.conceptos:
                sys.exit("The database has a price book already: give the bench an empty one.")
            igual, cuerpo2 = subir(url, cookie, libro)
            precios, cuerpo3 = subir(url, cookie, cambiado)

    print(f"Backend: {backend}")
    print(f"bare openpyxl, {filas} rows        {bare * 1000:9.0f} ms   1.0x")
    print(f"reader (libro.leer_libro)        {leido * 1000:9.0f} ms  {leido / bare:5.1f}x")
    for nombre, segundos, cuerpo in (
        ("import, first (created)", primera, cuerpo1),
        ("import, same book again", igual, cuerpo2),
        ("import, every price changed", precios, cuerpo3),
    ):
        resumen = f"{cuerpo['creados']}/{cuerpo['actualizados']}/{cuerpo['sin_cambios']}"
        print(
            f"{nombre:32s} {segundos * 1000:9.0f} ms  {segundos / bare:5.1f}x"
            f"   created/updated/unchanged {resumen}"
        )
    peor = max(primera, igual, precios)
    print(f"slowest import: {peor:.1f} s ({peor / LIMITE_S:.0%} of a minute)")
    return 0 if peor < LIMITE_S else 1


if __name__ == "__main__":
    sys.exit(main())
