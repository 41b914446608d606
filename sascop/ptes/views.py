"""The PTE pages: list, create, detail with steps edited in place, edit, delete.

Each declares only what is the PTE's own on the generic pages (`core.pages`, and
`flujo.paginas` for the steps): the same selectors and services as `apis.py`, the forms,
the columns, the words.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.template.defaultfilters import linebreaksbr
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sascop.accounts.current import current_user
from sascop.catalogos.estatus import EstatusPTE
from sascop.core.api.etags import etag_for
from sascop.core.errors import InvalidInput, PreconditionFailed
from sascop.core.pages.vistas import EditarView, EliminarView, ListaView, Pagina
from sascop.core.templatetags.formato import dinero, fecha
from sascop.flujo.forms import PasoForm
from sascop.flujo.paginas import ConPasosView, plazo
from sascop.ptes import exports, selectors, services
from sascop.ptes.forms import PTEFiltroForm, PTEForm
from sascop.ptes.models import PTE
from sascop.ptes.tables import OTsDeLaPTETable, PTETable

DETALLE = "ptes/pte_detalle.html"


class PTELista(ListaView):
    """PTEs with filters beside them; sorting, paging and filters live in the query string.
    `?exportar=xlsx` answers the whole filtered list, in its order, as a workbook."""

    permisos_requeridos = ("ptes.view_pte",)
    titulo = gettext_lazy("PTEs")
    tabla = PTETable
    lote = {"estatus": "ptes.change_pte", "eliminar": "ptes.delete_pte"}
    estatus_opciones = EstatusPTE.choices

    def filtros(self) -> PTEFiltroForm:
        return PTEFiltroForm(self.request.GET, anios=selectors.anios_de_solicitud())

    def registros(self, filtros: PTEFiltroForm) -> QuerySet[PTE]:
        return selectors.pte_lista(filtros.parametros())

    def exportar(self, registros: QuerySet[PTE]) -> HttpResponseBase:
        return exports.ptes_xlsx(registros)

    def preparar(self, table: Any, registros: list[PTE]) -> None:
        table.avance = selectors.progreso_de(r.pk for r in registros)

    def cambiar_estatus(self, registro: PTE, estatus: int, version: str) -> None:
        usuario = current_user(self.request)
        datos = {"estatus": estatus}
        services.pte_actualizar(usuario=usuario, pte_id=registro.pk, datos=datos, if_match=version)

    def eliminar_registro(self, registro: PTE, version: str) -> None:
        usuario = current_user(self.request)
        services.pte_eliminar(usuario=usuario, pte_id=registro.pk, if_match=version)

    def acciones(self) -> list[dict[str, str]]:
        if not self.request.user.has_perm("ptes.add_pte"):
            return []
        return [{"texto": _("New PTE"), "url": reverse("ptes:nueva")}]


class PTEDetalle(ConPasosView):
    """The PTE, its progress, its steps (each editable in place) and its OTs."""

    template_name = DETALLE
    permisos_requeridos = ("ptes.view_pte",)
    permiso_pasos = "ptes.change_ptedetalle"
    pasos_titulo = gettext_lazy("Workflow steps")
    pasos_vacio = gettext_lazy(
        "This PTE has no steps: its client type had no active steps when it was created."
    )

    def url_detalle(self) -> str:
        return reverse("ptes:detalle", args=[self.kwargs["pte_id"]])

    def leer_pasos(self) -> tuple[PTE, list[Any], float]:
        return selectors.pte_detalle(self.kwargs["pte_id"])

    def guardar_paso(self, detalle_id: int, form: PasoForm) -> None:
        services.pte_paso_actualizar(
            usuario=current_user(self.request),
            pte_id=self.kwargs["pte_id"],
            detalle_id=detalle_id,
            datos=form.datos(),
            if_match=form.cleaned_data["version"],
        )

    def progreso_oob(self, registro: PTE, progreso: float) -> str:
        return self.progreso(progreso, oob=True) + self.entregar(registro, progreso, oob=True)

    def entregar(self, pte: PTE, progreso: float, *, oob: bool = False) -> str:
        """Once every step is done, "Mark as Entregada" in one click (for who may edit the
        PTE, while it is neither delivered nor cancelled); an empty place otherwise, which a
        saved step fills in place."""
        puede = pte.estatus not in (
            EstatusPTE.ENTREGADA,
            EstatusPTE.CANCELADA,
        ) and self.request.user.has_perm("ptes.change_pte")
        contexto = {
            "pte": pte,
            "puede": puede,
            "ofrecer": puede and progreso >= 100,
            "version": etag_for(pte) if puede else "",
            "oob": oob,
        }
        return render_to_string("ptes/_entregar.html", contexto, self.request)

    def progreso(self, valor: float, *, oob: bool = False) -> str:
        contexto = {
            "valor": valor,
            "id": "progreso-pte",
            "etiqueta": _("PTE progress"),
            "oob": oob,
        }
        return render_to_string("core/_progreso.html", contexto, self.request)

    def datos(self, pte: PTE, progreso: float) -> list[tuple[str, Any, bool]]:
        datos = [
            (_("Work description"), linebreaksbr(pte.descripcion_trabajo), True),
            (_("Client"), pte.cliente.descripcion, False),
            (_("Type"), pte.tipo.descripcion, False),
            (_("Project lead"), pte.responsable_proyecto.nombre, False),
            (_("Request letter"), pte.oficio_solicitud or "—", False),
            (_("Request date"), fecha(pte.fecha_solicitud), False),
            (_("Term"), plazo(pte.plazo_dias), False),
            (_("Delivery date"), fecha(pte.fecha_entrega), False),
            (_("Priority"), pte.get_prioridad_display(), False),
            (_("Approved total"), dinero(pte.total_homologado, "MXN"), False),
            (_("Progress"), self.progreso(progreso) + self.entregar(pte, progreso), False),
        ]
        if pte.comentario:
            datos.append((_("Comment"), linebreaksbr(pte.comentario), True))
        return datos

    def contexto(self) -> dict[str, Any]:
        pte, detalles, progreso = self.leer_pasos()
        usuario = self.request.user
        acciones = []
        if usuario.has_perm("ptes.change_pte"):
            acciones.append({"texto": _("Edit"), "url": reverse("ptes:editar", args=[pte.pk])})
        # "Crear OT" for who may create one; whether this PTE may have one, the OT page says.
        crear_ot = reverse("ots:nueva") if usuario.has_perm("ots.add_ot") else None
        if crear_ot:
            acciones.append(
                {
                    "texto": _("Create OT"),
                    "url": f"{crear_ot}?pte={pte.pk}",
                    "clase": "boton-secundario",
                }
            )
        if usuario.has_perm("ptes.delete_pte"):
            url = reverse("ptes:eliminar", args=[pte.pk])
            acciones.append({"texto": _("Delete"), "url": url, "clase": "boton-secundario"})
        return {
            "pte": pte,
            "titulo": pte.oficio_pte,
            "estatus": (pte.estatus, pte.get_estatus_display()),
            "acciones": acciones,
            "url_lista": reverse("ptes:lista"),
            "datos_titulo": _("PTE data"),
            "datos": self.datos(pte, progreso),
            "detalles": detalles,
            "progreso": progreso,
            "ots": OTsDeLaPTETable(selectors.ots_de(pte), exclude=("seleccion",)),
        }


class PTEEntregar(Pagina):
    """POST only, from the PTE's page: the PTE becomes Entregada (its delivery date today),
    with the version the page showed; one changed meanwhile is left alone and the page
    says so."""

    http_method_names = ["post"]
    permisos_requeridos = ("ptes.change_pte",)

    def post(self, request: HttpRequest, pte_id: int) -> HttpResponseBase:
        try:
            pte = services.pte_actualizar(
                usuario=current_user(request),
                pte_id=pte_id,
                datos={"estatus": EstatusPTE.ENTREGADA},
                if_match=request.POST.get("version", ""),
            )
        except PreconditionFailed:
            messages.error(
                request,
                _("Someone else changed this PTE meanwhile; it was not marked. Check it again."),
            )
        except InvalidInput as exc:
            campos = exc.fields or {}
            messages.error(request, " ".join(str(m) for ms in campos.values() for m in ms))
        else:
            messages.success(request, _("PTE %(pte)s marked as Entregada.") % {"pte": pte})
        return redirect("ptes:detalle", pte_id=pte_id)


class PTEEditar(EditarView):
    """A new PTE (its workflow steps come from its client's type: the service adds them), or
    an edit of one."""

    form_class = PTEForm
    modelo = PTE

    def permisos(self) -> tuple[str, ...]:
        return ("ptes.change_pte",) if "pte_id" in self.kwargs else ("ptes.add_pte",)

    def objeto(self) -> PTE | None:
        if "pte_id" not in self.kwargs:
            return None
        return selectors.pte_cabecera(self.kwargs["pte_id"])

    def guardar(self, objeto: PTE | None, form: PTEForm) -> PTE:
        usuario = current_user(self.request)
        if objeto is None:
            return services.pte_crear(usuario=usuario, datos=form.datos())
        return services.pte_actualizar(
            usuario=usuario,
            pte_id=objeto.pk,
            datos=form.datos(),
            if_match=form.cleaned_data["version"],
        )

    def exito(self, objeto: PTE, creado: bool) -> HttpResponseBase:
        if creado:
            texto = _("PTE %(oficio)s created.") % {"oficio": objeto.oficio_pte}
        else:
            texto = _("PTE %(oficio)s saved.") % {"oficio": objeto.oficio_pte}
        messages.success(self.request, texto)
        return redirect("ptes:detalle", pte_id=objeto.pk)

    def contexto_extra(self, objeto: PTE | None) -> dict[str, Any]:
        if objeto is None:
            return {
                "titulo": _("New PTE"),
                "boton": _("Create PTE"),
                "cancelar": reverse("ptes:lista"),
                "nota": _(
                    "The workflow steps are created automatically, according to the client's type."
                ),
            }
        return {
            "titulo": _("Edit PTE %(oficio)s") % {"oficio": objeto.oficio_pte},
            "boton": _("Save changes"),
            "cancelar": reverse("ptes:detalle", args=[objeto.pk]),
        }


class PTEEliminar(EliminarView):
    """Ask, then hide the PTE (soft delete: it stays in the database and the activity log)."""

    permisos_requeridos = ("ptes.delete_pte",)
    nombre = gettext_lazy("the PTE")

    def objeto(self) -> PTE:
        return selectors.pte_cabecera(self.kwargs["pte_id"])

    def eliminar(self, objeto: PTE, version: str) -> None:
        services.pte_eliminar(
            usuario=current_user(self.request), pte_id=objeto.pk, if_match=version
        )

    def datos(self, objeto: PTE) -> list[tuple[str, Any, bool]]:
        return [
            (_("Description"), Truncator(objeto.descripcion_trabajo).chars(200), True),
            (_("Client"), objeto.cliente.descripcion, False),
            (_("Status"), objeto.get_estatus_display(), False),
        ]

    def exito(self, objeto: PTE) -> HttpResponseBase:
        messages.success(self.request, _("PTE %(oficio)s deleted.") % {"oficio": objeto.oficio_pte})
        return redirect("ptes:lista")

    def contexto_extra(self, objeto: PTE) -> dict[str, Any]:
        return {
            "nombre": _("PTE %(oficio)s") % {"oficio": objeto.oficio_pte},
            "pregunta": _("the PTE %(oficio)s") % {"oficio": objeto.oficio_pte},
            "cancelar": reverse("ptes:detalle", args=[objeto.pk]),
        }
