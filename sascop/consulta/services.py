"""The Centro de Consulta's writes: a user's saved searches, and sending what a search
found by e-mail (queued: the worker draws it up and sends it)."""

from __future__ import annotations

import datetime
import functools
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.core.validators import validate_email
from django.db import transaction
from django.http import QueryDict
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext, ngettext, pgettext

from sascop.consulta import exportar
from sascop.consulta.filtros import filtro, formulario, parametros_de
from sascop.consulta.models import BusquedaGuardada
from sascop.consulta.selectors import TIPOS, buscar, grupos, indicadores
from sascop.core.errors import InvalidInput, NotFound
from sascop.tareas.models import Tarea
from sascop.tareas.services import tarea_encolar

# At most this many addresses per sending: a summary for colleagues, not a mailing list.
MAX_DESTINATARIOS = 10
# Results per kind listed in the e-mail's body (the attachment has them all).
EN_CORREO = 5


@transaction.atomic
def busqueda_guardar(
    *, usuario: Any, nombre: str, parametros: str
) -> tuple[BusquedaGuardada, bool]:
    """Save the search `parametros` (a query string, or a link to the page) under `nombre`
    for `usuario`; a name the user already has is given the new search. Returns the saved
    search and whether it is new."""
    nombre = " ".join(nombre.split())
    parametros = parametros_de(parametros)
    BusquedaGuardada(usuario=usuario, nombre=nombre, parametros=parametros).full_clean(
        exclude=["usuario"], validate_unique=False, validate_constraints=False
    )
    ahora = timezone.now()
    return BusquedaGuardada.objects.update_or_create(
        usuario=usuario,
        nombre=nombre,
        defaults={"parametros": parametros, "actualizada": ahora},
        create_defaults={"parametros": parametros, "creada": ahora, "actualizada": ahora},
    )


@transaction.atomic
def busqueda_eliminar(*, usuario: Any, pk: int) -> None:
    """Delete one of the user's saved searches; NotFound for anyone else's (or none)."""
    borradas, _detalle = BusquedaGuardada.objects.filter(usuario=usuario, pk=pk).delete()
    if not borradas:
        raise NotFound()


def destinatarios_de(valor: str | list[str]) -> list[str]:
    """The addresses of a list or of a text (separated by commas, semicolons or spaces), each
    once whatever its capitalisation; InvalidInput naming `destinatarios` when one is not an
    address, when there are none or more than MAX_DESTINATARIOS."""
    partes = valor if isinstance(valor, list) else valor.replace(",", " ").replace(";", " ").split()
    vistos: dict[str, str] = {}
    errores = []
    for parte in partes:
        correo = str(parte).strip()
        try:
            validate_email(correo)
        except ValidationError:
            errores.append(gettext("«%(correo)s» is not an e-mail address.") % {"correo": correo})
            continue
        vistos.setdefault(correo.lower(), correo)
    if not errores and not vistos:
        errores.append(gettext("Write at least one e-mail address."))
    if len(vistos) > MAX_DESTINATARIOS:
        errores.append(
            ngettext("At most %(n)d address.", "At most %(n)d addresses.", MAX_DESTINATARIOS)
            % {"n": MAX_DESTINATARIOS}
        )
    if errores:
        raise InvalidInput(fields={"destinatarios": errores})
    return list(vistos.values())


def consulta_correo_encolar(
    *, usuario: Any, parametros: str, destinatarios: str | list[str], base_url: str
) -> tuple[Tarea, list[str]]:
    """Queue the e-mail of a search (`parametros`) to `destinatarios`: the worker searches
    again as `usuario` (what their role reads, as it stands then), writes the summary in the
    body and attaches the workbook of everything found. Returns the task and the addresses."""
    para = destinatarios_de(destinatarios)
    parametros = parametros_de(parametros)
    from sascop.consulta.tasks import enviar_consulta

    tarea = tarea_encolar(
        enviar_consulta,
        usuario=usuario,
        tipo="consulta_correo",
        usuario_id=usuario.pk,
        parametros=parametros,
        destinatarios=para,
        base_url=base_url,
    )
    return tarea, para


def etiqueta_mes(mes: str) -> str:
    """«2026-03» as people read it: «Mar 2026» (in the active language)."""
    return _etiqueta_mes(mes, translation.get_language())


@functools.lru_cache(maxsize=1024)
def _etiqueta_mes(mes: str, idioma: str | None) -> str:
    """A month's label in `idioma` (the active language: the cache's key, not an argument
    it reads), worked out once: a search's charts name up to a hundred months, each a
    date formatted through the locale's tables."""
    anio, numero = (int(x) for x in mes.split("-"))
    return date_format(datetime.date(anio, numero, 1), "M Y")


def _barras(filas: list[dict[str, Any]], etiqueta: str, valores: list[str]) -> dict[str, Any]:
    """A chart an e-mail client draws: per row its label, its figures and bar widths (in
    percent of the largest figure of the chart) for a table of coloured cells."""
    mayor = max((f[v] for f in filas for v in valores), default=0) or 1
    return {
        "filas": [
            {
                "etiqueta": f[etiqueta],
                "barras": [
                    {"valor": f[v], "ancho": max(1, round(f[v] * 100 / mayor)) if f[v] else 0}
                    for v in valores
                ],
            }
            for f in filas
        ],
    }


def consulta_enviar(
    *, usuario: Any, parametros: str, destinatarios: list[str], base_url: str
) -> list[str]:
    """Search `parametros` as `usuario` and e-mail the result to `destinatarios`: counts,
    KPIs and charts (as HTML tables) in the body with the first results of each kind, the
    workbook of everything found attached. Returns who it went to."""
    consulta = filtro(formulario(QueryDict(parametros)))
    busqueda = buscar(consulta, usuario)
    kpis = indicadores(busqueda)
    idioma = settings.LANGUAGE_CODE
    with translation.override(idioma):
        lista = grupos(busqueda, 1, EN_CORREO)
        for grupo in lista:
            grupo["nombre"] = str(TIPOS[grupo["tipo"]])
        sin_sitio = pgettext("consulta", "No site")
        for fila in kpis["ots_por_sitio"]:
            fila["etiqueta"] = fila["sitio_texto"] or sin_sitio
        for fila in kpis["por_mes"]:
            fila["etiqueta"] = etiqueta_mes(fila["mes"])
        contexto = {
            "consulta": consulta,
            "usuario": usuario,
            "url": f"{base_url}/consulta/?{parametros}",
            "base_url": base_url,
            "grupos": lista,
            "kpis": kpis,
            "graficas": {
                "ots_por_estatus": _barras(kpis["ots_por_estatus"], "estatus_texto", ["total"]),
                "ptes_por_estatus": _barras(kpis["ptes_por_estatus"], "estatus_texto", ["total"]),
                "por_cliente": _barras(kpis["por_cliente"], "cliente_texto", ["ptes", "ots"]),
                "ots_por_sitio": _barras(kpis["ots_por_sitio"], "etiqueta", ["total"]),
                "por_mes": _barras(kpis["por_mes"], "etiqueta", ["ptes", "ots"]),
            },
        }
        asunto = gettext("SASCOP search: «%(q)s»") % {"q": consulta.q}
        texto = render_to_string("consulta/correo.txt", contexto)
        html = render_to_string("consulta/correo.html", contexto)
        adjunto = exportar.consulta_libro(busqueda, base_url).read()
    mensaje = EmailMultiAlternatives(
        subject=asunto,
        body=texto,
        to=destinatarios,
        reply_to=[usuario.email] if usuario.email else None,
    )
    mensaje.attach_alternative(html, "text/html")
    mensaje.attach(exportar.nombre_archivo(), adjunto, exportar.excel.XLSX)
    mensaje.send()
    return destinatarios
