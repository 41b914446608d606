"""The catalogs as the pages show them: one entry per catalog, read from the API's own list
(`serializers.CATALOGOS`), so a catalog the API offers gets its pages with no more code."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any, cast

from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from sascop.catalogos.serializers import CATALOGOS

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# Fields that name an entry, in order of preference (steps number themselves in __str__).
_NOMBRES = ("descripcion", "nombre", "clave")

# What each catalog is for, shown on the landing page.
AYUDA = {
    "tipos": _("Classification of clients, PTEs and OTs."),
    "clientes": _("Assets and agencies that request work."),
    "responsables": _("Project leads that can be assigned to a PTE."),
    "pasos": _("Steps of a PTE's workflow, by client type."),
    "pasos-ot": _("Steps of an OT's workflow."),
    "frentes": _("Work fronts."),
    "sitios": _("Sites (platforms, facilities) of each front."),
    "unidades": _("Units of measure of the items."),
    "partidas": _("Items against which production is reported."),
    "superintendentes": _("Site superintendents and the colour of their days on duty."),
    "guardias": _(
        "Guard cycles: two superintendents take turns at a site, 14 days on and 14 off, "
        "from the start date (B starts on day 15)."
    ),
}


def mayuscula(texto: str) -> str:
    """`pasos de OT` → `Pasos de OT` (str.capitalize would lower the rest)."""
    return texto[:1].upper() + texto[1:]


def nombre_de(modelo: type[models.Model]) -> str:
    """The field an entry of `modelo` is known by (its description, name or key)."""
    campos = {f.name for f in modelo._meta.get_fields()}
    return next((n for n in _NOMBRES if n in campos), "pk")


@dataclass(frozen=True)
class Catalogo:
    nombre: str  # the slug, as in /catalogos/<nombre>/ and the API's path
    modelo: type[models.Model]
    campos: tuple[str, ...]  # editable fields, in the API's order

    @property
    def titulo(self) -> StrOrPromise:
        # Lazy: the API's workbook is written in the pages' language, whoever asks.
        return cast("StrOrPromise", capfirst(self.modelo._meta.verbose_name_plural))

    @property
    def singular(self) -> str:
        return str(self.modelo._meta.verbose_name)

    @property
    def ayuda(self) -> str:
        return str(AYUDA.get(self.nombre, ""))

    def campo(self, nombre: str) -> Any:
        return self.modelo._meta.get_field(nombre)

    @property
    def relaciones(self) -> tuple[str, ...]:
        """The fields that point to another catalog (read with the entries: one query)."""
        return tuple(n for n in self.campos if isinstance(self.campo(n), models.ForeignKey))

    def permiso(self, accion: str) -> str:
        """`catalogos.<accion>_<model>`: the model permission the API checks."""
        return f"{self.modelo._meta.app_label}.{accion}_{self.modelo._meta.model_name}"


@cache
def catalogos() -> dict[str, Catalogo]:
    """Every catalog, in the API's order."""
    return {
        nombre: Catalogo(
            nombre=nombre,
            modelo=serializer.Meta.model,
            campos=tuple(c for c in serializer.Meta.fields if c not in ("id", "activo")),
        )
        for nombre, serializer in CATALOGOS.items()
    }


def catalogo(nombre: str) -> Catalogo | None:
    return catalogos().get(nombre)
