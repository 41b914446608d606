"""The configuration is documented: every environment variable read is in .env.example."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
READERS = [
    "config/settings.py",
    "config/gunicorn.conf.py",
    "dev.py",
    "sascop/accounts/management/commands/ensure_demo_admin.py",
]
PATTERN = re.compile(
    r"""(?:env\.\w+|env|os\.environ\.get|os\.environ\.setdefault)\(\s*"([A-Z_]+)\""""
)


def test_env_example_lists_every_variable():
    documented = {
        line.split("=", 1)[0]
        for line in (ROOT / ".env.example").read_text().splitlines()
        if line and not line.startswith("#")
    }
    read = {name for path in READERS for name in PATTERN.findall((ROOT / path).read_text())}
    read.discard("DJANGO_SETTINGS_MODULE")

    assert len(read) > 30  # the pattern really finds the reads
    assert read - documented == set()


@pytest.mark.skipif(
    shutil.which("git") is None or not (ROOT / ".git").exists(), reason="not a git checkout"
)
@pytest.mark.parametrize(
    "path",
    ["db.sqlite3", "db.sqlite3-wal", "db.sqlite3-shm", "client/build/lib/sascop_client/cli.py"],
)
def test_generated_files_are_ignored_by_git(path):
    result = subprocess.run(
        ["git", "check-ignore", "--no-index", "--quiet", path], cwd=ROOT, check=False
    )

    assert result.returncode == 0, f"{path} is not ignored"
