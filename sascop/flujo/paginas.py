"""Workflow steps edited in place on their PTE's or OT's page: the detail view that serves
them (one read of the steps per request), their form and their partial template
(`flujo/_pasos.html`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext, ngettext

from sascop.catalogos.estatus import EstatusPaso
from sascop.core.api.etags import etag_for
from sascop.core.errors import InvalidInput, PreconditionFailed
from sascop.core.pages.formularios import cambios_ajenos, con_version, mostrar_errores
from sascop.core.pages.vistas import CAMBIO_AJENO, DetalleView, entero_o_nada
from sascop.core.templatetags.formato import entero
from sascop.flujo.forms import ANCHOS_PASO, CAMPOS_PASO, PasoForm

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

PASOS = "flujo/_pasos.html"


def plazo(dias: int | None) -> str:
    """A PTE's or OT's term as its page says it: `20 días`."""
    if not dias:
        return "—"
    return ngettext("%(days)s day", "%(days)s days", dias) % {"days": entero(dias)}


def _detalle_de(detalles: list[Any], detalle_id: int | None) -> Any:
    detalle = next((d for d in detalles if d.pk == detalle_id), None)
    if detalle is None:
        raise Http404("No such step.")
    return detalle


def _paso_form(detalle: Any, data: Any = None) -> PasoForm:
    if data is not None:
        return PasoForm(data, prefijo=f"paso-{detalle.pk}")
    initial = {campo: getattr(detalle, campo) for campo in CAMPOS_PASO}
    return PasoForm(initial={**initial, "version": etag_for(detalle)}, prefijo=f"paso-{detalle.pk}")


class ConPasosView(DetalleView):
    """A PTE's or an OT's page with its steps. On the page's URL, `?editar_paso=<id>` opens
    that step's form (without JavaScript, in the whole page); htmx asks for just that row,
    and `?paso=<id>` for the row as it reads. On the step's URL (`detalle_id`), a POST saves
    the step with its version: a step someone else changed meanwhile is not overwritten;
    the form comes back saying so."""

    http_method_names = ["get", "head", "post"]
    permiso_pasos: str  # "ptes.change_ptedetalle"
    pasos_titulo: StrOrPromise
    pasos_vacio: StrOrPromise

    # --- What a model declares ---------------------------------------------------------

    def leer_pasos(self) -> tuple[Any, list[Any], Any]:
        """The record, its steps in order, and its progress (what `progreso_oob` shows)."""
        raise NotImplementedError

    def guardar_paso(self, detalle_id: int, form: PasoForm) -> None:
        raise NotImplementedError

    def progreso_oob(self, registro: Any, progreso: Any) -> str:
        """The record's progress, to swap out of band after a step is saved."""
        raise NotImplementedError

    def url_detalle(self) -> str:
        raise NotImplementedError

    # --- The page ------------------------------------------------------------------------

    def permisos(self) -> tuple[str, ...]:
        if self.request.method == "POST":
            return (self.permiso_pasos,)
        return super().permisos()

    def contexto_paso(
        self,
        detalle: Any,
        form: PasoForm | None = None,
        *,
        aviso: str = "",
        diferencias: dict[str, str] | None = None,
    ) -> dict[str, Any]:
        campos = []
        if form is not None:
            campos = [(form[n], (diferencias or {}).get(n), n in ANCHOS_PASO) for n in CAMPOS_PASO]
        return {
            "d": detalle,
            "form_paso": form,
            "campos_paso": campos,
            "aviso_paso": aviso,
            "puede_editar_pasos": self.request.user.has_perm(self.permiso_pasos),
            "url_detalle": self.url_detalle(),
            "pasos_titulo": self.pasos_titulo,
            "pasos_vacio": self.pasos_vacio,
        }

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if "detalle_id" in kwargs:
            return self.http_method_not_allowed(request, *args, **kwargs)
        editar = entero_o_nada(request.GET.get("editar_paso"))
        ver = entero_o_nada(request.GET.get("paso"))
        if editar is not None and not request.user.has_perm(self.permiso_pasos):
            editar = None
        if getattr(request, "htmx", False) and (editar or ver):
            _, detalles, _ = self.leer_pasos()
            detalle = _detalle_de(detalles, editar or ver)
            if editar:
                contexto = self.contexto_paso(detalle, _paso_form(detalle))
                return render(request, f"{PASOS}#paso-edicion", contexto)
            return render(request, f"{PASOS}#paso", self.contexto_paso(detalle))
        contexto = self.contexto()
        if editar is None:
            contexto.update(self.contexto_paso(None), editando=None)
            return self.pagina(contexto)
        detalle = _detalle_de(contexto["detalles"], editar)
        contexto.update(self.contexto_paso(detalle, _paso_form(detalle)), editando=detalle.pk)
        return self.pagina(contexto)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        detalle_id = kwargs.get("detalle_id")
        if detalle_id is None:
            return self.http_method_not_allowed(request, *args, **kwargs)
        _, detalles, _ = self.leer_pasos()
        detalle = _detalle_de(detalles, detalle_id)
        form = _paso_form(detalle, request.POST)
        aviso, diferencias, status = "", None, 400
        if form.is_valid():
            try:
                self.guardar_paso(detalle_id, form)
            except PreconditionFailed:
                _, detalles, _ = self.leer_pasos()
                detalle = _detalle_de(detalles, detalle_id)
                actuales = {c: getattr(detalle, c) for c in CAMPOS_PASO}
                diferencias = cambios_ajenos(form, actuales)
                form = con_version(
                    PasoForm,
                    request.POST,
                    etag_for(detalle),
                    actuales,
                    prefijo=f"paso-{detalle.pk}",
                )
                aviso, status = str(CAMBIO_AJENO), 412
            except InvalidInput as exc:
                mostrar_errores(form, exc)
            else:
                return self.paso_guardado(detalle_id)
        contexto_paso = self.contexto_paso(detalle, form, aviso=aviso, diferencias=diferencias)
        if getattr(request, "htmx", False):
            return render(request, f"{PASOS}#paso-edicion", contexto_paso, status=status)
        contexto = self.contexto()
        contexto.update(contexto_paso, editando=detalle.pk)
        return self.pagina(contexto, status=status)

    def paso_guardado(self, detalle_id: int) -> HttpResponse:
        registro, detalles, progreso = self.leer_pasos()
        detalle = _detalle_de(detalles, detalle_id)
        texto = gettext("Step «%(step)s» saved: %(status)s.") % {
            "step": detalle.paso.descripcion,
            "status": EstatusPaso(detalle.estatus).label,
        }
        if not getattr(self.request, "htmx", False):
            messages.success(self.request, texto)
            return redirect(f"{self.url_detalle()}#paso-{detalle_id}")
        fila = render_to_string(
            f"{PASOS}#paso", {**self.contexto_paso(detalle), "guardado": texto}, self.request
        )
        # The record's progress changes with its steps: sent along, swapped out of band.
        return HttpResponse(fila + self.progreso_oob(registro, progreso))
