"""The shell every page shares: the main menu, the user menu and the session's deadline.

The menu names pages by URL name, so an entry appears once its page exists (and the user
holds its permission); core imports no app. Tags, not context processors: error pages,
which may be answering because the database is down, render none of this.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django import template
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from sascop.core.sessions import policy

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

register = template.Library()


@dataclass(frozen=True)
class Entrada:
    texto: StrOrPromise
    url_name: str
    permiso: str | None = None  # None: every logged-in user


MENU_PRINCIPAL = [
    Entrada(_("Dashboard"), "home"),
    Entrada(_("PTEs"), "ptes:lista", "ptes.view_pte"),
    Entrada(_("OTs"), "ots:lista", "ots.view_ot"),
    Entrada(_("Production"), "produccion:lista", "produccion.view_produccion"),
    Entrada(pgettext_lazy("menu", "Sites"), "produccion:sitios", "produccion.view_produccion"),
    Entrada(_("Estimaciones"), "estimaciones:lista", "estimaciones.view_estimacion"),
    Entrada(_("Prices"), "precios:lista", "precios.view_concepto"),
    Entrada(pgettext_lazy("menu", "Search"), "consulta:inicio", "ptes.view_pte"),
    # Administrators only: the Administración role is the one that may change catalogs and
    # read the activity log.
    Entrada(_("Catalogs"), "catalogos:inicio", "catalogos.change_cliente"),
    Entrada(_("Activity"), "actividad:lista", "actividad.view_registroactividad"),
]
MENU_USUARIO = [Entrada(_("My account"), "cuenta:inicio")]


def _entradas(request: HttpRequest, menu: list[Entrada]) -> list[dict[str, Any]]:
    user = request.user
    entradas = []
    for entrada in menu:
        url = reverse(entrada.url_name)
        if entrada.permiso and not user.has_perm(entrada.permiso):
            continue
        actual = request.path == url if url == "/" else request.path.startswith(url)
        entradas.append({"texto": entrada.texto, "url": url, "actual": actual})
    # One current page: of nested addresses (/produccion/ and /produccion/sitios/), the longest.
    actuales = [e for e in entradas if e["actual"]]
    if actuales:
        mas_larga = max(actuales, key=lambda e: len(str(e["url"])))
        for entrada_actual in actuales:
            entrada_actual["actual"] = entrada_actual is mas_larga
    return entradas


@register.inclusion_tag("core/_barra.html", takes_context=True)
def barra(context: template.Context) -> dict[str, Any]:
    """The top bar: main menu and user menu for the logged-in user."""
    request: HttpRequest = context["request"]
    return {
        "request": request,
        "user": request.user,
        "csrf_token": context.get("csrf_token"),
        "menu": _entradas(request, MENU_PRINCIPAL),
        "menu_usuario": _entradas(request, MENU_USUARIO),
    }


@register.inclusion_tag("core/_aviso_sesion.html", takes_context=True)
def aviso_sesion(context: template.Context) -> dict[str, Any]:
    """The idle-timeout notice, with the session's deadline in epoch seconds (and the
    server's clock, so a browser with a wrong clock still counts correctly)."""
    request: HttpRequest = context["request"]
    expira = policy.expires_at(request.session)
    return {"expira": int(expira) if expira is not None else None, "ahora": int(time.time())}
