"""The OT pages: list, create (directly or from a PTE), detail with steps edited in place,
edit, delete.

Each declares only what is the OT's own on the generic pages (`core.pages`, and
`flujo.paginas` for the steps): the same selectors and services as `apis.py`, the forms,
the columns, the words.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import QuerySet
from django.http import Http404
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.template.defaultfilters import linebreaksbr
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from sascop.accounts.current import current_user
from sascop.catalogos.estatus import EstatusOT
from sascop.core.errors import NotFound
from sascop.core.pages.vistas import EditarView, EliminarView, ListaView, entero_o_nada
from sascop.core.templatetags.formato import dinero, fecha
from sascop.flujo.forms import PasoForm
from sascop.flujo.paginas import ConPasosView, plazo
from sascop.ots import exports, selectors, services
from sascop.ots.forms import OTFiltroForm, OTForm, valores_de_pte
from sascop.ots.models import OT
from sascop.ots.selectors import Avance
from sascop.ots.tables import OTTable, texto_de_plazo
from sascop.ptes import selectors as ptes
from sascop.ptes.models import PTE

DETALLE = "ots/ot_detalle.html"
OFICIO_OCUPADO = gettext_lazy(
    "Another OT already has that letter (re-programmings share their OT's)."
)


class OTLista(ListaView):
    """OTs with filters beside them (the API's parameter names); sorting, paging and filters
    live in the query string. `?exportar=xlsx` answers the whole filtered list, in its
    order, as a workbook."""

    permisos_requeridos = ("ots.view_ot",)
    titulo = gettext_lazy("OTs")
    tabla = OTTable
    lote = {"estatus": "ots.change_ot", "eliminar": "ots.delete_ot"}
    estatus_opciones = EstatusOT.choices

    def filtros(self) -> OTFiltroForm:
        return OTFiltroForm(self.request.GET, anios=selectors.anios_de_inicio())

    def registros(self, filtros: OTFiltroForm) -> QuerySet[OT]:
        params = filtros.parametros()
        # The API's sort keys sort the page too, even by a column the user does not show
        # (the dashboard's late OTs open by programmed end); the table re-sorts by its own.
        orden = self.request.GET.get("orden", "")
        if orden.lstrip("-") in selectors.ORDENES:
            params["orden"] = orden
        return selectors.ot_pagina(params)

    def contables(self, filtros: OTFiltroForm) -> QuerySet[OT]:
        return selectors.ot_conteo(filtros.parametros())

    def exportar(self, registros: QuerySet[OT]) -> HttpResponseBase:
        return exports.ots_xlsx(registros)

    def preparar(self, table: Any, registros: list[OT]) -> None:
        # The places and the PTE are read (one query each) only for the columns that show
        # them: the list shows its places unless the user hides them, the PTE if asked for.
        if "lugares" in table.columns:
            selectors.lugares_de(registros)
        if "oficio_pte" in table.columns:
            selectors.ptes_de(registros)
        table.avance = selectors.avance_de(registros)

    def cambiar_estatus(self, registro: OT, estatus: int, version: str) -> None:
        usuario = current_user(self.request)
        datos = {"estatus": estatus}
        services.ot_actualizar(usuario=usuario, ot_id=registro.pk, datos=datos, if_match=version)

    def eliminar_registro(self, registro: OT, version: str) -> None:
        usuario = current_user(self.request)
        services.ot_eliminar(usuario=usuario, ot_id=registro.pk, if_match=version)

    def acciones(self) -> list[dict[str, str]]:
        if not self.request.user.has_perm("ots.add_ot"):
            return []
        return [
            {"texto": _("New OT"), "url": reverse("ots:nueva")},
            {
                "texto": _("Import register"),
                "url": reverse("ots:importar"),
                "clase": "boton-secundario",
            },
        ]


class OTDetalle(ConPasosView):
    """The OT: programmed against actual dates, amounts, progress, its steps (each editable
    in place), its re-programmings or principal OT, its production and its PTE."""

    template_name = DETALLE
    permisos_requeridos = ("ots.view_ot",)
    permiso_pasos = "ots.change_otdetalle"
    pasos_titulo = gettext_lazy("OT steps")
    pasos_vacio = gettext_lazy(
        "This OT has no steps: there were no active OT steps when it was created."
    )

    def url_detalle(self) -> str:
        return reverse("ots:detalle", args=[self.kwargs["ot_id"]])

    def leer_pasos(self) -> tuple[OT, list[Any], Avance]:
        ot, detalles, _reprogramaciones, avance = selectors.ot_detalle(self.kwargs["ot_id"])
        return ot, detalles, avance

    def guardar_paso(self, detalle_id: int, form: PasoForm) -> None:
        services.ot_paso_actualizar(
            usuario=current_user(self.request),
            ot_id=self.kwargs["ot_id"],
            detalle_id=detalle_id,
            datos=form.datos(),
            if_match=form.cleaned_data["version"],
        )

    def progreso_oob(self, registro: OT, progreso: Avance) -> str:
        contexto = {
            "ot": registro,
            "avance": progreso,
            "plazo": texto_de_plazo(registro, progreso),
            "pesos": selectors.pesos_de_avance(),
            "oob": True,
        }
        return render_to_string(f"{DETALLE}#progreso", contexto, self.request)

    def datos(self, ot: OT) -> list[tuple[str, Any, bool]]:
        pte = (
            format_html(
                '<a href="{}">{}</a>', reverse("ptes:detalle", args=[ot.pte.pk]), ot.pte.oficio_pte
            )
            if ot.pte
            else _("— (direct)")
        )
        datos = [
            (_("Work description"), linebreaksbr(ot.descripcion_trabajo), True),
            (_("OT letter"), ot.oficio_ot or "—", False),
            (_("PTE"), pte, False),
            (_("Client"), ot.cliente.descripcion, False),
            (_("Project lead"), ot.responsable_proyecto.nombre, False),
            (_("Client's lead"), ot.responsable_cliente or "—", False),
            (_("Front"), ot.frente.descripcion if ot.frente else "—", False),
            (_("Site"), ot.sitio.descripcion if ot.sitio else "—", False),
            *(
                (etiqueta, lugar.descripcion if lugar else "—", False)
                for etiqueta, lugar in (
                    (_("Vessel"), ot.embarcacion),
                    (_("Platform"), ot.plataforma),
                    (_("Intercom"), ot.intercom),
                    (_("Yard"), ot.patio),
                )
            ),
        ]
        if ot.referencia_pte:
            datos.append((_("PTE (according to the register)"), ot.referencia_pte, False))
        datos += [(_("Term"), plazo(ot.plazo_dias), False), *self.montos(ot)]
        if ot.comentario:
            datos.append((_("Comment"), linebreaksbr(ot.comentario), True))
        return datos

    def aviso_monto(self, ot: OT) -> str:
        """When the anexo's total and the amount typed differ, the page says both."""
        if ot.monto_origen != selectors.ORIGEN_ANEXO:  # type: ignore[attr-defined]
            return ""
        avisos = []
        for moneda, anexo, capturado in (
            ("MXN", ot.monto_contratado_mxn, ot.monto_mxn),  # type: ignore[attr-defined]
            ("USD", ot.monto_contratado_usd, ot.monto_usd),  # type: ignore[attr-defined]
        ):
            if anexo != capturado:
                avisos.append(
                    _("The anexo adds up to %(anexo)s; the amount typed is %(capturado)s.")
                    % {"anexo": dinero(anexo, moneda), "capturado": dinero(capturado, moneda)}
                )
        return " ".join(avisos)

    def montos(self, ot: OT) -> list[tuple[str, Any, bool]]:
        """The contracted amount and where it comes from; with an anexo, its homologated
        total, and the amount typed when it differs."""
        monto = selectors.monto_de(ot)
        if not monto.del_anexo:
            return [
                (_("Contracted amount MXN"), dinero(monto.mxn, "MXN"), False),
                (_("Contracted amount USD"), dinero(monto.usd, "USD"), False),
                (_("Amount source"), _("Typed or imported (the OT has no Anexo C)"), False),
            ]
        anexo = reverse("ots:anexo", kwargs={"ot_id": ot.pk})
        filas = [
            (_("Contracted amount MXN"), dinero(monto.mxn, "MXN"), False),
            (_("Contracted amount USD"), dinero(monto.usd, "USD"), False),
            (
                _("Amount source"),
                format_html('<a href="{}">{}</a>', anexo, _("The OT's active Anexo C")),
                False,
            ),
        ]
        if monto.homologado is not None:
            texto = _("%(monto)s at %(tc)s MXN per USD (in force since %(fecha)s)") % {
                "monto": dinero(monto.homologado, "MXN"),
                "tc": monto.tipo_cambio,
                "fecha": fecha(monto.tipo_cambio_fecha),
            }
            filas.append((_("Homologated amount"), texto, False))
        if monto.difiere:
            filas += [
                (_("Typed amount MXN"), dinero(ot.monto_mxn, "MXN"), False),
                (_("Typed amount USD"), dinero(ot.monto_usd, "USD"), False),
            ]
        return filas

    def contexto(self) -> dict[str, Any]:
        ot, detalles, reprogramaciones, avance = selectors.ot_detalle(self.kwargs["ot_id"])
        usuario = self.request.user
        acciones = []
        if usuario.has_perm("ots.change_ot"):
            acciones.append({"texto": _("Edit"), "url": reverse("ots:editar", args=[ot.pk])})
        if usuario.has_perm("ots.add_ot"):
            url = reverse("ots:reprogramar", args=[ot.pk])
            acciones.append({"texto": _("Re-program"), "url": url, "clase": "boton-secundario"})
        anexo_url = reverse("ots:anexo", kwargs={"ot_id": ot.pk})
        if anexo_url:
            acciones.append({"texto": _("Anexo C"), "url": anexo_url, "clase": "boton-secundario"})
        if usuario.has_perm("estimaciones.view_estimacion"):
            url = reverse("ots:estimaciones", args=[ot.pk])
            acciones.append({"texto": _("Estimaciones"), "url": url, "clase": "boton-secundario"})
        if usuario.has_perm("ots.delete_ot"):
            url = reverse("ots:eliminar", args=[ot.pk])
            acciones.append({"texto": _("Delete"), "url": url, "clase": "boton-secundario"})
        produccion_url = reverse("produccion:lista")
        # The family in one query, and none for an OT alone (the principal is one of it).
        familia = selectors.familia_de(ot) if ot.ot_principal_id or reprogramaciones else [ot]
        principal = next((r for r in familia if r.pk == ot.ot_principal_id), None)
        return {
            "ot": ot,
            "titulo": _("OT %(ot)s") % {"ot": ot},
            "estatus": (ot.estatus, ot.get_estatus_display()),
            "acciones": acciones,
            "url_lista": reverse("ots:lista"),
            "datos_titulo": _("OT data"),
            "datos": self.datos(ot),
            "detalles": detalles,
            "avance": avance,
            "plazo": texto_de_plazo(ot, avance),
            "aviso_monto": self.aviso_monto(ot),
            "pesos": selectors.pesos_de_avance(),
            "principal": principal,
            "familia": familia,
            "produccion": selectors.produccion_de(ot.pk),
            "produccion_url": f"{produccion_url}?ot={ot.pk}" if produccion_url else None,
        }


class OTEditar(EditarView):
    """A new OT, directly or (`?pte=<id>`) following a PTE, prefilled from it (the service
    decides whether the PTE may have one: when it may not, the page says why); or an edit of
    one."""

    form_class = OTForm
    modelo = OT

    def permisos(self) -> tuple[str, ...]:
        return ("ots.change_ot",) if "ot_id" in self.kwargs else ("ots.add_ot",)

    def setup(self, request: Any, *args: Any, **kwargs: Any) -> None:
        super().setup(request, *args, **kwargs)
        self._pte: PTE | None = None

    def pte(self) -> PTE | None:
        """The PTE a new OT follows (`?pte=<id>`), if any."""
        if "ot_id" in self.kwargs:
            return None
        pte_id = entero_o_nada(self.request.GET.get("pte") or self.request.POST.get("pte"))
        if pte_id is None:
            return None
        if self._pte is None:
            try:
                self._pte = ptes.pte_cabecera(pte_id)
            except NotFound as exc:
                raise Http404(exc.detail) from exc
        return self._pte

    def impedimento(self) -> str:
        """Why an OT cannot follow the PTE now, in the users' words ("" when it can)."""
        pte = self.pte()
        impedimento = selectors.impedimento_desde_pte(pte.pk) if pte is not None else None
        if pte is None or impedimento is None:
            return ""
        if impedimento.ot_existente is not None:
            return _(
                "The PTE %(pte)s already has the OT %(ot)s: re-program that OT instead of "
                "creating another."
            ) % {"pte": pte.oficio_pte, "ot": impedimento.ot_existente}
        n = impedimento.pasos_pendientes
        return ngettext(
            "The PTE %(pte)s has %(n)s step neither completed nor marked «No aplica»: an OT "
            "is created from a PTE only when all its steps are done.",
            "The PTE %(pte)s has %(n)s steps neither completed nor marked «No aplica»: an OT "
            "is created from a PTE only when all its steps are done.",
            n,
        ) % {"pte": pte.oficio_pte, "n": n}

    def objeto(self) -> OT | None:
        if "ot_id" not in self.kwargs:
            return None
        return selectors.ot_cabecera(self.kwargs["ot_id"])

    def iniciales(self) -> dict[str, Any]:
        pte = self.pte()
        return valores_de_pte(pte) if pte is not None else {}

    def guardar(self, objeto: OT | None, form: OTForm) -> OT:
        usuario, pte = current_user(self.request), self.pte()
        if objeto is not None:
            return services.ot_actualizar(
                usuario=usuario,
                ot_id=objeto.pk,
                datos=form.datos(),
                if_match=form.cleaned_data["version"],
            )
        if pte is not None:
            return services.ot_crear_desde_pte(usuario=usuario, pte_id=pte.pk, datos=form.datos())
        return services.ot_crear(usuario=usuario, datos=form.datos())

    def conflicto(self, form: OTForm) -> int:
        self._impedimento = self.impedimento()
        if not self._impedimento:
            form.add_error("oficio_ot", OFICIO_OCUPADO)
        return 409

    def exito(self, objeto: OT, creado: bool) -> HttpResponseBase:
        if creado:
            texto = _("OT %(ot)s created.") % {"ot": objeto}
        else:
            texto = _("OT %(ot)s saved.") % {"ot": objeto}
        messages.success(self.request, texto)
        return redirect("ots:detalle", ot_id=objeto.pk)

    def contexto_extra(self, objeto: OT | None) -> dict[str, Any]:
        if objeto is not None:
            return {
                "titulo": _("Edit OT %(ot)s") % {"ot": objeto},
                "boton": _("Save changes"),
                "cancelar": reverse("ots:detalle", args=[objeto.pk]),
            }
        pte = self.pte()
        if pte is None:
            return {
                "titulo": _("New OT"),
                "boton": _("Create OT"),
                "cancelar": reverse("ots:lista"),
                "nota": _("The OT's steps are created automatically."),
            }
        impedimento = getattr(self, "_impedimento", None)
        if impedimento is None and self.request.method != "POST":
            impedimento = self.impedimento()
        url_pte = reverse("ptes:detalle", args=[pte.pk])
        return {
            "titulo": _("New OT"),
            "encabezado": _("New OT of the PTE %(pte)s") % {"pte": pte.oficio_pte},
            "boton": _("Create OT"),
            "cancelar": url_pte,
            "impedimento": impedimento,
            "volver": {
                "url": url_pte,
                "texto": _("Back to the PTE %(pte)s") % {"pte": pte.oficio_pte},
            },
            "nota": format_html(
                _('Follows the PTE <a href="{}">{}</a>: what you leave empty is taken from it.'),
                url_pte,
                pte.oficio_pte,
            ),
        }


class OTEliminar(EliminarView):
    """Ask, then hide the OT (soft delete: it stays in the database and the activity log).
    One with re-programmings is refused by the service; the page says so."""

    permisos_requeridos = ("ots.delete_ot",)
    nombre = gettext_lazy("the OT")

    def objeto(self) -> OT:
        return selectors.ot_cabecera(self.kwargs["ot_id"])

    def eliminar(self, objeto: OT, version: str) -> None:
        services.ot_eliminar(usuario=current_user(self.request), ot_id=objeto.pk, if_match=version)

    def conflicto(self) -> str:
        return _(
            "This OT has re-programmings; it was not deleted. Delete its re-programmings first."
        )

    def datos(self, objeto: OT) -> list[tuple[str, Any, bool]]:
        return [
            (_("Description"), Truncator(objeto.descripcion_trabajo).chars(200), True),
            (_("Client"), objeto.cliente.descripcion, False),
            (_("Status"), objeto.get_estatus_display(), False),
            (_("Amount MXN"), dinero(objeto.monto_mxn), False),
        ]

    def exito(self, objeto: OT) -> HttpResponseBase:
        messages.success(self.request, _("OT %(ot)s deleted.") % {"ot": objeto})
        return redirect("ots:lista")

    def contexto_extra(self, objeto: OT) -> dict[str, Any]:
        return {
            "nombre": _("OT %(ot)s") % {"ot": objeto},
            "pregunta": _("the OT %(ot)s") % {"ot": objeto},
            "cancelar": reverse("ots:detalle", args=[objeto.pk]),
        }
