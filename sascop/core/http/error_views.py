"""Django's error views, answering JSON to API clients and a Spanish page to browsers."""

from __future__ import annotations

import logging
import sys
from http import HTTPStatus

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext, pgettext_lazy

from sascop.core.errors import (
    ApplicationError,
    CSRFFailed,
    error_headers,
    error_response,
    status_error,
    to_application_error,
    wants_json,
)

logger = logging.getLogger(__name__)

# In their own context: the API's details share some of these English sentences (and Django
# REST framework translates those its own way).
_PAGE_TEXT = {
    400: (
        pgettext_lazy("error page", "Invalid request"),
        pgettext_lazy("error page", "The request could not be processed."),
    ),
    403: (
        pgettext_lazy("error page", "Access denied"),
        pgettext_lazy("error page", "You do not have permission to perform this action."),
    ),
    404: (
        pgettext_lazy("error page", "Page not found"),
        pgettext_lazy("error page", "The page you are looking for does not exist."),
    ),
    414: (
        pgettext_lazy("error page", "Address too long"),
        pgettext_lazy("error page", "The page's address is too long."),
    ),
    431: (
        pgettext_lazy("error page", "Request too large"),
        pgettext_lazy("error page", "The request's headers are too large."),
    ),
    500: (
        pgettext_lazy("error page", "Server error"),
        pgettext_lazy("error page", "An unexpected error occurred. It has been logged."),
    ),
    503: (
        pgettext_lazy("error page", "Service unavailable"),
        pgettext_lazy("error page", "The service is not available. Try again later."),
    ),
}


def error_answer(request: HttpRequest, error: ApplicationError) -> HttpResponse:
    """The error as the JSON envelope for API clients, as a Spanish page for browsers."""
    if wants_json(request):
        return error_response(error)
    lazy_title, lazy_message = (
        _PAGE_TEXT.get(error.status) or _PAGE_TEXT[400 if error.status < 500 else 500]
    )
    title, message = str(lazy_title), str(lazy_message)
    try:
        response = render(
            request,
            "core/error.html",
            {"title": title, "message": message, "status": error.status},
            status=error.status,
        )
    except ValueError:
        # The page names static files by the manifest's hashed names; a missing manifest (no
        # collectstatic in production: `check --deploy` says so, sascop.E006) must not turn
        # every error page into a bare server failure. The same words, without the layout.
        logger.exception("The error page could not be drawn")
        response = HttpResponse(
            f'<!doctype html><html lang="es-MX"><meta charset="utf-8"><title>{title}</title>'
            f"<h1>{title}</h1><p>{message}</p>",
            status=error.status,
        )
    # A 503 (or 429) page says when to come back, as the JSON answer does.
    retry_after = error_headers(error).get("Retry-After")
    if retry_after:
        response["Retry-After"] = retry_after
    return response


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return error_answer(
        request, CSRFFailed(gettext("CSRF verification failed: %(reason)s") % {"reason": reason})
    )


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    return error_answer(request, status_error(HTTPStatus.BAD_REQUEST))


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    return error_answer(request, status_error(HTTPStatus.FORBIDDEN))


def not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    return error_answer(request, status_error(HTTPStatus.NOT_FOUND))


def server_error(request: HttpRequest) -> HttpResponse:
    # Called inside Django's except block: the exception tells a 503 from a 500.
    exc = sys.exc_info()[1]
    error = to_application_error(exc, request) if exc else status_error(500)
    return error_answer(request, error)
