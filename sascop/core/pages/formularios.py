"""What every page's forms share: Spanish labels, the browser's date picker, catalog
choices (active entries, plus the one a record already has), a service's refusals shown next
to the fields, what to say after a clash with someone else's save (the version rule), and the
base of every create-or-edit form of a versioned record (`RegistroForm`)."""

from __future__ import annotations

import functools
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from django import forms
from django.db.models import CharField, Model, Q, QuerySet, UniqueConstraint, Value, Window
from django.db.models.functions import RowNumber
from django.forms.models import ModelChoiceIterator, ModelChoiceIteratorValue
from django.utils.translation import gettext

from sascop.core.errors import InvalidInput
from sascop.core.templatetags import formato

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class FechaInput(forms.DateInput):
    """The browser's date picker (it shows the user's dd/mm/aaaa, sends ISO)."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


class _Opciones(ModelChoiceIterator):
    """A catalog's choices read with one plain query and kept for the form: Django streams
    them through a server-side cursor (on PostgreSQL a DECLARE, a FETCH and a CLOSE for a
    few dozen rows), again each time they are drawn. A form may read all its catalogs'
    choices at once instead (`OpcionesJuntas`)."""

    def __iter__(self) -> Iterator[tuple[Any, Any]]:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        juntas = getattr(self.field, "juntas", None)
        if juntas is not None:
            modelo = self.queryset.model
            for pk, texto in juntas.de(self.field):
                # The widget reads the key; the entry stands for itself by its key alone.
                yield ModelChoiceIteratorValue(pk, modelo(pk=pk)), texto
            return
        for obj in self.queryset:
            yield self.choice(obj)


def _etiqueta(modelo: type[Model]) -> str | None:
    """The column `CatalogoChoiceField.label_from_instance` shows, if the model has one."""
    nombres = {f.name for f in modelo._meta.get_fields()}
    return next((n for n in ("descripcion", "nombre") if n in nombres), None)


class OpcionesJuntas:
    """The choices of several catalog fields of one form read in a single query when first
    drawn: each field's own rows (its queryset, numbered in its order) joined by UNION ALL.
    A list page's filters name up to nine catalogs, and each query is a round trip."""

    def __init__(
        self, campos: dict[str, CatalogoChoiceField], consulta: QuerySet[Any] | None = None
    ) -> None:
        self.campos = campos
        # The fields' joint query when it was built already (`para`'s `declarados`).
        self.consulta = consulta
        self.leidas: dict[str, list[tuple[Any, str]]] | None = None

    @classmethod
    def para(cls, campos: dict[str, Any], declarados: type[forms.Form] | None = None) -> None:
        """Give the fields that can share a read (two or more) their common reader.

        `declarados`: the form class whose declared fields these are, querysets unchanged
        (a list's filters offer every entry of their catalogs): their joint query is then
        built once for the class (`_consulta_declarada`), not for every form."""
        juntos = {
            nombre: campo
            for nombre, campo in campos.items()
            if isinstance(campo, CatalogoChoiceField)
            and campo.queryset is not None
            and campo.to_field_name is None
            and _etiqueta(campo.queryset.model) is not None
        }
        if len(juntos) > 1:
            consulta = None
            if declarados is not None and all(n in declarados.base_fields for n in juntos):
                consulta = _consulta_declarada(declarados, *juntos)
            juntas = cls(juntos, consulta)
            for campo in juntos.values():
                campo.juntas = juntas

    def de(self, campo: CatalogoChoiceField) -> list[tuple[Any, str]]:
        if self.leidas is None:
            self.leidas = self._leer()
        nombre = next(n for n, c in self.campos.items() if c is campo)
        return self.leidas[nombre]

    @staticmethod
    def union(campos: Mapping[str, Any]) -> QuerySet[Any]:
        """The rows of every field's queryset: (field's name, key, label, position)."""
        partes = []
        for nombre, campo in campos.items():
            consulta = campo.queryset
            assert consulta is not None
            orden = list(consulta.query.order_by or consulta.model._meta.ordering or ["pk"])
            partes.append(
                consulta.order_by()
                .annotate(
                    campo_filtro=Value(nombre, output_field=CharField()),
                    orden_filtro=Window(RowNumber(), order_by=orden),
                )
                .values_list("campo_filtro", "pk", _etiqueta(consulta.model), "orden_filtro")
            )
        return partes[0].union(*partes[1:], all=True)

    def _leer(self) -> dict[str, list[tuple[Any, str]]]:
        consulta = self.union(self.campos) if self.consulta is None else self.consulta
        por_campo: dict[str, list[tuple[int, Any, str]]] = {n: [] for n in self.campos}
        # A copy: a query built once is never evaluated itself (it would keep the rows).
        for nombre, pk, texto, orden in consulta.all():
            por_campo[nombre].append((orden, pk, str(texto)))
        return {
            n: [(pk, texto) for _, pk, texto in sorted(filas)] for n, filas in por_campo.items()
        }


@functools.cache
def _consulta_declarada(clase: type[forms.Form], *nombres: str) -> QuerySet[Any]:
    """`OpcionesJuntas.union` of the fields `nombres` as the form class declares them (its
    `base_fields`): built once for each class, as its querysets are, and never evaluated
    (each form reads a copy). It holds no rows, only the query."""
    return OpcionesJuntas.union({n: clase.base_fields[n] for n in nombres})


class CatalogoChoiceField(forms.ModelChoiceField):
    """A catalog entry by its description, not its `__str__` (steps number themselves)."""

    iterator = _Opciones
    juntas: OpcionesJuntas | None = None

    def label_from_instance(self, obj: Model) -> str:
        return str(getattr(obj, "descripcion", None) or getattr(obj, "nombre", obj))


def activos_o(queryset: QuerySet[Any], actual: int | None) -> QuerySet[Any]:
    """Active entries, plus the one the record already has (it may keep a retired one)."""
    if actual is None:
        return queryset.filter(activo=True)
    return queryset.filter(Q(activo=True) | Q(pk=actual))


def _campo_de_restriccion(modelo: type[Model] | None, mensaje: str) -> str | None:
    """The one field a model's unique constraint is about, known by its message: a
    conditional constraint (one live PTE per oficio) reports itself for the whole record."""
    for restriccion in modelo._meta.constraints if modelo else []:
        if (
            isinstance(restriccion, UniqueConstraint)
            and len(restriccion.fields) == 1
            and restriccion.violation_error_message == mensaje
        ):
            return str(restriccion.fields[0])
    return None


def mostrar_errores(
    form: forms.BaseForm, error: InvalidInput, modelo: type[Model] | None = None
) -> None:
    """A service's 400 next to the fields it names (the rest above the form)."""
    for campo, mensajes in (error.fields or {"__all__": [str(error.detail)]}).items():
        for mensaje in mensajes:
            destino = campo if campo in form.fields else _campo_de_restriccion(modelo, mensaje)
            form.add_error(destino if destino in form.fields else None, mensaje)


class Formulario(forms.Form):
    """A form whose labels carry no trailing colon (Spanish forms do without).

    An edit form (`recuerda_lo_mostrado`) also sends back, hidden, the values it showed
    (Django's `initial-<field>` inputs): after a clash with someone else's save, the page can
    tell what they changed from what this user changed.
    """

    recuerda_lo_mostrado = False

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.iniciar_campos()
        if self.recuerda_lo_mostrado:
            for nombre, campo in self.fields.items():
                campo.show_hidden_initial = nombre != "version"

    def iniciar_campos(self) -> None:
        """Subclasses set up their fields here (before the hidden values are decided)."""

    def mostrado(self, nombre: str) -> tuple[bool, Any]:
        """The value this form showed for `nombre` when it was drawn, as the field cleans
        it: (False, None) when the request did not carry it."""
        campo = self.fields[nombre]
        crudo = campo.hidden_widget().value_from_datadict(
            self.data, self.files, self.add_initial_prefix(nombre)
        )
        if crudo is None:
            return False, None
        try:
            return True, campo.clean(crudo)
        except forms.ValidationError:
            return True, None


def _mostrar(valor: Any, campo: forms.Field) -> str:
    """A saved value as the form would offer it."""
    if valor is None or valor == "":
        return gettext("(empty)")
    if isinstance(campo, forms.ModelChoiceField) and campo.queryset is not None:
        instancia = campo.queryset.model._default_manager.filter(pk=valor).first()
        return campo.label_from_instance(instancia) if instancia is not None else str(valor)
    if isinstance(campo, forms.ChoiceField):
        etiquetas = {clave: etiqueta for clave, etiqueta in list(campo.choices)}  # type: ignore[arg-type]
        return str(etiquetas.get(valor, valor))
    if isinstance(campo, forms.DecimalField):
        return formato.dinero(valor)
    if hasattr(valor, "isoformat"):
        return formato.fecha(valor)
    return str(valor)


def _normal(valor: Any) -> Any:
    if hasattr(valor, "pk"):
        return valor.pk
    return None if valor == "" else valor


def cambios_ajenos(form: Formulario, guardados: dict[str, Any]) -> dict[str, str]:
    """After a clash: the fields someone else changed since `form` was drawn (what it showed,
    carried back hidden, against `guardados`, the values saved now), each with the saved
    value as the page shows it. What this user changed is not listed."""
    cambios = {}
    for nombre, guardado in guardados.items():
        llego, mostrado = form.mostrado(nombre)
        if llego and _normal(mostrado) != _normal(guardado):
            cambios[nombre] = _mostrar(guardado, form.fields[nombre])
    return cambios


def _como_texto(valor: Any) -> str:
    """A value as a hidden input carries it."""
    if valor is None:
        return ""
    return valor.isoformat() if hasattr(valor, "isoformat") else str(valor)


def con_version(
    form_class: type[Formulario],
    data: Any,
    version: str,
    guardados: dict[str, Any],
    **kwargs: Any,
) -> Any:
    """The same submitted data, now carrying `version` and showing `guardados` as drawn:
    saving again applies it on top, and a further clash is measured from here."""
    datos = data.copy()
    datos["version"] = version
    for nombre, valor in guardados.items():
        datos[f"initial-{nombre}"] = _como_texto(valor)
    form = form_class(datos, **kwargs)
    form.is_valid()
    return form


class RegistroForm(Formulario):
    """Create (no `registro`) or edit one; on edit `version` carries the ETag the page was
    drawn from, and the form remembers what it showed (only an edit can clash with someone
    else's save).

    `catalogos` names the fields that choose a catalog entry and where they choose from;
    `montos` the amounts left out when empty (the service keeps its default)."""

    catalogos: Mapping[str, QuerySet[Any]] = {}
    montos: tuple[str, ...] = ()

    version = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, registro: Any = None, **kwargs: Any) -> None:
        self.registro = registro
        self.recuerda_lo_mostrado = registro is not None
        super().__init__(*args, **kwargs)

    def iniciar_campos(self) -> None:
        for nombre, queryset in self.catalogos.items():
            campo = self.fields[nombre]
            assert isinstance(campo, forms.ModelChoiceField)
            campo.empty_label = gettext("Choose an option") if campo.required else gettext("None")
            actual = getattr(self.registro, f"{nombre}_id", None)
            campo.queryset = activos_o(queryset, actual)

    @classmethod
    def editables(cls) -> list[str]:
        """The fields a person fills in, in order."""
        return [nombre for nombre in cls.base_fields if nombre != "version"]

    @classmethod
    def valores(cls, registro: Any) -> dict[str, Any]:
        """A record's values as the form's initial data."""
        return {
            nombre: getattr(registro, f"{nombre}_id" if nombre in cls.catalogos else nombre)
            for nombre in cls.editables()
        }

    def datos(self) -> dict[str, Any]:
        """What the service takes: every field but the version (and no empty amount)."""
        datos = {k: v for k, v in self.cleaned_data.items() if k != "version"}
        for monto in self.montos:
            if datos.get(monto) is None:
                datos.pop(monto, None)
        return datos


def fecha(
    etiqueta: StrOrPromise, *, requerida: bool = False, ayuda: StrOrPromise = ""
) -> forms.DateField:
    """A date, with the browser's date picker."""
    return forms.DateField(label=etiqueta, required=requerida, widget=FechaInput, help_text=ayuda)


def monto(etiqueta: StrOrPromise, digitos: int) -> forms.DecimalField:
    """An amount in pesos or dollars, two decimals, never negative; optional."""
    return forms.DecimalField(
        label=etiqueta,
        max_digits=digitos,
        decimal_places=2,
        min_value=0,
        required=False,
        widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}),
    )


def texto(etiqueta: StrOrPromise, *, filas: int = 3, requerido: bool = False) -> forms.CharField:
    """A free text of several lines (a description, a comment)."""
    return forms.CharField(
        label=etiqueta, required=requerido, widget=forms.Textarea(attrs={"rows": filas})
    )
