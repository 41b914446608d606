"""What a gunicorn worker loads at start: every module loaded there is memory in every worker."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.server import ROOT

# Loaded by their first use, not at start: workbooks (openpyxl), user agents described
# (ua-parser), a TOTP secret encrypted or decrypted (cryptography) and an enrolment QR code
# drawn (segno). Together about 15 MiB per worker that most workers never need.
LOADED_ON_FIRST_USE = ("openpyxl", "ua_parser", "cryptography", "segno")


def test_a_worker_starts_without_the_libraries_it_loads_on_first_use():
    code = (
        "import sys, django; django.setup();"
        "from django.urls import get_resolver; get_resolver().url_patterns;"
        "import config.wsgi;"
        f"print(sorted(m for m in {LOADED_ON_FIRST_USE!r} if m in sys.modules))"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings"}
    result = subprocess.run(
        [sys.executable, "-W", "ignore", "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert result.stdout.strip() == "[]", result.stderr
