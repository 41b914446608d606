"""The README's examples, run verbatim against a live server."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.hashers import make_password

from sascop.accounts.models import User

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

README = Path(__file__).resolve().parent.parent / "README.md"
DOCUMENTED_BASE = "http://127.0.0.1:8000"


def _blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", README.read_text(), flags=re.S)


@pytest.fixture
def demo_admin(transactional_db):
    return User.objects.create(
        username="admin",
        email="admin@sascop.local",
        password=make_password("sascop-demo-2026"),
        is_staff=True,
        is_superuser=True,
    )


@pytest.mark.parametrize("index", range(len(_blocks("sh"))))
def test_curl_examples(live_server, demo_admin, tmp_path, index):
    script = _blocks("sh")[index].replace(DOCUMENTED_BASE, live_server.url)

    result = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", script],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 0, result.stderr
    assert '"message":"Login successful"' in result.stdout
    assert '"code":' not in result.stdout  # no error envelope anywhere
    if "logout" in script:
        assert result.stdout.rstrip().endswith('{"message":"Logout successful"}')


def _run_python(block: str, url: str, cwd) -> list[str]:
    script = block.replace(DOCUMENTED_BASE, url)
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=cwd, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.splitlines()


def test_python_requests_example(live_server, demo_admin, tmp_path):
    (block,) = [b for b in _blocks("python") if "import requests" in b]

    lines = _run_python(block, live_server.url, tmp_path)

    assert "'username': 'admin'" in lines[0]
    assert lines[1] == "{'message': 'Logout successful'}"


def test_python_client_example(live_server, demo_admin, tmp_path):
    from sascop.ptes.tests.factories import PTEFactory

    PTEFactory(estatus=2, oficio_pte="PTE-README-1")
    (block,) = [b for b in _blocks("python") if "SascopClient" in b]

    lines = _run_python(block, live_server.url, tmp_path)

    assert lines == ["1", "PTE-README-1 0.0"]


def test_readme_has_exactly_two_setup_commands():
    setup = README.read_text().split("## Set up", 1)[1].split("```console\n", 1)[1]
    commands = setup.split("```", 1)[0].strip().splitlines()

    assert [c.split("#")[0].strip() for c in commands] == [
        "python3 dev.py run",
        "python3 dev.py test",
    ]


@pytest.mark.django_db(transaction=True, serialized_rollback=True, reset_sequences=True)
def test_cli_example(live_server, demo_admin, tmp_path):
    from sascop.ptes.tests.factories import PTEFactory

    PTEFactory(estatus=2, descripcion_trabajo="Reparación de ducto de 24 pulgadas")
    readme = README.read_text()
    block = readme.split("```console\nsascop login", 1)[1].split("```", 1)[0]
    lines = ["sascop login" + block.splitlines()[0], *block.strip().splitlines()[1:]]
    script = Path(sys.executable).parent / "sascop"
    env = {**os.environ, "SASCOP_URL": live_server.url, "XDG_CONFIG_HOME": str(tmp_path)}

    outputs = []
    for line in lines:
        result = subprocess.run(
            [str(script), *shlex.split(line)[1:]],
            input="sascop-demo-2026\n",
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            start_new_session=True,
        )
        assert result.returncode == 0, (line, result.stderr)
        outputs.append(result.stdout)

    assert "Reparación de ducto" in outputs[3]
    assert '"oficio_pte"' in outputs[4]


def test_the_security_table_names_tests_that_exist():
    seccion = README.read_text().split("### Security defects and the tests that keep them fixed")[1]
    tabla = seccion.split("\n\n")[2]
    filas = [linea for linea in tabla.splitlines() if re.match(r"\| \d+ \|", linea)]
    assert {int(f.split("|")[1]) for f in filas} >= {1, 2, 4, 5, 6, 7, 8, 9, 10, 11}
    raiz = README.parent
    archivos = [p for c in ("sascop", "tests") for p in (raiz / c).rglob("test_*.py")]
    codigo = "\n".join(p.read_text() for p in archivos)
    for fila in filas:
        pruebas = fila.split("|")[4]
        nombres = re.findall(r"`(test_\w+)`", pruebas)
        rutas = re.findall(r"`([\w/]+\.py)`", pruebas)
        assert nombres or rutas, fila
        for nombre in nombres:
            assert f"def {nombre}(" in codigo, nombre
        for ruta in rutas:
            assert (raiz / ruta).is_file(), ruta
