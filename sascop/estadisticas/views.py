"""The dashboard page: the same figures as /operaciones/api/estadisticas/, for people."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect

from sascop.accounts.decorators import login_required_page
from sascop.estadisticas.selectors import estadisticas


@never_cache
@csrf_protect
@login_required_page
def tablero_view(request: HttpRequest) -> HttpResponse:
    """The landing page after login."""
    context: dict[str, object] = {"puede_ver": request.user.has_perm("ptes.view_pte")}
    if context["puede_ver"]:
        datos = estadisticas()
        maximo = max((m["volumen"] for m in datos["produccion_por_mes"]), default=0) or 1
        context.update(
            datos=datos,
            meses=[
                {**m, "ancho": round(100 * m["volumen"] / maximo)}
                for m in datos["produccion_por_mes"]
            ],
        )
    return render(request, "estadisticas/tablero.html", context)
