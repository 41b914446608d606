"""The two reads of every login attempt: the account the identifier names (with its
two-factor device, in one query, on the lower-case unique indexes) and the client's recent
failures (django-axes' own count, keyed by the account's username)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_ip_address
from axes.models import AccessAttempt
from django.conf import settings
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from sascop.accounts.lockout import LockoutHandler
from sascop.accounts.models import DispositivoTotp, User
from sascop.accounts.selectors import account_for_identifier, accounts_named
from sascop.accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_account_read_is_the_orms_with_and_without_a_device(user):
    with_device = UserFactory(username="beto", email="beto@sascop.mx")
    DispositivoTotp.objects.create(
        user=with_device, secreto="cifrado", confirmado_en=timezone.now(), ultimo_paso=7
    )
    UserFactory(username="wild_card", email="wild%card@sascop.mx")

    for typed in ["ana", "ANA@sascop.mx", "beto", "Beto@Sascop.MX", "wild_card", "wildxcard"]:
        expected = _orm_choice(typed)
        with CaptureQueriesContext(connection) as queries:
            found = account_for_identifier(typed)
        assert len(queries) == 1
        if expected is None:
            assert found is None, typed
            continue
        assert found is not None, typed
        assert [getattr(found, f.attname) for f in User._meta.concrete_fields] == [
            getattr(expected, f.attname) for f in User._meta.concrete_fields
        ]
        with CaptureQueriesContext(connection) as queries:  # the device came with the account
            device = getattr(found, "dispositivo_totp", None)
        assert len(queries) == 0
        if found.username == "beto":
            assert device is not None and device.user is found
            assert (device.secreto, device.ultimo_paso) == ("cifrado", 7)
            assert device.confirmado_en == expected.dispositivo_totp.confirmado_en
        else:
            assert device is None
    assert _orm_choice("wildxcard") is None  # "_" is no wildcard for either


def _orm_choice(typed: str) -> User | None:
    matches = list(accounts_named(typed))
    user = next((u for u in matches if u.username.lower() == typed.lower()), None)
    return user or (matches[0] if len(matches) == 1 else None)


def _attempt(username: str, ip: str, failures: int, minutes_ago: int, agent: str = "ua") -> None:
    attempt = AccessAttempt.objects.create(
        username=username, ip_address=ip, user_agent=agent, failures_since_start=failures
    )
    # attempt_time is set on creation (auto_now_add): move it back afterwards.
    when = timezone.now() - timedelta(minutes=minutes_ago)
    AccessAttempt.objects.filter(pk=attempt.pk).update(attempt_time=when)


def _request(ip: str):
    request = RequestFactory().post("/api/login/", REMOTE_ADDR=ip)
    request.axes_ip_address = get_client_ip_address(request)
    request.axes_user_agent = "ua"
    request.axes_attempt_time = timezone.now()
    return request


def test_the_failure_count_is_axes_own(user):
    cool_off = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    _attempt("ana", "10.0.0.1", 3, minutes_ago=1)
    _attempt("ana", "10.0.0.1", 4, minutes_ago=cool_off + 1, agent="old")  # past cool-off
    _attempt("ana", "10.0.0.2", 2, minutes_ago=1)
    _attempt("ana@sascop.mx", "10.0.0.1", 9, minutes_ago=1)  # not how failures are keyed
    _attempt("nadie", "10.0.0.1", 1, minutes_ago=cool_off - 1)

    cases = {
        ("ana", "10.0.0.1"): 3,
        ("ANA@sascop.mx", "10.0.0.1"): 3,  # counted under the account's username
        ("ana", "10.0.0.2"): 2,
        ("ana", "10.0.0.3"): 0,
        ("nadie", "10.0.0.1"): 1,
        ("otra", "10.0.0.1"): 0,
    }
    for (typed, ip), expected in cases.items():
        credentials = {"username": typed}
        ours = LockoutHandler().get_failures(_request(ip), credentials)
        axes = AxesDatabaseHandler().get_failures(_request(ip), credentials)
        assert ours == axes == expected, (typed, ip)


def test_the_failure_count_is_one_query(user):
    with CaptureQueriesContext(connection) as queries:
        LockoutHandler().get_failures(_request("10.0.0.1"), {"username": "nadie"})

    assert [q["sql"].split()[0] for q in queries] == ["SELECT", "SELECT"]  # account, count


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's query plan")
def test_the_account_lookup_uses_the_lower_case_unique_indexes(user):
    # Compared with UPPER() (Django's iexact) the lookup scanned every user: 14 ms at 50,000.
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO accounts_user (password, is_superuser, username, first_name, last_name,"
            " is_staff, is_active, date_joined, email) SELECT '!', false, 'u' || g, '', '',"
            " false, true, now(), 'u' || g || '@sascop.mx' FROM generate_series(1, 5000) g"
        )
        cursor.execute("ANALYZE accounts_user")
        sql, params = accounts_named("U4321@SASCOP.MX").query.sql_with_params()
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())

    assert "accounts_user_username_ci_unique" in plan, plan
    assert "accounts_user_email_ci_unique" in plan, plan
    assert "Seq Scan on accounts_user" not in plan, plan
    assert account_for_identifier("U4321@SASCOP.MX").username == "u4321"
