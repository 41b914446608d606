"""The PTE pages: list, create, detail with steps edited in place, edit, delete.

They call the same selectors and services as `apis.py`: these views only read forms, pick
a template (or a fragment of it, for htmx) and show what the services decided.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from sascop.accounts.current import current_user
from sascop.accounts.decorators import permission_required_page
from sascop.catalogos.estatus import EstatusPaso
from sascop.core.errors import InvalidInput, PreconditionFailed
from sascop.core.etags import etag_for
from sascop.core.formularios import cambios_ajenos, con_version, mostrar_errores
from sascop.core.pages.vistas import ListaView
from sascop.core.paginas import errores_de_pagina, url_si_existe
from sascop.ptes import exports, selectors, services
from sascop.ptes.forms import (
    CAMPOS_PTE,
    PasoForm,
    PTEFiltroForm,
    PTEForm,
    valores_de,
)
from sascop.ptes.models import PTE, PTEDetalle
from sascop.ptes.tables import COLUMNAS, PTETable

LISTA = "ptes/pte_lista.html"
DETALLE = "ptes/pte_detalle.html"
FORMULARIO = "ptes/pte_form.html"
ELIMINAR = "ptes/pte_eliminar.html"
ANCHOS = {"descripcion_trabajo", "comentario"}
CAMPOS_PASO = ["estatus", "fecha_inicio", "fecha_termino", "fecha_entrega", "archivo", "comentario"]

CAMBIO_AJENO = (
    "Alguien más guardó cambios mientras editabas. No se guardó nada: tus datos siguen aquí "
    "y junto a cada campo que cambió está el valor guardado ahora. Revisa y guarda de nuevo "
    "para aplicar los tuyos."
)


# --- List --------------------------------------------------------------------------------


class PTELista(ListaView):
    """PTEs with filters beside them; sorting, paging and filters live in the query string.
    `?exportar=xlsx` answers the whole filtered list, in its order, as a workbook."""

    permisos_requeridos = ("ptes.view_pte",)
    clave = "ptes"
    titulo = "PTEs"
    sustantivos = ("PTE", "PTEs")
    tabla = PTETable
    columnas = COLUMNAS
    vacio = "Ninguna PTE coincide con los filtros."

    def filtros(self) -> PTEFiltroForm:
        return PTEFiltroForm(self.request.GET, anios=selectors.anios_de_solicitud())

    def registros(self, filtros: PTEFiltroForm) -> QuerySet[PTE]:
        return selectors.pte_lista(filtros.parametros())

    def exportar(self, registros: QuerySet[PTE]) -> HttpResponseBase:
        return exports.ptes_xlsx(registros)

    def preparar(self, table: Any, registros: list[PTE]) -> None:
        table.avance = selectors.progreso_de(r.pk for r in registros)

    def acciones(self) -> list[dict[str, str]]:
        if not self.request.user.has_perm("ptes.add_pte"):
            return []
        return [{"texto": "Nueva PTE", "url": reverse("ptes:nueva")}]


pte_lista = PTELista.as_view()


# --- Detail and its steps ----------------------------------------------------------------


def _entero(valor: str | None) -> int | None:
    try:
        return int(valor) if valor else None
    except ValueError:
        return None


def _paso_form(detalle: PTEDetalle, data: Any = None) -> PasoForm:
    if data is not None:
        return PasoForm(data, prefijo=f"paso-{detalle.pk}")
    initial = {campo: getattr(detalle, campo) for campo in CAMPOS_PASO}
    return PasoForm(initial={**initial, "version": etag_for(detalle)}, prefijo=f"paso-{detalle.pk}")


def _contexto_paso(
    request: HttpRequest,
    pte: PTE,
    detalle: PTEDetalle | None,
    form: PasoForm | None = None,
    *,
    aviso: str = "",
    diferencias: dict[str, str] | None = None,
) -> dict[str, Any]:
    campos = []
    if form is not None:
        campos = [
            (form[n], (diferencias or {}).get(n), n in {"archivo", "comentario"})
            for n in CAMPOS_PASO
        ]
    return {
        "pte": pte,
        "d": detalle,
        "form_paso": form,
        "campos_paso": campos,
        "aviso_paso": aviso,
        "puede_editar_pasos": request.user.has_perm("ptes.change_ptedetalle"),
    }


def _detalle_de(detalles: list[PTEDetalle], detalle_id: int | None) -> PTEDetalle:
    detalle = next((d for d in detalles if d.pk == detalle_id), None)
    if detalle is None:
        raise Http404("The PTE has no such step.")
    return detalle


def _pagina_detalle(
    request: HttpRequest,
    pte_id: int,
    *,
    editando: PTEDetalle | None = None,
    form_paso: PasoForm | None = None,
    status: int = 200,
    **paso: Any,
) -> HttpResponse:
    pte, detalles, progreso = selectors.pte_detalle(pte_id)
    if editando is not None and form_paso is None:
        form_paso = _paso_form(editando)
    # "Crear OT" for who may create one; whether this PTE may have one, the OT page says.
    crear_ot = url_si_existe("ots:nueva") if request.user.has_perm("ots.add_ot") else None
    context = {
        "detalles": detalles,
        "progreso": progreso,
        "ots": selectors.ots_de(pte),
        "ot_url": "ots:detalle" if url_si_existe("ots:detalle", ot_id=0) else None,
        "crear_ot": f"{crear_ot}?pte={pte.pk}" if crear_ot else None,
        "editando": editando.pk if editando is not None else None,
        "puede_editar": request.user.has_perm("ptes.change_pte"),
        "puede_eliminar": request.user.has_perm("ptes.delete_pte"),
    }
    # The step being edited (if any): its form, with the same names its fragment uses.
    context.update(_contexto_paso(request, pte, editando, form_paso, **paso))
    return render(request, DETALLE, context, status=status)


@never_cache
@permission_required_page("ptes.view_pte")
@errores_de_pagina
def pte_detalle(request: HttpRequest, pte_id: int) -> HttpResponse:
    """The PTE, its progress, its steps (each editable in place) and its OTs.

    `?editar_paso=<id>` opens that step's form (without JavaScript, in the whole page);
    htmx asks for just that row, and `?paso=<id>` for the row as it reads.
    """
    editar = _entero(request.GET.get("editar_paso"))
    ver = _entero(request.GET.get("paso"))
    if editar is not None and not request.user.has_perm("ptes.change_ptedetalle"):
        editar = None
    if getattr(request, "htmx", False) and (editar or ver):
        pte, detalles, _ = selectors.pte_detalle(pte_id)
        detalle = _detalle_de(detalles, editar or ver)
        if editar:
            contexto = _contexto_paso(request, pte, detalle, _paso_form(detalle))
            return render(request, f"{DETALLE}#paso-edicion", contexto)
        return render(request, f"{DETALLE}#paso", _contexto_paso(request, pte, detalle))
    if editar is not None:
        _, detalles, _ = selectors.pte_detalle(pte_id)
        return _pagina_detalle(request, pte_id, editando=_detalle_de(detalles, editar))
    return _pagina_detalle(request, pte_id)


@require_POST
@permission_required_page("ptes.change_ptedetalle")
@errores_de_pagina
def pte_paso(request: HttpRequest, pte_id: int, detalle_id: int) -> HttpResponse:
    """Save one step (estatus, dates, document link, comment) with its version: a step
    someone else changed meanwhile is not overwritten; the form comes back saying so."""
    pte, detalles, _ = selectors.pte_detalle(pte_id)
    detalle = _detalle_de(detalles, detalle_id)
    form = _paso_form(detalle, request.POST)
    aviso, diferencias, status = "", None, 400
    if form.is_valid():
        try:
            services.pte_paso_actualizar(
                usuario=current_user(request),
                pte_id=pte_id,
                detalle_id=detalle_id,
                datos=form.datos(),
                if_match=form.cleaned_data["version"],
            )
        except PreconditionFailed:
            _, detalles, _ = selectors.pte_detalle(pte_id)
            detalle = _detalle_de(detalles, detalle_id)
            actuales = {c: getattr(detalle, c) for c in CAMPOS_PASO}
            diferencias = cambios_ajenos(form, actuales)
            form = con_version(
                PasoForm, request.POST, etag_for(detalle), actuales, prefijo=f"paso-{detalle.pk}"
            )
            aviso, status = CAMBIO_AJENO, 412
        except InvalidInput as exc:
            mostrar_errores(form, exc)
        else:
            return _paso_guardado(request, pte_id, detalle_id)
    if getattr(request, "htmx", False):
        contexto = _contexto_paso(request, pte, detalle, form, aviso=aviso, diferencias=diferencias)
        return render(request, f"{DETALLE}#paso-edicion", contexto, status=status)
    return _pagina_detalle(
        request,
        pte_id,
        editando=detalle,
        form_paso=form,
        status=status,
        aviso=aviso,
        diferencias=diferencias,
    )


def _paso_guardado(request: HttpRequest, pte_id: int, detalle_id: int) -> HttpResponse:
    pte, detalles, progreso = selectors.pte_detalle(pte_id)
    detalle = _detalle_de(detalles, detalle_id)
    texto = f"Paso «{detalle.paso.descripcion}» guardado: {EstatusPaso(detalle.estatus).label}."
    if not getattr(request, "htmx", False):
        messages.success(request, texto)
        return redirect(f"{reverse('ptes:detalle', args=[pte_id])}#paso-{detalle_id}")
    fila = render_to_string(
        f"{DETALLE}#paso", {**_contexto_paso(request, pte, detalle), "guardado": texto}, request
    )
    # The PTE's progress changes with its steps: sent along, swapped out of band.
    avance = render_to_string(
        f"{DETALLE}#progreso", {"pte": pte, "progreso": progreso, "oob": True}, request
    )
    return HttpResponse(fila + avance)


# --- Create, edit, delete ----------------------------------------------------------------


def _pagina_formulario(
    request: HttpRequest,
    form: PTEForm,
    *,
    pte: PTE | None,
    status: int = 200,
    aviso: str = "",
    diferencias: dict[str, str] | None = None,
) -> HttpResponse:
    campos = [(form[n], (diferencias or {}).get(n), n in ANCHOS) for n in CAMPOS_PTE]
    context = {"form": form, "campos": campos, "pte": pte, "aviso": aviso}
    return render(request, FORMULARIO, context, status=status)


@never_cache
@permission_required_page("ptes.add_pte")
@require_http_methods(["GET", "HEAD", "POST"])
def pte_nueva(request: HttpRequest) -> HttpResponse:
    """A new PTE; its workflow steps come from its client's type (the service adds them)."""
    if request.method != "POST":
        return _pagina_formulario(request, PTEForm(), pte=None)
    form = PTEForm(request.POST)
    if form.is_valid():
        try:
            pte = services.pte_crear(usuario=current_user(request), datos=form.datos())
        except InvalidInput as exc:
            mostrar_errores(form, exc, PTE)
        else:
            messages.success(request, f"PTE {pte.oficio_pte} creada.")
            return redirect("ptes:detalle", pte_id=pte.pk)
    return _pagina_formulario(request, form, pte=None, status=400)


@never_cache
@permission_required_page("ptes.change_pte")
@require_http_methods(["GET", "HEAD", "POST"])
@errores_de_pagina
def pte_editar(request: HttpRequest, pte_id: int) -> HttpResponse:
    """Edit a PTE. The form carries the version it was drawn from; if the PTE changed since,
    nothing is saved and the page says so, keeping what the user typed."""
    pte, _, _ = selectors.pte_detalle(pte_id)
    if request.method != "POST":
        form = PTEForm(initial={**valores_de(pte), "version": etag_for(pte)}, pte=pte)
        return _pagina_formulario(request, form, pte=pte)
    form = PTEForm(request.POST, pte=pte)
    form.fields["version"].required = True
    if form.is_valid():
        try:
            services.pte_actualizar(
                usuario=current_user(request),
                pte_id=pte_id,
                datos=form.datos(),
                if_match=form.cleaned_data["version"],
            )
        except PreconditionFailed:
            actual, _, _ = selectors.pte_detalle(pte_id)
            diferencias = cambios_ajenos(form, valores_de(actual))
            form = con_version(
                PTEForm, request.POST, etag_for(actual), valores_de(actual), pte=actual
            )
            return _pagina_formulario(
                request, form, pte=actual, status=412, aviso=CAMBIO_AJENO, diferencias=diferencias
            )
        except InvalidInput as exc:
            mostrar_errores(form, exc, PTE)
        else:
            messages.success(request, f"PTE {form.cleaned_data['oficio_pte']} guardada.")
            return redirect("ptes:detalle", pte_id=pte_id)
    return _pagina_formulario(request, form, pte=pte, status=400)


@never_cache
@permission_required_page("ptes.delete_pte")
@require_http_methods(["GET", "HEAD", "POST"])
@errores_de_pagina
def pte_eliminar(request: HttpRequest, pte_id: int) -> HttpResponse:
    """Ask, then hide the PTE (soft delete: it stays in the database and the activity log)."""
    pte, _, _ = selectors.pte_detalle(pte_id)
    aviso, status = "", 200
    if request.method == "POST":
        try:
            services.pte_eliminar(
                usuario=current_user(request),
                pte_id=pte_id,
                # No version is a stale one: a delete is confirmed on what the page showed.
                if_match=request.POST.get("version", ""),
            )
        except PreconditionFailed:
            pte, _, _ = selectors.pte_detalle(pte_id)
            aviso = (
                "La PTE cambió desde que abriste esta página; no se eliminó. Revisa sus "
                "datos y confirma de nuevo si aún quieres eliminarla."
            )
            status = 412
        else:
            messages.success(request, f"PTE {pte.oficio_pte} eliminada.")
            return redirect("ptes:lista")
    context = {"pte": pte, "version": etag_for(pte), "aviso": aviso}
    return render(request, ELIMINAR, context, status=status)
