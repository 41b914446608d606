#!/usr/bin/env python3
"""An OT's anexo and its monthly production sheet at size, beside an authenticated
`GET /api/user/`.

Loads a small demo (two OTs), imports a price book of `--conceptos` concepts over ten anexos,
then over HTTP, through gunicorn, times in one run:

* `POST /operaciones/api/ots/<id>/anexo/`: an anexo naming every concept of the price book
  (5,000 lines by default), each checked against the book; target well under a minute;
* an anexo of `--lineas` lines with a programmed volume for each day of a
  month, then `PUT /operaciones/api/produccion/sabana/` saving every cell of that month
  (500 x 31 = 15,500 production rows created, excedentes computed);
* `PATCH` of that sheet with 20 changed cells (4 lines x 5 days), with If-Match: the median
  of `--rounds` saves, each answering the recomputed sheet; and as many as the grid saves
  them (`Prefer: return=minimal`), each answering only what changed;
* `GET` of that sheet, against `GET /api/user/` (median of as many): computed (the median of
  `--rounds` reads, each right after one production row of the sheet was changed through
  `PATCH /operaciones/api/produccion/<id>/`), and stored (the median of `--rounds` reads of
  a sheet nothing changed since it was last read: one query, with or without Redis);
* in Chromium (/usr/bin/chromium, 1,920 x 1,080), the sheet's page: the time from
  navigation to an editable grid (the grid built, `#rejilla[data-lista]`), and from a
  click on a cell to its editor holding a typed digit (the median of 5, `--sin-navegador`
  skips it).

Prints each figure and the sheet's ratio to `/api/user/`; exits 1 if the import takes a
minute or more. Uses DATABASE_URL / REDIS_URL if set (a scratch database: the data stays in
it), else a fresh SQLite file.

    .venv/bin/python bench/produccion.py [--conceptos 5000] [--lineas 500] [--port 8211]
"""

from __future__ import annotations

import argparse
import calendar
import contextlib
import datetime
import io
import json
import os
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
# The price book is read here too (its messages are translated): settings, without a database.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

import django
import openpyxl

from bench.common import BASE_ENV, gunicorn, login, manage, request
from bench.precios import construir
from sascop.precios.libro import leer_libro
from tests.server import _serve

django.setup()

USERNAME, PASSWORD = "bench", "Banco-De-Pruebas-2026"
LIMITE_S = 60.0
ANIO, MES = 2026, 3


@contextlib.contextmanager
def servidor(env: dict[str, str], port: int | None) -> Iterator[str]:
    """gunicorn, one worker, on `port` (or any free one)."""
    if port is None:
        with gunicorn(env, workers=1, timeout=120) as url:
            yield url
        return
    with tempfile.TemporaryFile() as log:
        yield from _serve(env, port, log, workers=1, threads=1, timeout=120)


def anexo(conceptos: list[tuple[str, str, str, str]], dias: int) -> bytes:
    """An OT's anexo naming these concepts (anexo, partida, concepto, unidad), each with a
    volume and, if `dias`, a programmed volume on each day of the bench month."""
    libro = openpyxl.Workbook(write_only=True)
    hoja = libro.create_sheet("Anexo C")
    hoja.append(["PEMEX EXPLORACIÓN Y PRODUCCIÓN"])
    hoja.append(["ANEXO C DE LA ORDEN DE TRABAJO"])
    hoja.append([])
    fechas = [datetime.date(ANIO, MES, d) for d in range(1, dias + 1)]
    hoja.append(["ANEXO", "PARTIDA", "CONCEPTO", "UNIDAD", "VOLUMEN PTE", *fechas])
    for n, (clave, partida, concepto, unidad) in enumerate(conceptos):
        volumen = 20 + n % 80
        hoja.append([clave, partida, concepto, unidad, volumen, *([1.5] * dias)])
    salida = io.BytesIO()
    libro.save(salida)
    return salida.getvalue()


def _cabeceras(url: str, cookie: str) -> dict[str, str]:
    csrf = next(p.split("=", 1)[1] for p in cookie.split("; ") if p.startswith("csrftoken="))
    return {"Cookie": cookie, "X-CSRFToken": csrf, "Referer": url + "/"}


def subir(url: str, cookie: str, ruta: str, contenido: bytes) -> tuple[float, dict[str, object]]:
    limite = uuid.uuid4().hex
    cuerpo = (
        (
            f'--{limite}\r\nContent-Disposition: form-data; name="archivo"; '
            f'filename="libro.xlsx"\r\nContent-Type: application/octet-stream\r\n\r\n'
        ).encode()
        + contenido
        + f"\r\n--{limite}--\r\n".encode()
    )
    cabeceras = {
        **_cabeceras(url, cookie),
        "Content-Type": f"multipart/form-data; boundary={limite}",
    }
    inicio = time.perf_counter()
    status, _, datos = request(url, "POST", ruta, cabeceras, cuerpo)
    segundos = time.perf_counter() - inicio
    if status not in (200, 201):
        raise RuntimeError(f"{ruta} answered {status}: {datos[:500]!r}")
    return segundos, json.loads(datos)


def json_de(url: str, cookie: str, ruta: str) -> dict[str, object]:
    status, _, datos = request(url, "GET", ruta, {"Cookie": cookie})
    if status != 200:
        raise RuntimeError(f"{ruta} answered {status}: {datos[:300]!r}")
    resultado: dict[str, object] = json.loads(datos)
    return resultado


def mediana_get(url: str, cookie: str, ruta: str, rondas: int) -> tuple[float, int]:
    tiempos, tamano = [], 0
    for _ in range(rondas):
        inicio = time.perf_counter()
        status, _, datos = request(url, "GET", ruta, {"Cookie": cookie})
        tiempos.append(time.perf_counter() - inicio)
        if status != 200:
            raise RuntimeError(f"{ruta} answered {status}")
        tamano = len(datos)
    return statistics.median(tiempos), tamano


def tras_escribir(url: str, cookie: str, ruta_hoja: str, ot: object, rondas: int) -> float:
    """The median time of reading the sheet right after one of its rows was changed through
    the production API (so the read computes it)."""
    filas = json_de(url, cookie, f"/operaciones/api/produccion/?ot={ot}&elementos_por_pagina=1")
    fila = filas["produccion"][0]  # type: ignore[index]
    ruta = f"/operaciones/api/produccion/{fila['id']}/"
    tiempos = []
    for n in range(rondas):
        status, respuesta, _ = request(url, "GET", ruta, {"Cookie": cookie})
        status, _, datos = request(
            url, "PATCH", ruta,
            {**_cabeceras(url, cookie), "Content-Type": "application/json",
             "If-Match": respuesta.getheader("ETag") or ""},
            json.dumps({"volumen_produccion": f"{2 + n / 100:.2f}"}).encode(),
        )  # fmt: skip
        if status != 200:
            raise RuntimeError(f"{ruta} answered {status}: {datos[:300]!r}")
        tiempos.append(mediana_get(url, cookie, ruta_hoja, 1)[0])
    return statistics.median(tiempos)


def guardar_celdas(
    url: str, cookie: str, ruta_hoja: str, lineas: list[int], rondas: int, minima: bool = False
) -> tuple[float, int]:
    """The median time of saving 20 changed cells (4 lines x 5 days): `PATCH` with only
    those cells and If-Match, answered with the whole sheet or, `minima`, as the grid
    asks (`Prefer: return=minimal`: only what changed); and the size of the answer."""
    status, respuesta, _ = request(url, "GET", ruta_hoja, {"Cookie": cookie})
    etiqueta = respuesta.getheader("ETag") or ""
    prefer = {"Prefer": "return=minimal"} if minima else {}
    tiempos, tamano = [], 0
    for n in range(rondas):
        valor = f"{3 + n / 100 + (0.5 if minima else 0):.2f}"
        cuerpo = {
            "partidas": [
                {"partida_anexo": linea, "ejecutado": {str(d): valor for d in range(10, 15)}}
                for linea in lineas[len(lineas) // 5 :][:4]
            ]
        }
        inicio = time.perf_counter()
        status, respuesta, datos = request(
            url, "PATCH", ruta_hoja,
            {**_cabeceras(url, cookie), "Content-Type": "application/json", "If-Match": etiqueta,
             **prefer},
            json.dumps(cuerpo).encode(),
        )  # fmt: skip
        tiempos.append(time.perf_counter() - inicio)
        if status != 200:
            raise RuntimeError(f"the sheet PATCH answered {status}: {datos[:300]!r}")
        etiqueta, tamano = respuesta.getheader("ETag") or "", len(datos)
    return statistics.median(tiempos), tamano


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-sync",
                 "--disable-background-networking", "--disable-component-update"]  # fmt: skip


def rejilla(url: str, cookie: str, ruta_pagina: str) -> tuple[float, float] | None:
    """In Chromium: milliseconds from navigation to the grid built and editable (the
    page's own clock, `performance.now()` once `#rejilla[data-lista]` is seen), and the
    median of 5 clicks on a cell until its editor holds the digit typed. None without
    Chromium or Playwright."""
    try:
        from playwright.sync_api import expect, sync_playwright
    except ImportError:
        return None
    if not Path(CHROMIUM).exists():
        return None
    host = url.removeprefix("http://").split(":")[0]
    cookies = [
        {"name": nombre, "value": valor, "domain": host, "path": "/"}
        for nombre, valor in (parte.split("=", 1) for parte in cookie.split("; "))
    ]
    with sync_playwright() as p:
        navegador = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        contexto = navegador.new_context(viewport={"width": 1920, "height": 1080})
        contexto.add_cookies(cookies)  # type: ignore[arg-type]
        pagina = contexto.new_page()
        pagina.goto(url + ruta_pagina, wait_until="commit", timeout=120_000)
        # Playwright's own waits: the page's CSP allows no script of the bench's.
        pagina.locator("#rejilla[data-lista]").wait_for(state="attached", timeout=120_000)
        lista = float(pagina.evaluate("performance.now()"))
        escribir = []
        for n in range(5):
            celda = pagina.locator(f'.tabulator-row [tabulator-field="d{10 + n}"]').nth(5)
            inicio = time.perf_counter()
            celda.click()
            pagina.keyboard.type("7")
            expect(pagina.locator("input.editor-celda")).to_have_value("7")
            escribir.append((time.perf_counter() - inicio) * 1000)
            pagina.keyboard.press("Escape")
        navegador.close()
    return lista, statistics.median(escribir)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--conceptos", type=int, default=5000)
    parser.add_argument("--lineas", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--port", type=int, default=None)
    parser.add_argument("--sin-navegador", action="store_true", help="skip the Chromium timing")
    parser.add_argument(
        "--analizar",
        action="store_true",
        help="ANALYZE after the month is saved, as autovacuum would within a minute "
        "(PostgreSQL): the reads and saves then run with the plans of a database in service",
    )
    args = parser.parse_args()
    dias = calendar.monthrange(ANIO, MES)[1]

    with tempfile.TemporaryDirectory() as tmp:
        ruta_libro = Path(tmp) / "catalogo.xlsx"
        construir(ruta_libro, args.conceptos, 10, aumento=0)
        with ruta_libro.open("rb") as archivo:
            leido = leer_libro(archivo)
        conceptos = [(c.anexo, c.partida, c.concepto, c.unidad) for c in leido.conceptos]
        grande = anexo(conceptos, dias=0)
        hoja = anexo(conceptos[: args.lineas], dias=dias)

        database = os.environ.get("DATABASE_URL") or f"sqlite:///{tmp}/produccion.sqlite3"
        env = {**BASE_ENV, "DATABASE_URL": database, "REDIS_URL": os.environ.get("REDIS_URL", "")}
        # What is measured is the request's own import, not the task queue's.
        env["IMPORTAR_FILAS_EN_TAREA"] = str(10 * args.conceptos)
        backend = database.split(":", 1)[0] + (" + Redis" if env["REDIS_URL"] else "")
        manage("migrate", "--noinput", env=env)
        manage("ensure_demo_admin", "--username", USERNAME, "--password", PASSWORD, env=env)
        manage("cargar_demo", "--ptes", "2", "--ots", "2", "--produccion", "0",
               "--conceptos", "0", env=env)  # fmt: skip
        with servidor(env, args.port) as url:
            cookie, _ = login(url, USERNAME, PASSWORD)
            _, libro = subir(url, cookie, "/operaciones/api/precios/importar/",
                             ruta_libro.read_bytes())  # fmt: skip
            if libro["creados"] != args.conceptos:
                sys.exit("The database has a price book already: give the bench an empty one.")
            ots = json_de(url, cookie, "/operaciones/api/ots/?elementos_por_pagina=2")["ots"]
            ot_grande, ot_hoja = (o["id"] for o in ots)  # type: ignore[attr-defined]
            numero_hoja = ots[1]["orden_trabajo"]  # type: ignore[index]
            importar, resultado = subir(url, cookie, f"/operaciones/api/ots/{ot_grande}/anexo/",
                                        grande)  # fmt: skip
            importar_hoja, _ = subir(url, cookie, f"/operaciones/api/ots/{ot_hoja}/anexo/", hoja)

            ruta_hoja = f"/operaciones/api/produccion/sabana/?ot={ot_hoja}&anio={ANIO}&mes={MES}"
            datos = json_de(url, cookie, ruta_hoja)
            for partida in datos["partidas"]:  # type: ignore[attr-defined]
                partida["ejecutado"] = {str(d): "2.25" for d in range(1, dias + 1)}
            inicio = time.perf_counter()
            status, _, respuesta = request(
                url, "PUT", ruta_hoja,
                {**_cabeceras(url, cookie), "Content-Type": "application/json"},
                json.dumps(datos).encode(),
            )  # fmt: skip
            guardar = time.perf_counter() - inicio
            if status != 200:
                raise RuntimeError(f"the sheet PUT answered {status}: {respuesta[:500]!r}")
            if args.analizar:  # the planner's statistics, as autovacuum gathers them
                manage("dbshell", "--", "-c", "ANALYZE", env=env)

            usuario, _ = mediana_get(url, cookie, "/api/user/", args.rounds)
            calculada = tras_escribir(url, cookie, ruta_hoja, ot_hoja, args.rounds)
            lineas = [p["partida_anexo"] for p in datos["partidas"]]  # type: ignore[attr-defined]
            celdas20, _ = guardar_celdas(url, cookie, ruta_hoja, lineas, args.rounds)
            minima20, tamano_minima = guardar_celdas(
                url, cookie, ruta_hoja, lineas, args.rounds, minima=True
            )
            sabana, tamano = mediana_get(url, cookie, ruta_hoja, args.rounds)
            usuario_despues, _ = mediana_get(url, cookie, "/api/user/", args.rounds)
            navegador = None
            if not args.sin_navegador:
                pagina = f"/produccion/sabana/?ot={numero_hoja}&anio={ANIO}&mes={MES}"
                navegador = rejilla(url, cookie, pagina)

    usuario = min(usuario, usuario_despues)
    celdas = args.lineas * dias
    print(f"Backend: {backend}")
    print(f"anexo import, {resultado['partidas']} lines (price book {args.conceptos})"
          f"  {importar * 1000:8.0f} ms   ({importar / LIMITE_S:.0%} of a minute)")  # fmt: skip
    print(f"anexo import, {args.lineas} lines x {dias} programmed days"
          f"   {importar_hoja * 1000:8.0f} ms")  # fmt: skip
    print(f"sheet PUT, {celdas} cells (rows created)          {guardar * 1000:8.0f} ms")
    print(
        f"GET /api/user/ (median of {args.rounds})                {usuario * 1000:8.1f} ms   1.0x"
    )
    print(f"GET sheet, computed after a row changed (median)"
          f"  {calculada * 1000:8.1f} ms  {calculada / usuario:5.1f}x")  # fmt: skip
    print(f"GET sheet {args.lineas} x {dias}, {tamano / 1024:.0f} KiB, stored (median)"
          f"{sabana * 1000:8.1f} ms  {sabana / usuario:5.1f}x")  # fmt: skip
    print(f"sheet PATCH, 20 cells changed, sheet answered (median)"
          f"{celdas20 * 1000:8.1f} ms  {celdas20 / usuario:5.1f}x")  # fmt: skip
    print(f"sheet PATCH, 20 cells, Prefer: return=minimal, {tamano_minima / 1024:.0f} KiB"
          f"  {minima20 * 1000:8.1f} ms  {minima20 / usuario:5.1f}x")  # fmt: skip
    if navegador is not None:
        lista, escribir = navegador
        print(f"Chromium: page load to editable grid, {args.lineas} x {dias}      {lista:8.0f} ms")
        print(f"Chromium: click a cell and type a digit (median of 5)   {escribir:8.1f} ms")
    elif not args.sin_navegador:
        print("Chromium: not measured (no /usr/bin/chromium or no Playwright)")
    return 0 if importar < LIMITE_S else 1


if __name__ == "__main__":
    sys.exit(main())
