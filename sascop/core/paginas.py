"""Small helpers the pages of every app share."""

from __future__ import annotations

from django.urls import NoReverseMatch, reverse


def url_si_existe(name: str) -> str | None:
    """The URL of a named page, or None while that page is not built: links to it are
    left out rather than pointing nowhere."""
    try:
        return reverse(name)
    except NoReverseMatch:
        return None
