"""Django's error views, answering JSON to API clients and a Spanish page to browsers."""

from __future__ import annotations

import logging
import sys
from http import HTTPStatus

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

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

_PAGE_TEXT = {
    400: ("Solicitud inválida", "La solicitud no se pudo procesar."),
    403: ("Acceso denegado", "No tienes permiso para realizar esta acción."),
    404: ("Página no encontrada", "La página que buscas no existe."),
    414: ("Dirección demasiado larga", "La dirección de la página es demasiado larga."),
    431: ("Solicitud demasiado grande", "Los encabezados de la solicitud son demasiado grandes."),
    500: ("Error del servidor", "Ocurrió un error inesperado. Ya quedó registrado."),
    503: ("Servicio no disponible", "El servicio no está disponible. Intenta más tarde."),
}


def error_answer(request: HttpRequest, error: ApplicationError) -> HttpResponse:
    """The error as the JSON envelope for API clients, as a Spanish page for browsers."""
    if wants_json(request):
        return error_response(error)
    title, message = _PAGE_TEXT.get(error.status) or _PAGE_TEXT[400 if error.status < 500 else 500]
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
    return error_answer(request, CSRFFailed(f"CSRF verification failed: {reason}"))


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
