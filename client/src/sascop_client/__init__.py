"""Python client for the SASCOP operations API."""

from __future__ import annotations

__version__ = "0.1.0"
