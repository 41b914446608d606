"""Fixtures of the production tests."""

from __future__ import annotations

import pytest
from django.test import Client


@pytest.fixture
def capturista(role_client) -> Client:
    """A client of the role that captures production."""
    return role_client("Captura de producción")
