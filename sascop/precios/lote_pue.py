"""The price-book list's bulk action: PUEs ticked on the list, authorised at once after one
confirmation page that carries each one's version (`services_conceptos.conceptos_autorizar`).
A PUE changed since the list was drawn, already authorised or not keyed yet is left alone,
and the list says which."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext, ngettext

from sascop.accounts.current import current_user
from sascop.core.api.etags import etag_for
from sascop.precios import services_conceptos
from sascop.precios.models import Concepto

PERMISO = "precios.autorizar_concepto"


def autorizable(concepto: Concepto) -> bool:
    """What `services.concepto_autorizar` accepts: a keyed PUE still being drawn up."""
    return (
        concepto.estatus == Concepto.Estatus.EN_ELABORACION
        and bool(concepto.partida)
        and concepto.activo
    )


def acciones(request: HttpRequest) -> list[tuple[str, str]]:
    """Export the ticked rows (everyone), authorise them (those allowed)."""
    opciones = [("exportar", gettext("Export selected"))]
    if request.user.has_perm(PERMISO):
        opciones.append(("autorizar", gettext("Authorise")))
    return opciones


def confirmar(vista: Any, registros: list[Concepto]) -> HttpResponse:
    """One confirmation for every ticked PUE that can be authorised, each with the version
    shown; the rows that cannot are named, and left alone."""
    aptos = [c for c in registros if autorizable(c)]
    otros = [c for c in registros if not autorizable(c)]
    context = {
        "vista": vista,
        "titulo": ngettext(
            "Authorise %(n)s extraordinary concept?",
            "Authorise %(n)s extraordinary concepts?",
            len(aptos),
        )
        % {"n": len(aptos)},
        "filas": [(c, etag_for(c)) for c in aptos],
        "otros": otros,
    }
    return render(vista.request, "precios/autorizar_lote.html", context)


def aplicar(vista: Any, registros: list[Concepto]) -> HttpResponse:
    request = vista.request
    versiones = {c.pk: request.POST.get(f"version-{c.pk}", "") for c in registros}
    resultado = services_conceptos.conceptos_autorizar(
        usuario=current_user(request),
        versiones=versiones,
        conceptos=[c for c in registros if autorizable(c)],
    )
    if resultado.autorizados:
        n = len(resultado.autorizados)
        messages.success(
            request,
            ngettext("%(n)s concept authorised.", "%(n)s concepts authorised.", n) % {"n": n},
        )
    if resultado.rechazados:
        messages.warning(
            request,
            gettext("Not authorised: %(rows)s.")
            % {"rows": "; ".join(f"{c} ({motivo})" for c, motivo in resultado.rechazados)},
        )
    if not resultado.autorizados and not resultado.rechazados:
        messages.info(request, gettext("None of the selected concepts awaits authorisation."))
    return redirect(request.get_full_path())
