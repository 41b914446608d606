"""The OT pages: list, create (directly or from a PTE), detail with steps edited in place,
edit, delete.

Built like the PTE pages, on the same selectors and services as `apis.py`: these views only
read forms, pick a template (or a fragment of it, for htmx) and show what the services
decided.
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
from sascop.core.errors import Conflict, InvalidInput, NotFound, PreconditionFailed
from sascop.core.etags import etag_for
from sascop.core.formularios import cambios_ajenos, con_version, mostrar_errores
from sascop.core.pages.vistas import ListaView
from sascop.core.paginas import errores_de_pagina, url_si_existe
from sascop.ots import exports, selectors, services
from sascop.ots.forms import (
    CAMPOS_OT,
    OTFiltroForm,
    OTForm,
    PasoForm,
    valores_de,
    valores_de_pte,
)
from sascop.ots.models import OT, OTDetalle
from sascop.ots.tables import COLUMNAS, OTTable
from sascop.ptes import selectors as ptes
from sascop.ptes.models import PTE

LISTA = "ots/ot_lista.html"
DETALLE = "ots/ot_detalle.html"
FORMULARIO = "ots/ot_form.html"
ELIMINAR = "ots/ot_eliminar.html"
ANCHOS = {"descripcion_trabajo", "comentario"}
CAMPOS_PASO = ["estatus", "fecha_inicio", "fecha_termino", "fecha_entrega", "archivo", "comentario"]

CAMBIO_AJENO = (
    "Alguien más guardó cambios mientras editabas. No se guardó nada: tus datos siguen aquí "
    "y junto a cada campo que cambió está el valor guardado ahora. Revisa y guarda de nuevo "
    "para aplicar los tuyos."
)
OFICIO_OCUPADO = "Otra OT ya tiene ese oficio (las reprogramaciones comparten el de su OT)."


# --- List --------------------------------------------------------------------------------


class OTLista(ListaView):
    """OTs with filters beside them (the API's parameter names); sorting, paging and filters
    live in the query string. `?exportar=xlsx` answers the whole filtered list, in its
    order, as a workbook."""

    permisos_requeridos = ("ots.view_ot",)
    clave = "ots"
    titulo = "OTs"
    sustantivos = ("OT", "OTs")
    tabla = OTTable
    columnas = COLUMNAS
    vacio = "Ninguna OT coincide con los filtros."

    def filtros(self) -> OTFiltroForm:
        return OTFiltroForm(self.request.GET, anios=selectors.anios_de_inicio())

    def registros(self, filtros: OTFiltroForm) -> QuerySet[OT]:
        return selectors.ot_lista(filtros.parametros())

    def exportar(self, registros: QuerySet[OT]) -> HttpResponseBase:
        return exports.ots_xlsx(registros)

    def preparar(self, table: Any, registros: list[OT]) -> None:
        table.avance = selectors.avance_de(registros)

    def acciones(self) -> list[dict[str, str]]:
        if not self.request.user.has_perm("ots.add_ot"):
            return []
        return [{"texto": "Nueva OT", "url": reverse("ots:nueva")}]


ot_lista = OTLista.as_view()


# --- Detail and its steps ----------------------------------------------------------------


def _entero(valor: str | None) -> int | None:
    try:
        return int(valor) if valor else None
    except ValueError:
        return None


def _paso_form(detalle: OTDetalle, data: Any = None) -> PasoForm:
    if data is not None:
        return PasoForm(data, prefijo=f"paso-{detalle.pk}")
    initial = {campo: getattr(detalle, campo) for campo in CAMPOS_PASO}
    return PasoForm(initial={**initial, "version": etag_for(detalle)}, prefijo=f"paso-{detalle.pk}")


def _contexto_paso(
    request: HttpRequest,
    ot: OT,
    detalle: OTDetalle | None,
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
        "ot": ot,
        "d": detalle,
        "form_paso": form,
        "campos_paso": campos,
        "aviso_paso": aviso,
        "puede_editar_pasos": request.user.has_perm("ots.change_otdetalle"),
    }


def _detalle_de(detalles: list[OTDetalle], detalle_id: int | None) -> OTDetalle:
    detalle = next((d for d in detalles if d.pk == detalle_id), None)
    if detalle is None:
        raise Http404("The OT has no such step.")
    return detalle


def _pagina_detalle(
    request: HttpRequest,
    ot_id: int,
    *,
    editando: OTDetalle | None = None,
    form_paso: PasoForm | None = None,
    status: int = 200,
    **paso: Any,
) -> HttpResponse:
    ot, detalles, reprogramaciones, avance = selectors.ot_detalle(ot_id)
    if editando is not None and form_paso is None:
        form_paso = _paso_form(editando)
    produccion_url = url_si_existe("produccion:lista")
    context = {
        "detalles": detalles,
        "avance": avance,
        "pesos": selectors.pesos_de_avance(),
        "principal": selectors.principal_de(ot),
        "reprogramaciones": selectors.reprogramaciones_de(reprogramaciones),
        "produccion": selectors.produccion_de(ot.pk),
        "produccion_url": f"{produccion_url}?ot={ot.pk}" if produccion_url else None,
        "anexo_url": url_si_existe("ots:anexo", ot_id=ot.pk),
        "editando": editando.pk if editando is not None else None,
        "puede_editar": request.user.has_perm("ots.change_ot"),
        "puede_eliminar": request.user.has_perm("ots.delete_ot"),
    }
    # The step being edited (if any): its form, with the same names its fragment uses.
    context.update(_contexto_paso(request, ot, editando, form_paso, **paso))
    return render(request, DETALLE, context, status=status)


@never_cache
@permission_required_page("ots.view_ot")
@errores_de_pagina
def ot_detalle(request: HttpRequest, ot_id: int) -> HttpResponse:
    """The OT: programmed against actual dates, amounts, progress, its steps (each editable
    in place), its re-programmings or principal OT, its production and its PTE.

    `?editar_paso=<id>` opens that step's form (without JavaScript, in the whole page);
    htmx asks for just that row, and `?paso=<id>` for the row as it reads.
    """
    editar = _entero(request.GET.get("editar_paso"))
    ver = _entero(request.GET.get("paso"))
    if editar is not None and not request.user.has_perm("ots.change_otdetalle"):
        editar = None
    if getattr(request, "htmx", False) and (editar or ver):
        ot, detalles, _, _ = selectors.ot_detalle(ot_id)
        detalle = _detalle_de(detalles, editar or ver)
        if editar:
            contexto = _contexto_paso(request, ot, detalle, _paso_form(detalle))
            return render(request, f"{DETALLE}#paso-edicion", contexto)
        return render(request, f"{DETALLE}#paso", _contexto_paso(request, ot, detalle))
    if editar is not None:
        _, detalles, _, _ = selectors.ot_detalle(ot_id)
        return _pagina_detalle(request, ot_id, editando=_detalle_de(detalles, editar))
    return _pagina_detalle(request, ot_id)


@require_POST
@permission_required_page("ots.change_otdetalle")
@errores_de_pagina
def ot_paso(request: HttpRequest, ot_id: int, detalle_id: int) -> HttpResponse:
    """Save one step (estatus, dates, document link, comment) with its version: a step
    someone else changed meanwhile is not overwritten; the form comes back saying so."""
    ot, detalles, _, _ = selectors.ot_detalle(ot_id)
    detalle = _detalle_de(detalles, detalle_id)
    form = _paso_form(detalle, request.POST)
    aviso, diferencias, status = "", None, 400
    if form.is_valid():
        try:
            services.ot_paso_actualizar(
                usuario=current_user(request),
                ot_id=ot_id,
                detalle_id=detalle_id,
                datos=form.datos(),
                if_match=form.cleaned_data["version"],
            )
        except PreconditionFailed:
            _, detalles, _, _ = selectors.ot_detalle(ot_id)
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
            return _paso_guardado(request, ot_id, detalle_id)
    if getattr(request, "htmx", False):
        contexto = _contexto_paso(request, ot, detalle, form, aviso=aviso, diferencias=diferencias)
        return render(request, f"{DETALLE}#paso-edicion", contexto, status=status)
    return _pagina_detalle(
        request,
        ot_id,
        editando=detalle,
        form_paso=form,
        status=status,
        aviso=aviso,
        diferencias=diferencias,
    )


def _paso_guardado(request: HttpRequest, ot_id: int, detalle_id: int) -> HttpResponse:
    ot, detalles, _, avance = selectors.ot_detalle(ot_id)
    detalle = _detalle_de(detalles, detalle_id)
    texto = f"Paso «{detalle.paso.descripcion}» guardado: {EstatusPaso(detalle.estatus).label}."
    if not getattr(request, "htmx", False):
        messages.success(request, texto)
        return redirect(f"{reverse('ots:detalle', args=[ot_id])}#paso-{detalle_id}")
    fila = render_to_string(
        f"{DETALLE}#paso", {**_contexto_paso(request, ot, detalle), "guardado": texto}, request
    )
    # The OT's progress changes with its steps: sent along, swapped out of band.
    progreso = render_to_string(
        f"{DETALLE}#progreso",
        {"ot": ot, "avance": avance, "pesos": selectors.pesos_de_avance(), "oob": True},
        request,
    )
    return HttpResponse(fila + progreso)


# --- Create, edit, delete ----------------------------------------------------------------


_IMPEDIMENTO_PASOS = (
    "La PTE {pte} tiene {n} paso{s} sin completar ni marcar «No aplica»: una OT se crea "
    "de una PTE solo cuando todos sus pasos están hechos."
)
_IMPEDIMENTO_OT = "La PTE {pte} ya tiene la OT {ot}: reprograma esa OT en lugar de crear otra."


def _impedimento(pte: PTE) -> str:
    """Why an OT cannot follow `pte` now, in the users' words ("" when it can)."""
    impedimento = selectors.impedimento_desde_pte(pte.pk)
    if impedimento is None:
        return ""
    if impedimento.ot_existente is not None:
        return _IMPEDIMENTO_OT.format(pte=pte.oficio_pte, ot=impedimento.ot_existente)
    n = impedimento.pasos_pendientes
    return _IMPEDIMENTO_PASOS.format(pte=pte.oficio_pte, n=n, s="" if n == 1 else "s")


def _pagina_formulario(
    request: HttpRequest,
    form: OTForm,
    *,
    ot: OT | None,
    pte: PTE | None = None,
    status: int = 200,
    aviso: str = "",
    impedimento: str = "",
    diferencias: dict[str, str] | None = None,
) -> HttpResponse:
    campos = [(form[n], (diferencias or {}).get(n), n in ANCHOS) for n in CAMPOS_OT]
    context = {
        "form": form,
        "campos": campos,
        "ot": ot,
        "pte": pte,
        "aviso": aviso,
        "impedimento": impedimento,
    }
    return render(request, FORMULARIO, context, status=status)


def _pte_de(request: HttpRequest) -> PTE | None:
    pte_id = _entero(request.GET.get("pte") or request.POST.get("pte"))
    if pte_id is None:
        return None
    try:
        return ptes.pte_detalle(pte_id)[0]
    except NotFound as exc:
        raise Http404(exc.detail) from exc


@never_cache
@permission_required_page("ots.add_ot")
@require_http_methods(["GET", "HEAD", "POST"])
def ot_nueva(request: HttpRequest) -> HttpResponse:
    """A new OT, directly or (`?pte=<id>`) following a PTE, prefilled from it. The service
    decides whether the PTE may have one: when it may not, the page says why."""
    pte = _pte_de(request)
    if request.method != "POST":
        initial = valores_de_pte(pte) if pte is not None else {}
        impedimento = _impedimento(pte) if pte is not None else ""
        return _pagina_formulario(
            request, OTForm(initial=initial), ot=None, pte=pte, impedimento=impedimento
        )
    form = OTForm(request.POST)
    status = 400
    impedimento = ""
    if form.is_valid():
        try:
            if pte is not None:
                ot = services.ot_crear_desde_pte(
                    usuario=current_user(request), pte_id=pte.pk, datos=form.datos()
                )
            else:
                ot = services.ot_crear(usuario=current_user(request), datos=form.datos())
        except Conflict:
            status = 409
            impedimento = _impedimento(pte) if pte is not None else ""
            if not impedimento:
                form.add_error("oficio_ot", OFICIO_OCUPADO)
        except InvalidInput as exc:
            mostrar_errores(form, exc, OT)
        else:
            messages.success(request, f"OT {ot} creada.")
            return redirect("ots:detalle", ot_id=ot.pk)
    return _pagina_formulario(
        request, form, ot=None, pte=pte, status=status, impedimento=impedimento
    )


@never_cache
@permission_required_page("ots.change_ot")
@require_http_methods(["GET", "HEAD", "POST"])
@errores_de_pagina
def ot_editar(request: HttpRequest, ot_id: int) -> HttpResponse:
    """Edit an OT. The form carries the version it was drawn from; if the OT changed since,
    nothing is saved and the page says so, keeping what the user typed."""
    ot = selectors.ot_detalle(ot_id)[0]
    if request.method != "POST":
        form = OTForm(initial={**valores_de(ot), "version": etag_for(ot)}, ot=ot)
        return _pagina_formulario(request, form, ot=ot)
    form = OTForm(request.POST, ot=ot)
    form.fields["version"].required = True
    status = 400
    if form.is_valid():
        try:
            services.ot_actualizar(
                usuario=current_user(request),
                ot_id=ot_id,
                datos=form.datos(),
                if_match=form.cleaned_data["version"],
            )
        except PreconditionFailed:
            actual = selectors.ot_detalle(ot_id)[0]
            diferencias = cambios_ajenos(form, valores_de(actual))
            form = con_version(
                OTForm, request.POST, etag_for(actual), valores_de(actual), ot=actual
            )
            return _pagina_formulario(
                request, form, ot=actual, status=412, aviso=CAMBIO_AJENO, diferencias=diferencias
            )
        except Conflict:
            form.add_error("oficio_ot", OFICIO_OCUPADO)
            status = 409
        except InvalidInput as exc:
            mostrar_errores(form, exc, OT)
        else:
            messages.success(request, f"OT {ot} guardada.")
            return redirect("ots:detalle", ot_id=ot_id)
    return _pagina_formulario(request, form, ot=ot, status=status)


@never_cache
@permission_required_page("ots.delete_ot")
@require_http_methods(["GET", "HEAD", "POST"])
@errores_de_pagina
def ot_eliminar(request: HttpRequest, ot_id: int) -> HttpResponse:
    """Ask, then hide the OT (soft delete: it stays in the database and the activity log).
    One with re-programmings is refused by the service; the page says so."""
    ot = selectors.ot_detalle(ot_id)[0]
    aviso, status = "", 200
    if request.method == "POST":
        try:
            services.ot_eliminar(
                usuario=current_user(request),
                ot_id=ot_id,
                # No version is a stale one: a delete is confirmed on what the page showed.
                if_match=request.POST.get("version", ""),
            )
        except PreconditionFailed:
            ot = selectors.ot_detalle(ot_id)[0]
            aviso = (
                "La OT cambió desde que abriste esta página; no se eliminó. Revisa sus "
                "datos y confirma de nuevo si aún quieres eliminarla."
            )
            status = 412
        except Conflict:
            aviso = (
                "Esta OT tiene reprogramaciones; no se eliminó. Elimina primero sus "
                "reprogramaciones."
            )
            status = 409
        else:
            messages.success(request, f"OT {ot} eliminada.")
            return redirect("ots:lista")
    context = {"ot": ot, "version": etag_for(ot), "aviso": aviso}
    return render(request, ELIMINAR, context, status=status)
