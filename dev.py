#!/usr/bin/env python3
"""Project tasks that need nothing but python3 (npm for the front-end packages, GNU gettext
for the message catalogs).

    python3 dev.py run    # create .venv, migrate, demo admin, serve on http://127.0.0.1:8000
    python3 dev.py test   # ruff, ruff format --check, mypy, import contracts, pytest

Both compile the message catalogs first (GNU gettext's msgfmt; installed with apt-get when
missing and run as root).

The virtual environment is (re)installed whenever a requirements file changes, and
node_modules/ (`npm ci`) whenever package.json or package-lock.json does.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / "bin"
REQUIREMENT_FILES = ["requirements.txt", "requirements-dev.txt", "client/pyproject.toml"]
NODE_MODULES = ROOT / "node_modules"
NODE_FILES = ["package.json", "package-lock.json"]
# The browser tests drive Debian's Chromium: Playwright cannot download its own builds here.
CHROMIUM = Path("/usr/bin/chromium")
# The scale-out tests put Debian's nginx in front of two gunicorn instances.
NGINX = Path("/usr/sbin/nginx")
# The message catalogs are compiled with GNU gettext's msgfmt (Debian's `gettext` package).
MSGFMT = Path("/usr/bin/msgfmt")
APT_LISTS = Path("/var/lib/apt/lists")


def sh(*args: str | Path, env: dict[str, str] | None = None) -> None:
    print("+", " ".join(str(a) for a in args), flush=True)
    result = subprocess.run([str(a) for a in args], cwd=ROOT, env=env)
    if result.returncode != 0:
        sys.exit(result.returncode)


def ensure_venv() -> None:
    digest = hashlib.sha256()
    for name in REQUIREMENT_FILES:
        digest.update((ROOT / name).read_bytes())
    stamp = VENV / ".requirements.sha256"
    if stamp.exists() and stamp.read_text() == digest.hexdigest():
        return
    if not (BIN / "python").exists():
        sh(sys.executable, "-m", "venv", VENV)
    sh(BIN / "python", "-m", "pip", "install", "--quiet", "--upgrade", "pip")
    sh(BIN / "python", "-m", "pip", "install", "--quiet", "-r", "requirements-dev.txt")
    stamp.write_text(digest.hexdigest())


def ensure_node_modules() -> None:
    """`npm ci` when node_modules/ is missing or the lock changed since it was installed:
    the pages' chart library and the browser tests' accessibility checker come from there."""
    digest = hashlib.sha256()
    for name in NODE_FILES:
        digest.update((ROOT / name).read_bytes())
    stamp = NODE_MODULES / ".package-lock.sha256"
    if stamp.exists() and stamp.read_text() == digest.hexdigest():
        return
    npm = shutil.which("npm")
    if npm is None:
        print("npm is missing: the dashboard's charts and the browser tests need `npm ci`.")
        return
    sh(npm, "ci", "--no-audit", "--no-fund", "--loglevel=error")
    stamp.write_text(digest.hexdigest())


def _apt_install(package: str, wanted: Path, why: str) -> None:
    """Install a Debian package if `wanted` is missing and we can.

    When it cannot be installed (not root, no apt-get, no network), the tests that need it
    skip and say why (under CI they fail); everything else still runs.
    """
    if wanted.exists():
        return
    if os.geteuid() != 0 or shutil.which("apt-get") is None:
        print(f"{wanted} is missing and cannot be installed here (needs root and apt-get).")
        return
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    install = ["apt-get", "install", "-y", package]
    update = ["apt-get", "update"]

    def attempt(*commands: list[str]) -> bool:
        for command in commands:
            print("+", " ".join(command), flush=True)
            if subprocess.run(command, env=env).returncode != 0:
                return False
        return True

    # A fresh image may ship without package lists; otherwise refresh them only on failure.
    has_lists = any(APT_LISTS.glob("*_Packages*"))
    if (has_lists and attempt(install)) or attempt(update, install):
        return
    print(f"{package} could not be installed: {why} will be skipped.", flush=True)


def ensure_chromium() -> None:
    """Debian's Chromium, for the browser tests."""
    _apt_install("chromium", CHROMIUM, "the browser tests")


def ensure_nginx() -> None:
    """Debian's nginx, the load balancer of the scale-out tests (tests/test_escala_instancias.py
    starts it as a process of its own; the package's system service is not used)."""
    _apt_install("nginx", NGINX, "the scale-out tests")


def compile_catalogs() -> None:
    """Compile every app's locale/*/LC_MESSAGES/django.po into the .mo Django reads: without
    them the pages would show the code's English messages instead of Spanish."""
    if shutil.which("msgfmt") is None:
        _apt_install("gettext", MSGFMT, "the message catalogs")
    if shutil.which("msgfmt") is None:
        sys.exit(
            "msgfmt is missing: install GNU gettext (on Debian or Ubuntu: apt-get install "
            "gettext) and run this again; the Spanish pages are compiled with it."
        )
    sh(
        BIN / "python",
        "manage.py",
        "compilemessages",
        "--ignore",
        ".venv",
        "--ignore",
        "node_modules",
        "--verbosity",
        "0",
    )


def run() -> None:
    ensure_venv()
    ensure_node_modules()
    compile_catalogs()
    python = BIN / "python"
    sh(python, "manage.py", "migrate", "--noinput")
    sh(python, "manage.py", "collectstatic", "--noinput", "--verbosity", "0")
    sh(python, "manage.py", "ensure_demo_admin")
    sh(python, "manage.py", "cargar_demo", "--si-vacio")
    bind = os.environ.get("BIND", "127.0.0.1:8000")
    print(f"Serving SASCOP on http://{bind}/ (Ctrl+C to stop)", flush=True)
    os.chdir(ROOT)
    os.execv(
        str(BIN / "gunicorn"),
        ["gunicorn", "config.wsgi", "--config", "config/gunicorn.conf.py", "--bind", bind],
    )


def test(extra: list[str]) -> None:
    ensure_venv()
    ensure_node_modules()
    ensure_chromium()
    ensure_nginx()
    compile_catalogs()
    sh(BIN / "ruff", "check", ".")
    sh(BIN / "ruff", "format", "--check", ".")
    sh(BIN / "mypy", ".")
    sh(BIN / "lint-imports")
    sh(BIN / "pytest", *extra)


def main() -> None:
    if len(sys.argv) < 2 or sys.argv[1] not in {"run", "test"}:
        sys.exit(__doc__)
    if sys.argv[1] == "run":
        run()
    else:
        test(sys.argv[2:])


if __name__ == "__main__":
    main()
