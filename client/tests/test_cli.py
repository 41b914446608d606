"""The `sascop` command end to end: a real process talking HTTP to a live server."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.models import Group

from sascop.accounts.tests.factories import PASSWORD, UserFactory, enrol_totp
from sascop.ptes.tests.factories import PTEFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

SASCOP = Path(sys.executable).parent / "sascop"  # the installed console script


@pytest.fixture
def run(live_server, tmp_path):
    env = {
        **os.environ,
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "SASCOP_URL": live_server.url,
    }

    def sascop(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(SASCOP), *args],
            input=stdin,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            start_new_session=True,  # no controlling terminal: getpass reads stdin
        )

    return sascop


@pytest.fixture
def reader(transactional_db):
    member = UserFactory(username="lectora", email="lectora@sascop.mx")
    member.groups.add(Group.objects.get(name="Consulta"))
    return member


def test_login_whoami_logout_and_cookie_file(run, reader, tmp_path):
    login = run("login", "--user", "lectora", stdin=PASSWORD + "\n")

    assert login.returncode == 0, login.stderr
    assert "Logged in" in login.stdout and PASSWORD not in login.stdout + login.stderr
    jars = list((tmp_path / "config" / "sascop").glob("cookies-*.txt"))
    assert len(jars) == 1
    assert stat.S_IMODE(jars[0].stat().st_mode) == 0o600
    assert "sessionid" in jars[0].read_text()

    whoami = run("whoami")
    assert whoami.returncode == 0 and whoami.stdout.strip() == "lectora <lectora@sascop.mx>"

    assert run("logout").returncode == 0
    after = run("whoami")
    assert after.returncode == 3
    assert "Run `sascop login`" in after.stderr


def test_login_asks_for_the_code_of_a_two_factor_account(run, reader):
    _, codes = enrol_totp(reader)

    login = run("login", "--user", "lectora", stdin=f"{PASSWORD}\n{codes[0]}\n")

    assert login.returncode == 0, login.stderr
    assert "Logged in" in login.stdout and codes[0] not in login.stdout + login.stderr
    assert run("whoami").stdout.strip() == "lectora <lectora@sascop.mx>"


def test_not_logged_in_is_exit_3(run, transactional_db):
    result = run("stats")

    assert result.returncode == 3
    assert "sascop login" in result.stderr


def test_wrong_password_is_exit_1(run, reader):
    result = run("login", "--user", "lectora", stdin="mala\n")

    assert result.returncode == 1
    assert "incorrect" in result.stderr


def test_permission_denied_is_exit_4(run, transactional_db):
    UserFactory(username="sinrol")
    run("login", "--user", "sinrol", stdin=PASSWORD + "\n")

    result = run("stats")

    assert result.returncode == 4
    assert "permission denied" in result.stderr


def test_ptes_list_table_and_json(run, reader):
    PTEFactory(oficio_pte="PTE-CLI-7", descripcion_trabajo="Inspección con ROV", estatus=2)
    PTEFactory(oficio_pte="PTE-CLI-8", estatus=1)
    run("login", "--user", "lectora", stdin=PASSWORD + "\n")

    table = run("ptes", "list", "--estatus", "2")
    as_json = run("ptes", "list", "--buscar", "rov", "--json")

    assert table.returncode == 0
    assert table.stdout.splitlines()[0].split()[:3] == ["ID", "OFICIO", "SOLICITUD"]
    assert "PTE-CLI-7" in table.stdout and "PTE-CLI-8" not in table.stdout
    assert "1 PTE(s)" in table.stdout
    assert [p["oficio_pte"] for p in json.loads(as_json.stdout)] == ["PTE-CLI-7"]


def test_ptes_show_stats_get(run, reader):
    pte = PTEFactory(oficio_pte="PTE-CLI-9")
    run("login", "--user", "lectora", stdin=PASSWORD + "\n")

    show = run("ptes", "show", str(pte.pk))
    stats = run("stats")
    get = run("get", "/api/session/")

    assert json.loads(show.stdout)["oficio_pte"] == "PTE-CLI-9"
    assert "PTEs:        1" in stats.stdout
    assert json.loads(get.stdout)["authenticated"] is True
    missing = run("ptes", "show", "999999")
    assert missing.returncode == 1 and "does not exist" in missing.stderr


def test_get_of_an_unknown_path_prints_the_json_404(run, transactional_db):
    result = run("get", "/nope/")

    assert result.returncode == 1
    assert json.loads(result.stdout) == {
        "error": "Not found",
        "code": "not_found",
        "detail": "The requested resource was not found.",
    }
    assert result.stderr == "sascop: The requested resource was not found.\n"


def test_post_sends_csrf_and_reports_validation(run, reader):
    run("login", "--user", "lectora", stdin=PASSWORD + "\n")

    changed = run(
        "post",
        "/api/password/change/",
        "--data",
        json.dumps({"current_password": PASSWORD, "new_password": "Clave-Nueva-Cli-42"}),
    )
    invalid = run("post", "/api/password/change/", "--data", "{}")
    not_json = run("post", "/api/password/change/", "--data", "{nope")

    assert changed.returncode == 0, changed.stderr
    assert json.loads(changed.stdout) == {"message": "Password changed"}
    assert invalid.returncode == 1 and "current_password" in invalid.stderr
    assert not_json.returncode == 2


def test_usage_errors_are_exit_2(run):
    assert run().returncode == 2
    assert run("ptes", "list", "--estatus", "dos").returncode == 2


def test_url_defaults_to_environment(run, reader, live_server):
    result = run("--url", "http://127.0.0.1:9", "whoami")

    assert result.returncode == 1  # nothing listens there: a clear error, not a traceback
    assert "Traceback" not in result.stderr


def test_url_option_after_the_command(run, reader, live_server):
    env_url_broken = run(
        "--url",
        "http://127.0.0.1:9",
        "login",
        "--url",
        live_server.url,
        "--user",
        "lectora",
        stdin=PASSWORD + "\n",
    )

    assert env_url_broken.returncode == 0, env_url_broken.stderr
    assert run("whoami", "--url", live_server.url).returncode == 0
