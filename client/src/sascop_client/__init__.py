"""Python client for the SASCOP operations API."""

from __future__ import annotations

from sascop_client.client import Record, SascopClient
from sascop_client.compat import SascopAPIClient
from sascop_client.errors import (
    AuthenticationRequired,
    Conflict,
    CSRFFailed,
    InvalidCredentials,
    NotFound,
    PermissionDenied,
    PreconditionFailed,
    RateLimited,
    SascopError,
    ServerError,
    ServiceUnavailable,
    SessionExpired,
    ValidationError,
)

__version__ = "0.1.0"
__all__ = [
    "AuthenticationRequired",
    "CSRFFailed",
    "Conflict",
    "InvalidCredentials",
    "NotFound",
    "PermissionDenied",
    "PreconditionFailed",
    "RateLimited",
    "Record",
    "SascopAPIClient",
    "SascopClient",
    "SascopError",
    "ServerError",
    "ServiceUnavailable",
    "SessionExpired",
    "ValidationError",
]
