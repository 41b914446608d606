"""`ensure_demo_admin`, run by every `python3 dev.py run`: creates, never resets."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from sascop.accounts.models import User

pytestmark = pytest.mark.django_db


def _run(*args: str) -> str:
    out = StringIO()
    call_command("ensure_demo_admin", *args, stdout=out)
    return out.getvalue()


def test_creates_the_administrator_when_missing():
    output = _run("--username", "admin", "--password", "sascop-demo-2026")

    admin = User.objects.get(username="admin")
    assert admin.is_superuser and admin.is_staff and admin.is_active
    assert admin.email == "admin@sascop.local"
    assert admin.check_password("sascop-demo-2026")
    assert output == (
        "Created demo administrator -> usuario: admin  contraseña: sascop-demo-2026\n"
    )


def test_a_second_run_leaves_a_changed_password_alone():
    _run("--username", "admin", "--password", "sascop-demo-2026")
    admin = User.objects.get(username="admin")
    admin.set_password("Cambiada-Por-La-Dueña-9")
    admin.save()

    output = _run("--username", "ADMIN", "--password", "sascop-demo-2026")

    admin.refresh_from_db()
    assert admin.check_password("Cambiada-Por-La-Dueña-9")
    assert User.objects.count() == 1
    assert output == (
        "Demo administrator 'ADMIN' already exists; left unchanged (its password too).\n"
    )


def test_refused_in_production(settings):
    settings.PRODUCTION = True

    with pytest.raises(CommandError):
        _run()
    assert not User.objects.exists()
