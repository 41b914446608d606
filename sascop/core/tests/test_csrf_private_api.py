"""The private parts of Django's CSRF middleware that core.csrf relies on are still there,
with the same meaning. If this fails after a Django upgrade, re-read core/csrf.py."""

from __future__ import annotations

import inspect

import django
from django.middleware.csrf import CsrfViewMiddleware
from django.test import RequestFactory, override_settings

from sascop.core.api.csrf import is_cross_site


def test_reject_and_origin_verified_keep_their_signatures():
    reject = inspect.signature(CsrfViewMiddleware._reject)
    origin = inspect.signature(CsrfViewMiddleware._origin_verified)

    assert list(reject.parameters) == ["self", "request", "reason"], django.get_version()
    assert list(origin.parameters) == ["self", "request"], django.get_version()


@override_settings(CSRF_TRUSTED_ORIGINS=["http://localhost:3000"], ALLOWED_HOSTS=["testserver"])
def test_origin_check_still_tells_trusted_from_foreign_origins():
    factory = RequestFactory()

    def post(**headers: str):
        request = factory.post("/api/login/")
        request.META.update({f"HTTP_{k}": v for k, v in headers.items()})
        return request

    assert not is_cross_site(post(ORIGIN="http://localhost:3000"))
    assert not is_cross_site(post(ORIGIN="http://testserver"))
    assert is_cross_site(post(ORIGIN="https://evil.example"))
    assert is_cross_site(post(SEC_FETCH_SITE="cross-site"))
    assert not is_cross_site(post())
