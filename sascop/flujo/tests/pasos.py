"""The workflow steps edited in place on a PTE's or an OT's page, as the tests of both pages
drive them: the same form, the same row, the same version rule."""

from __future__ import annotations

from collections.abc import Callable
from http import HTTPStatus
from typing import Any

from django.test import Client

from sascop.accounts.tests.factories import make_user
from sascop.catalogos.estatus import EstatusPaso
from sascop.core.api.etags import etag_for
from sascop.core.tests.navegador import (
    HTMX,
    csrf_token,
    hidden_value,
    page_html,
    shown_values,
)


def open_and_complete_a_step(
    c: Client, page_url: str, detalle: Any, **campos: str
) -> tuple[str, str]:
    """Open `detalle`'s form in place on the page at `page_url`, then save it Completado with
    the comment "Acta firmada" (and `campos`): the answer is the step's row again. Returns the
    form's fragment and that row."""
    fragment = page_html(c.get(f"{page_url}?editar_paso={detalle.pk}", **HTMX))
    assert fragment.lstrip().startswith(f'<tr id="paso-{detalle.pk}" class="paso-edicion">')
    assert "<html" not in fragment
    assert hidden_value(fragment, "version") == etag_for(detalle)

    saved = c.post(
        f"{page_url}pasos/{detalle.pk}/",
        {
            "estatus": str(EstatusPaso.COMPLETADO),
            **campos,
            "comentario": "Acta firmada",
            "version": etag_for(detalle),
            "csrfmiddlewaretoken": csrf_token(c),
        },
        **HTMX,
    )

    assert saved.status_code == HTTPStatus.OK
    row = page_html(saved)
    assert row.lstrip().startswith(f'<tr id="paso-{detalle.pk}" class="paso-fila">')
    assert "Completado</span>" in row and "Acta firmada" in row
    return fragment, row


def edit_a_step_someone_else_saved(
    c: Client, page_url: str, detalle: Any, actualizar: Callable[..., object], **ids: int
) -> tuple[dict[str, str], str]:
    """Open `detalle`'s form in place, let another user save the comment "Otro" through the
    service `actualizar` (its record named by `ids`), then send "El mío" with the version
    the form showed: the page says so in place, keeps the input and shows what was saved;
    the step keeps the other's change. Returns the values the form showed and the answer's
    HTML."""
    shown = shown_values(page_html(c.get(f"{page_url}?editar_paso={detalle.pk}", **HTMX)))
    version = etag_for(detalle)
    actualizar(usuario=make_user(), **ids, detalle_id=detalle.pk, datos={"comentario": "Otro"})

    response = c.post(
        f"{page_url}pasos/{detalle.pk}/",
        {
            "estatus": "2",
            "comentario": "El mío",
            **shown,
            "version": version,
            "csrfmiddlewaretoken": csrf_token(c),
        },
        **HTMX,
    )

    assert response.status_code == HTTPStatus.PRECONDITION_FAILED
    html = page_html(response)
    assert "Alguien más guardó cambios" in html
    assert ">\nEl mío</textarea>" in html
    assert "Guardado ahora: <strong>Otro</strong>" in html
    detalle.refresh_from_db()
    assert (detalle.comentario, detalle.estatus) == ("Otro", EstatusPaso.PENDIENTE)
    return shown, html
