"""The generic pages (class-based views): a list, a detail frame, an edit and a delete,
each with one template. A model's pages subclass them and declare only what is theirs."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, ClassVar

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.decorators import method_decorator
from django.utils.html import conditional_escape, format_html
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.decorators.cache import never_cache

from sascop.core import errors
from sascop.core.api.etags import etag_for
from sascop.core.pages import preferencias
from sascop.core.pages.acceso import a_login
from sascop.core.pages.columnas import Columna, elegidas, sin_columnas
from sascop.core.pages.comunes import (
    TAMANOS_DE_PAGINA,
    exportar_url,
    fragmento,
    ordenar_tabla,
    paginar_tabla,
    tamano_de_pagina,
)
from sascop.core.pages.formularios import RegistroForm, cambios_ajenos, con_version, mostrar_errores
from sascop.core.templatetags.formato import entero

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


@method_decorator(never_cache, name="dispatch")
class Pagina(View):
    """A page for logged-in users holding `permisos()`: anonymous browsers go to the login
    page, the others get the 403 page; a service's 404 or 403 becomes Django's own."""

    permisos_requeridos: ClassVar[tuple[str, ...]] = ()

    def permisos(self) -> tuple[str, ...]:
        return self.permisos_requeridos

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if (request.method or "").lower() not in self.http_method_names:
            return self.http_method_not_allowed(request, *args, **kwargs)
        if not request.user.is_authenticated:
            return a_login(request)
        try:
            if not request.user.has_perms(self.permisos()):
                raise PermissionDenied
            return super().dispatch(request, *args, **kwargs)
        except errors.NotFound as exc:
            raise Http404(exc.detail) from exc
        except errors.PermissionDenied as exc:
            raise PermissionDenied(exc.detail) from exc


CAMBIO_AJENO = _(
    "Someone else saved changes while you were editing. Nothing was saved: your data is still "
    "here, and next to each field that changed is the value saved now. Check and save again "
    "to apply yours."
)


def entero_o_nada(valor: str | None) -> int | None:
    """A whole number from the query string, or None (absent or not a number)."""
    try:
        return int(valor) if valor else None
    except ValueError:
        return None


class ListaView(Pagina):
    """A filtered, sorted, paged list (NetBox's `ObjectListView`).

    Filters, order, page and page size live in the query string; htmx swaps just the table
    (`#tabla-<clave>`, the template's `tabla` partial) when they change; `?exportar=xlsx`
    answers the whole filtered list, in its order, as a workbook. The table's columns are
    each user's choice ("Configurar tabla").
    """

    template_name = "paginas/lista.html"
    titulo: StrOrPromise
    # From `columnas.tabla_de`: its columns are the list's declaration; it names the list
    # (`clave`: "ptes", its id, its section `tabla-ptes`, the preference's key) and what its
    # rows are (`sustantivos`: ("PTE", "PTEs")).
    tabla: type[Any]
    # Bulk actions beyond exporting the selected rows, each with the permission it needs:
    # `estatus` (to one of `estatus_opciones`) and `eliminar`, done through the model's
    # `cambiar_estatus` and `eliminar_registro`. None: the list has no selection at all.
    lote: ClassVar[dict[str, str] | None] = None
    estatus_opciones: ClassVar[Sequence[tuple[int, str]]] = ()
    # Filters applied by swapping the table in place (htmx); else the whole page reloads.
    filtra_con_htmx: ClassVar[bool] = True

    # --- What a model declares ---------------------------------------------------------

    def filtros(self) -> Any:
        raise NotImplementedError

    def registros(self, filtros: Any) -> QuerySet[Any]:
        raise NotImplementedError

    def exportar(self, registros: QuerySet[Any]) -> HttpResponseBase:
        raise NotImplementedError

    def contables(self, filtros: Any) -> QuerySet[Any] | None:
        """The listed rows in a form cheaper to count (without the joins that only add
        columns), or None to count `registros` themselves."""
        return None

    def preparar(self, table: Any, registros: list[Any]) -> None:
        """Fetch what the page's rows show beyond their own fields (one query a page)."""

    def acciones(self) -> list[dict[str, str]]:
        """The header's buttons: `{"texto", "url", "clase"}`."""
        return []

    def preferencia(self) -> str:
        """Under which key a user's columns for this list are kept."""
        return self.clave

    @property
    def columnas(self) -> Sequence[Columna]:
        return tuple(self.tabla.columnas)

    @property
    def clave(self) -> str:
        return str(self.tabla.clave)

    def cuenta(self, n: int, cifra: str | None = None) -> str:
        """ "3 PTEs": `n` (shown as `cifra` if given) and what the rows are, from the table's
        `sustantivos` (an `ngettext_lazy(..., "n")` with `%(cifra)s` where the figure goes)."""
        sustantivos = self.tabla.sustantivos
        cifra = str(n) if cifra is None else cifra
        if isinstance(sustantivos, tuple):  # (singular, plural) not yet translated
            return f"{cifra} {sustantivos[0] if n == 1 else sustantivos[1]}"
        return str(sustantivos % {"n": n, "cifra": cifra})

    def argumentos_tabla(self) -> dict[str, Any]:
        return {}

    def contexto_extra(self) -> dict[str, Any]:
        return {}

    # --- The page ------------------------------------------------------------------------

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.GET.get("configurar"):
            return self.configurar()
        return self.lista()

    def lista(self) -> HttpResponseBase:
        request = self.request
        filtros = self.filtros()
        registros = self.registros(filtros)
        table = self.crear_tabla(registros)
        if request.GET.get("exportar") == "xlsx":
            return self.exportar(ordenar_tabla(table, request))
        self.preparar(table, paginar_tabla(table, request, self.contables(filtros)))
        return self.responder(filtros, table)

    def vistas(self) -> list[str]:
        """The columns this user sees, in order."""
        return elegidas(
            self.columnas, preferencias.columnas_de(self.request.user, self.preferencia())
        )

    def crear_tabla(self, registros: Any, **kwargs: Any) -> Any:
        vistas = self.vistas()
        ocultas = [c.nombre for c in self.columnas if c.en_tabla and c.nombre not in vistas]
        if self.lote is None:
            ocultas.append("seleccion")
        # A class is hashable; mypy does not see a class object as `Hashable`.
        clase = sin_columnas(self.tabla, frozenset(ocultas))  # type: ignore[arg-type]
        return clase(
            registros,
            sequence=("seleccion", *vistas, "..."),
            attrs={
                "id": self.clave,
                "class": "lista-tabla una-linea",
                "aria_label": gettext("List of %(list)s") % {"list": self.titulo},
                "thead": {"hx-boost": "true"},
            },
            **{**self.argumentos_tabla(), **kwargs},
        )

    def responder(self, filtros: Any, table: Any, **contexto: Any) -> HttpResponse:
        objetivo = f"tabla-{self.clave}"
        context = {
            "vista": self,
            "filtros": filtros,
            "table": table,
            "objetivo": objetivo,
            "resumen": self.resumen(table),
            "hay_filas": self.hay_filas(table),
            "exportar_url": exportar_url(self.request),
            "tamanos": self.tamanos(table),
            "configurar_url": self.configurar_url(),
            "lote": self.acciones_lote(),
            **self.contexto_extra(),
            **contexto,
        }
        template = self.template_name
        if fragmento(self.request, objetivo):
            # The fragment is the generic template's, whichever page extends it.
            template = "paginas/lista.html#tabla"
        return render(self.request, template, context)

    # --- Bulk actions (NetBox's bulk edit and delete) --------------------------------------

    def cambiar_estatus(self, registro: Any, estatus: int, version: str) -> None:
        raise NotImplementedError

    def eliminar_registro(self, registro: Any, version: str) -> None:
        raise NotImplementedError

    def acciones_lote(self) -> list[tuple[str, str]]:
        """The bulk actions this user may take on this list: (key, label)."""
        if self.lote is None:
            return []
        nombres = {"estatus": gettext("Change status"), "eliminar": gettext("Delete")}
        return [("exportar", gettext("Export selected"))] + [
            (clave, nombres[clave])
            for clave, permiso in self.lote.items()
            if self.request.user.has_perm(permiso)
        ]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        """A bulk action on the rows ticked (`pk`): export them at once; change their status
        or delete them after a confirmation page that carries each row's version, then
        each row through its service (a row changed meanwhile is left alone, and said)."""
        if self.lote is None:
            return self.http_method_not_allowed(request, *args, **kwargs)
        accion = request.POST.get("accion", "")
        if accion not in dict(self.acciones_lote()):
            raise PermissionDenied
        pks = [int(pk) for pk in request.POST.getlist("pk") if pk.isdigit()][:500]
        registros = self.registros(self.filtros()).filter(pk__in=pks)
        if accion == "exportar":
            return self.exportar(registros)
        estatus = entero_o_nada(request.POST.get("estatus"))
        if accion == "estatus" and estatus not in dict(self.estatus_opciones):
            messages.error(request, gettext("Choose the new status."))
            return redirect(request.get_full_path())
        if not pks or not registros:
            messages.error(request, gettext("You did not select any row."))
            return redirect(request.get_full_path())
        if request.POST.get("confirmar") != "1":
            return self.confirmar_lote(accion, list(registros), estatus)
        return self.aplicar_lote(accion, list(registros), estatus)

    def confirmar_lote(
        self, accion: str, registros: list[Any], estatus: int | None
    ) -> HttpResponse:
        cuantos = self.cuenta(len(registros))
        if accion == "estatus":
            nuevo = dict(self.estatus_opciones).get(estatus or 0, "")
            titulo = gettext("Change the status of %(rows)s to «%(status)s»?") % {
                "rows": cuantos,
                "status": nuevo,
            }
        else:
            titulo = gettext("Delete %(rows)s?") % {"rows": cuantos}
        context = {
            "vista": self,
            "titulo": titulo,
            "accion": accion,
            "estatus": estatus,
            "filas": [(r, etag_for(r)) for r in registros],
        }
        return render(self.request, "paginas/lote.html", context)

    def aplicar_lote(self, accion: str, registros: list[Any], estatus: int | None) -> HttpResponse:
        hechos, fallidos = 0, []
        for registro in registros:
            version = self.request.POST.get(f"version-{registro.pk}", "")
            try:
                if accion == "estatus":
                    self.cambiar_estatus(registro, int(estatus or 0), version)
                else:
                    self.eliminar_registro(registro, version)
            except errors.PreconditionFailed:
                fallidos.append(
                    gettext("%(row)s (changed since you selected it)") % {"row": registro}
                )
            except errors.ApplicationError as exc:
                fallidos.append(f"{registro} ({exc.detail})")
            else:
                hechos += 1
        if hechos:
            hecho = (
                gettext("%(rows)s updated.")
                if accion == "estatus"
                else gettext("%(rows)s deleted.")
            )
            messages.success(self.request, hecho % {"rows": self.cuenta(hechos)})
        if fallidos:
            messages.warning(
                self.request, gettext("Not changed: %(rows)s.") % {"rows": "; ".join(fallidos)}
            )
        return redirect(self.request.get_full_path())

    def resumen(self, table: Any) -> SafeString:
        """The line above the table: how many rows, which page."""
        cuantos = table.paginator.count
        # Past the count's bound the totals are the planner's estimate (`Paginador`).
        cerca = "≈ " if getattr(table.paginator, "aproximado", False) else ""
        # The count's words escaped, then the figure in bold where the number goes.
        texto = mark_safe(  # noqa: S308
            conditional_escape(self.cuenta(cuantos, "\x00")).replace(
                "\x00", format_html("<strong>{}</strong>", f"{cerca}{entero(cuantos)}")
            )
        )
        if table.paginator.num_pages > 1:
            pagina = gettext("page %(page)s of %(pages)s") % {
                "page": table.page.number,
                "pages": f"{cerca}{table.paginator.num_pages}",
            }
            texto = format_html("{} · {}", texto, pagina)
        return texto

    def configurar_url(self) -> str:
        params = sin_paginas(self.request, "exportar")
        params["configurar"] = "1"
        return f"{self.request.path}?{params.urlencode()}"

    def hay_filas(self, table: Any) -> bool:
        return bool(table.paginator.count)

    def tamanos(self, table: Any) -> list[tuple[int, str, bool]]:
        """The page sizes offered: (size, this list's URL at that size, whether current)."""
        actual = tamano_de_pagina(self.request)
        opciones = []
        for tamano in TAMANOS_DE_PAGINA:
            params = sin_paginas(self.request, "pagina", "exportar", "despues", "antes")
            params["por_pagina"] = str(tamano)
            opciones.append((tamano, f"{self.request.path}?{params.urlencode()}", tamano == actual))
        return opciones

    def configurar(self) -> HttpResponse:
        """ "Configurar tabla": the list's columns, those shown first in their order, to tick
        and number; saved for this user by `ColumnasView`."""
        vistas = self.vistas()
        por_nombre = {c.nombre: c for c in self.columnas if c.en_tabla}
        resto = [c for c in por_nombre.values() if c.nombre not in vistas]
        context = {
            "vista": self,
            "columnas": [(por_nombre[n], True) for n in vistas] + [(c, False) for c in resto],
            "volver": f"{self.request.path}?{sin_paginas(self.request, 'configurar').urlencode()}",
        }
        return render(self.request, "paginas/columnas.html", context)


def sin_paginas(request: HttpRequest, *quitar: str) -> QueryDict:
    """This request's query string without the paging parameters `quitar`."""
    params = request.GET.copy()
    for nombre in quitar:
        params.pop(nombre, None)
    return params


class ColumnasView(Pagina):
    """ "Configurar tabla": keep the columns (and their order) a user chose for a list, or
    forget them (`restablecer`), then go back to the list."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, tabla: str) -> HttpResponseBase:
        columnas: list[str] = []
        if not request.POST.get("restablecer"):
            marcadas = [c for c in request.POST.getlist("columna") if c.isidentifier()][:40]

            def posicion(nombre: str) -> tuple[int, int]:
                try:
                    return int(request.POST.get(f"orden-{nombre}", "")), marcadas.index(nombre)
                except ValueError:
                    return 99, marcadas.index(nombre)

            columnas = sorted(marcadas, key=posicion)
        preferencias.guardar_columnas(usuario=request.user, tabla=tabla, columnas=columnas)
        volver = request.POST.get("volver", "")
        seguro = url_has_allowed_host_and_scheme(
            volver, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
        return redirect(volver if seguro and volver.startswith("/") else "/")


class DetalleView(Pagina):
    """One record's page (NetBox's `ObjectView`): a header with its name, status and
    actions, then what the model's template puts in the frame (`paginas/detalle.html`)."""

    template_name: str
    http_method_names = ["get", "head"]

    def contexto(self) -> dict[str, Any]:
        """The record and what its page shows, read through the model's selectors."""
        raise NotImplementedError

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        return self.pagina(self.contexto())

    def pagina(self, contexto: dict[str, Any], status: int = 200) -> HttpResponse:
        return render(self.request, self.template_name, contexto, status=status)


class EditarView(Pagina):
    """Create (no record) or edit a record (NetBox's `ObjectEditView`) with one template.

    An edit's form carries the version it was drawn from: if the record changed since,
    nothing is saved and the page says so, keeping what the user typed and showing, next to
    each field someone else changed, the value saved now. A service's refusal is shown next
    to the fields it names.
    """

    template_name = "paginas/editar.html"
    http_method_names = ["get", "head", "post"]
    form_class: type[RegistroForm]
    modelo: type[Any]
    anchos: frozenset[str] = frozenset({"descripcion_trabajo", "comentario"})

    # --- What a model declares ---------------------------------------------------------

    def objeto(self) -> Any:
        """The record being edited; None on a create page."""
        return None

    def valores(self, objeto: Any) -> dict[str, Any]:
        """A record's values as the form's initial data."""
        return self.form_class.valores(objeto)

    def iniciales(self) -> dict[str, Any]:
        """A new record's form's initial data."""
        return {}

    def argumentos_form(self, objeto: Any) -> dict[str, Any]:
        return {"registro": objeto}

    def guardar(self, objeto: Any, form: Any) -> Any:
        """Call the service (create when `objeto` is None); returns the record."""
        raise NotImplementedError

    def conflicto(self, form: Any) -> int:
        """A 409 from the service: say why on the form; returns the status."""
        raise NotImplementedError

    def exito(self, objeto: Any, creado: bool) -> HttpResponseBase:
        raise NotImplementedError

    def contexto_extra(self, objeto: Any) -> dict[str, Any]:
        """Titles, the buttons' words, the cancel link and any note."""
        return {}

    # --- The page ------------------------------------------------------------------------

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        objeto = self.objeto()
        if objeto is None:
            form = self.form_class(initial=self.iniciales(), **self.argumentos_form(None))
        else:
            initial = {**self.valores(objeto), "version": etag_for(objeto)}
            form = self.form_class(initial=initial, **self.argumentos_form(objeto))
        return self.formulario(form, objeto)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        objeto = self.objeto()
        form = self.form_class(request.POST, **self.argumentos_form(objeto))
        if objeto is not None:
            form.fields["version"].required = True
        status = 400
        if form.is_valid():
            try:
                guardado = self.guardar(objeto, form)
            except errors.PreconditionFailed:
                actual = self.objeto()
                diferencias = cambios_ajenos(form, self.valores(actual))
                form = con_version(
                    self.form_class,
                    request.POST,
                    etag_for(actual),
                    self.valores(actual),
                    **self.argumentos_form(actual),
                )
                return self.formulario(
                    form, actual, status=412, aviso=str(CAMBIO_AJENO), diferencias=diferencias
                )
            except errors.Conflict:
                status = self.conflicto(form)
            except errors.InvalidInput as exc:
                mostrar_errores(form, exc, self.modelo)
            else:
                return self.exito(guardado, objeto is None)
        return self.formulario(form, objeto, status=status)

    def formulario(
        self,
        form: Any,
        objeto: Any,
        *,
        status: int = 200,
        aviso: str = "",
        diferencias: dict[str, str] | None = None,
    ) -> HttpResponse:
        campos = [
            (form[n], (diferencias or {}).get(n), n in self.anchos)
            for n in self.form_class.editables()
        ]
        context = {
            "form": form,
            "campos": campos,
            "objeto": objeto,
            "aviso": aviso,
            **self.contexto_extra(objeto),
        }
        return render(self.request, self.template_name, context, status=status)


class EliminarView(Pagina):
    """Ask, then hide a record through its service (NetBox's `ObjectDeleteView`). The
    confirmation carries the version shown: a record changed since is not deleted."""

    template_name = "paginas/eliminar.html"
    http_method_names = ["get", "head", "post"]
    nombre: StrOrPromise  # "la PTE": what the sentences call the record

    def objeto(self) -> Any:
        raise NotImplementedError

    def eliminar(self, objeto: Any, version: str) -> None:
        raise NotImplementedError

    def datos(self, objeto: Any) -> list[tuple[str, Any, bool]]:
        """What the page shows to confirm: (label, value, wide)."""
        raise NotImplementedError

    def conflicto(self) -> str:
        """Why the service refused with a 409, in the users' words."""
        raise NotImplementedError

    def exito(self, objeto: Any) -> HttpResponseBase:
        raise NotImplementedError

    def contexto_extra(self, objeto: Any) -> dict[str, Any]:
        """The title, the name shown and the cancel link."""
        return {}

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        return self.confirmar(self.objeto())

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        objeto = self.objeto()
        try:
            # No version is a stale one: a delete is confirmed on what the page showed.
            self.eliminar(objeto, request.POST.get("version", ""))
        except errors.PreconditionFailed:
            nombre = str(self.nombre)
            aviso = gettext(
                "%(name)s changed since you opened this page; it was not deleted. Check its "
                "data and confirm again if you still want to delete it."
            ) % {"name": f"{nombre[:1].upper()}{nombre[1:]}"}
            return self.confirmar(self.objeto(), aviso=aviso, status=412)
        except errors.Conflict:
            return self.confirmar(objeto, aviso=self.conflicto(), status=409)
        return self.exito(objeto)

    def confirmar(self, objeto: Any, *, aviso: str = "", status: int = 200) -> HttpResponse:
        context = {
            "objeto": objeto,
            "datos": self.datos(objeto),
            "version": etag_for(objeto),
            "aviso": aviso,
            **self.contexto_extra(objeto),
        }
        return render(self.request, self.template_name, context, status=status)
