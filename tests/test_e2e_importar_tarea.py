"""A large import on the task queue with a real worker process (`manage.py trabajar`) over a
real database (SQLite, or PostgreSQL in the PostgreSQL + Redis pass): the worker imports the
workbook kept in the database and its owner reads the import's answer; a worker killed in the
middle of the price book's transaction leaves no contract, anexo or concept, and the task is
reported failed when the worker comes back."""

from __future__ import annotations

import signal
from pathlib import Path

from sascop.precios.tests.libros import ENCABEZADO, xlsx
from sascop.precios.tests.test_importar_ots import ot, registro
from tests.test_e2e_tareas import PLAZO, _esperar, _python, _trabajador, base  # noqa: F401

CONCEPTOS = 2_500  # above IMPORTAR_FILAS_EN_TAREA's default


def _libro(tmp_path: Path) -> Path:
    filas = [["C-7", f"1.{n}", f"Concepto {n}", "DIA", 1, 10 + n, None] for n in range(CONCEPTOS)]
    libro = tmp_path / "libro.xlsx"
    libro.write_bytes(xlsx({"C-7": [ENCABEZADO, *filas]}))
    return libro


def _encolar(
    env: dict[str, str], libro: Path, tarea: str = "", tipo: str = "precios", **extra: str
) -> str:
    """Keep the workbook and queue its import as the API does above the threshold (with
    `tarea`, that task instead of the import's own, given the same arguments)."""
    extra_args = "".join(f", {k}={v!r}" for k, v in extra.items())
    return _python(
        "from pathlib import Path\n"
        "from sascop.accounts.models import User\n"
        "from sascop.precios import tareas\n"
        "from sascop.precios.models import ArchivoImportacion\n"
        "from sascop.tareas.services import tarea_encolar\n"
        "usuario, _ = User.objects.get_or_create(username='ana')\n"
        f"contenido = Path({str(libro)!r}).read_bytes()\n"
        f"tarea = {tarea!r}\n"
        "if not tarea:\n"
        "    t = tareas.importacion_encolar(usuario=usuario, tipo='precios', filas=1,\n"
        "        simular=False, contenido=contenido, nombre_archivo='libro.xlsx')\n"
        "else:\n"
        "    from tests.tareas_prueba import importar_y_esperar as tarea\n"
        f"    a = ArchivoImportacion.objects.create(tipo={tipo!r}, creado_por=usuario,\n"
        "        contenido=contenido)\n"
        "    t = tarea_encolar(tarea, archivo_id=a.pk, usuario_id=usuario.pk, simular=False,\n"
        f"        conservar=False, idioma='en', usuario=usuario{extra_args})\n"
        "print(t.pk)",
        env,
    )


def _estado(env: dict[str, str], tarea_id: str) -> str:
    return _python(
        "from sascop.tareas.models import Tarea\n"
        "from sascop.tareas.selectors import tarea_estado\n"
        f"e = tarea_estado(Tarea.objects.get(pk={tarea_id!r}))\n"
        "r = e['resultado']\n"
        "print(e['estado'], e['avance'], r and (r['creados'], r['mensaje']))",
        env,
    )


def _guardado(env: dict[str, str]) -> str:
    """What an import writes: contracts, anexos, concepts, and the workbooks kept."""
    return _python(
        "from sascop.precios.models import Anexo, ArchivoImportacion, Concepto, Contrato\n"
        "print([m.objects.count() for m in (Contrato, Anexo, Concepto, ArchivoImportacion)])",
        env,
    )


def test_a_worker_imports_a_large_price_book_from_the_database(base, tmp_path):  # noqa: F811
    tarea_id = _encolar(base, _libro(tmp_path))
    assert _estado(base, tarea_id) == "en_cola 0 None"

    trabajador = _trabajador(base, "--max-tareas", "1")
    salida, _ = trabajador.communicate(timeout=PLAZO)

    assert trabajador.returncode == 0, salida
    # Queued outside a request: in the installation's language.
    mensaje = f"Contrato principal: {CONCEPTOS} conceptos nuevos, 0 actualizados y 0 sin cambios."
    assert _estado(base, tarea_id) == f"terminada 100 ({CONCEPTOS}, {mensaje!r})"
    assert _guardado(base) == f"[1, 1, {CONCEPTOS}, 0]"


def test_a_worker_killed_mid_import_leaves_nothing_and_the_import_is_reported_failed(
    base,  # noqa: F811
    tmp_path,
):
    libro = _libro(tmp_path)
    espera = tmp_path / "nunca"
    tarea_id = _encolar(
        base,
        libro,
        tarea="y esperar",
        espera=str(espera),
        ruta="sascop.precios.tareas.importar_archivo",
        tabla="precios_concepto",
    )
    trabajador = _trabajador(base)
    try:
        # The contract, the anexo and the first concepts are written, not committed.
        _esperar((tmp_path / "nunca.dentro").exists, "the import to write its concepts")
    finally:
        trabajador.send_signal(signal.SIGKILL)
        trabajador.wait(timeout=PLAZO)

    assert _guardado(base) == "[0, 0, 0, 1]"  # only the workbook kept for the task
    assert _estado(base, tarea_id).startswith("ejecutando ")  # the queue cannot know yet

    # The same worker comes back: the import is failed, and the next one goes in whole.
    trabajador = _trabajador(base, "--max-tareas", "1")
    segunda = _encolar(base, libro)
    salida, _ = trabajador.communicate(timeout=PLAZO)

    assert f"{tarea_id} se interrumpió" in salida, salida  # the installation speaks es-MX
    assert _estado(base, tarea_id).startswith("fallida ")
    assert _estado(base, segunda).startswith(f"terminada 100 ({CONCEPTOS}, ")
    assert _guardado(base) == f"[1, 1, {CONCEPTOS}, 1]"  # the failed import's workbook stays


# OTs, and the catalog entries a register creates as placeholders for unknown old ids.
CONTAR_OTS = (
    "from sascop.catalogos.models import Cliente, Frente, ResponsableProyecto\n"
    "from sascop.ots.models import OT\n"
    "print(*(m.count() for m in (OT.all_objects, Frente.objects, Cliente.objects,"
    " ResponsableProyecto.objects)))"
)


def test_a_worker_killed_mid_register_leaves_no_ot_and_the_import_is_reported_failed(
    base,  # noqa: F811
    tmp_path,
):
    libro = tmp_path / "registro.xlsx"
    libro.write_bytes(registro(*(ot(f"OT-{n}") for n in range(1, 31))))
    antes = _python(CONTAR_OTS, base)
    assert antes.startswith("0 ")
    espera = tmp_path / "nunca"
    tarea_id = _encolar(
        base,
        libro,
        tarea="y esperar",
        tipo="ots",
        espera=str(espera),
        ruta="sascop.precios.tareas.importar_archivo",
        tabla="ots_ot",
    )
    trabajador = _trabajador(base)
    try:
        # Placeholder catalog entries and the first OT are written, not committed.
        _esperar((tmp_path / "nunca.dentro").exists, "the register to write its first OT")
    finally:
        trabajador.send_signal(signal.SIGKILL)
        trabajador.wait(timeout=PLAZO)

    assert _python(CONTAR_OTS, base) == antes

    # The same worker comes back and fails the interrupted import.
    trabajador = _trabajador(base)
    try:
        _esperar(lambda: _estado_registro(base, tarea_id) == "fallida", "the import failed")
    finally:
        trabajador.send_signal(signal.SIGKILL)
        trabajador.wait(timeout=PLAZO)
    assert _python(CONTAR_OTS, base) == antes


def _estado_registro(env: dict[str, str], tarea_id: str) -> str:
    return _python(
        "from sascop.tareas.models import Tarea\n"
        "from sascop.tareas.selectors import tarea_estado\n"
        f"print(tarea_estado(Tarea.objects.get(pk={tarea_id!r}))['estado'])",
        env,
    )
