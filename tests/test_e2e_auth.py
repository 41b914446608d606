"""Both contracts' documented flows against a live server, over real HTTP."""

from __future__ import annotations

import json
import shutil
import subprocess
from http import HTTPStatus
from pathlib import Path

import pytest
import requests

from sascop.accounts.tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def ana(transactional_db):
    return UserFactory(username="ana", email="ana@sascop.mx")


def _curl(*args: str) -> tuple[int, str]:
    curl = shutil.which("curl")
    assert curl, "curl is needed for the documented script flow"
    result = subprocess.run(
        [curl, "-s", "-o", "-", "-w", "\n%{http_code}", *args],
        capture_output=True,
        text=True,
        check=True,
    )
    body, _, status = result.stdout.rpartition("\n")
    return int(status), body


def _jar_cookie(jar: Path, name: str) -> str:
    for line in jar.read_text().splitlines():
        fields = line.split("\t")
        if len(fields) == 7 and fields[5] == name:
            return fields[6]
    raise AssertionError(f"{name} not in cookie jar")


def test_curl_json_login_with_cookie_jar(live_server, ana, tmp_path):
    jar = tmp_path / "cookies.txt"
    url = live_server.url

    status, body = _curl(
        "-c",
        str(jar),
        "-H",
        "Content-Type: application/json",
        "-d",
        json.dumps({"username": "ana", "password": PASSWORD}),
        f"{url}/api/login/",
    )
    assert status == HTTPStatus.OK
    login = json.loads(body)
    assert login["message"] == "Login successful"
    assert login["csrf_token"]

    status, body = _curl("-b", str(jar), f"{url}/api/user/")
    assert status == HTTPStatus.OK
    assert json.loads(body)["username"] == "ana"

    status, body = _curl("-b", str(jar), "-X", "POST", f"{url}/api/logout/")
    assert status == HTTPStatus.FORBIDDEN
    assert json.loads(body)["code"] == "csrf_failed"

    token = _jar_cookie(jar, "csrftoken")
    status, body = _curl(
        "-b",
        str(jar),
        "-c",
        str(jar),
        "-X",
        "POST",
        "-H",
        f"X-CSRFToken: {token}",
        f"{url}/api/logout/",
    )
    assert status == HTTPStatus.OK
    assert json.loads(body) == {"message": "Logout successful"}


def test_curl_contract_b_json_login(live_server, ana, tmp_path):
    jar = tmp_path / "cookies.txt"

    status, body = _curl(
        "-c",
        str(jar),
        "-H",
        "Content-Type: application/json",
        "-d",
        json.dumps({"username": "ana@sascop.mx", "password": PASSWORD}),
        f"{live_server.url}/accounts/login/",
    )

    assert status == HTTPStatus.OK
    assert json.loads(body)["user"]["username"] == "ana"
    assert _jar_cookie(jar, "sessionid")


def test_requests_form_login_without_token_then_csrf_header(live_server, ana):
    session = requests.Session()

    response = session.post(
        f"{live_server.url}/accounts/login/",
        data={"username": "ana", "password": PASSWORD},
        timeout=10,
    )
    assert response.status_code == HTTPStatus.OK  # followed the 302 to the dashboard
    assert response.history[0].status_code == HTTPStatus.FOUND
    assert "Bienvenido" in response.text

    assert session.get(f"{live_server.url}/api/user/", timeout=10).json()["username"] == "ana"

    refused = session.post(f"{live_server.url}/api/logout/", timeout=10)
    assert refused.status_code == HTTPStatus.FORBIDDEN
    assert refused.json()["code"] == "csrf_failed"

    done = session.post(
        f"{live_server.url}/api/logout/",
        headers={"X-CSRFToken": session.cookies["csrftoken"]},
        timeout=10,
    )
    assert done.status_code == HTTPStatus.OK
    assert session.get(f"{live_server.url}/api/user/", timeout=10).status_code == 401


def test_requests_cross_site_form_login_is_refused(live_server, ana):
    response = requests.post(
        f"{live_server.url}/accounts/login/",
        data={"username": "ana", "password": PASSWORD},
        headers={"Origin": "http://evil.example"},
        allow_redirects=False,
        timeout=10,
    )

    assert response.status_code == HTTPStatus.FORBIDDEN
    assert "sessionid" not in response.cookies


def test_spa_flow_with_cors_and_csrf(live_server, ana):
    spa = {"Origin": "http://localhost:3000"}
    session = requests.Session()

    token = session.get(f"{live_server.url}/api/csrf/", headers=spa, timeout=10).json()[
        "csrf_token"
    ]
    login = session.post(
        f"{live_server.url}/api/login/",
        json={"username": "ana", "password": PASSWORD},
        headers={**spa, "X-CSRFToken": token},
        timeout=10,
    )
    assert login.status_code == HTTPStatus.OK
    assert login.headers["Access-Control-Allow-Origin"] == "http://localhost:3000"
    assert login.headers["Access-Control-Allow-Credentials"] == "true"

    status = session.get(f"{live_server.url}/api/session/", headers=spa, timeout=10).json()
    assert status["authenticated"] is True
    assert status["user"]["username"] == "ana"


def test_register_then_use_session(live_server, transactional_db):
    session = requests.Session()

    response = session.post(
        f"{live_server.url}/api/register/",
        json={
            "username": "carla",
            "email": "carla@sascop.mx",
            "password": "Buque-Tendido-4521",
            "password2": "Buque-Tendido-4521",
        },
        timeout=10,
    )

    assert response.status_code == HTTPStatus.CREATED
    assert session.get(f"{live_server.url}/api/user/", timeout=10).json()["username"] == "carla"
