from __future__ import annotations

from typing import Any, ClassVar

from django.contrib import admin
from django.http import HttpRequest

from sascop.actividad.admin import RegistroAdminMixin
from sascop.catalogos import models as m


class CatalogoAdmin(RegistroAdminMixin, admin.ModelAdmin):
    list_filter: ClassVar[tuple[str, ...]] = ("activo",)
    search_fields: ClassVar[tuple[str, ...]] = ("descripcion",)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Deactivate instead: the entry stays on the records that use it.
        return False


@admin.register(m.Tipo)
class TipoAdmin(CatalogoAdmin):
    list_display = ("descripcion", "aplica_a", "activo")
    list_filter = ("aplica_a", "activo")


@admin.register(m.Cliente)
class ClienteAdmin(CatalogoAdmin):
    list_display = ("descripcion", "tipo", "activo")
    list_filter = ("tipo", "activo")


@admin.register(m.ResponsableProyecto)
class ResponsableAdmin(CatalogoAdmin):
    list_display = ("nombre", "correo", "activo")
    search_fields = ("nombre", "correo")


@admin.register(m.Paso)
class PasoAdmin(CatalogoAdmin):
    list_display = ("orden", "descripcion", "tipo_cliente", "importancia", "activo")
    list_filter = ("tipo_cliente", "activo")


@admin.register(m.PasoOt)
class PasoOtAdmin(CatalogoAdmin):
    list_display = ("orden", "descripcion", "importancia", "activo")


@admin.register(m.Frente)
class FrenteAdmin(CatalogoAdmin):
    list_display = ("descripcion", "activo")


@admin.register(m.Sitio)
class SitioAdmin(CatalogoAdmin):
    list_display = ("descripcion", "frente", "activo")
    list_filter = ("frente", "activo")


@admin.register(m.UnidadMedida)
class UnidadAdmin(CatalogoAdmin):
    list_display = ("clave", "descripcion", "activo")
    search_fields = ("clave", "descripcion")


@admin.register(m.Partida)
class PartidaAdmin(CatalogoAdmin):
    list_display = ("clave", "descripcion", "unidad", "activo")
    list_filter = ("unidad", "activo")
    search_fields = ("clave", "descripcion")


@admin.register(m.Superintendente)
class SuperintendenteAdmin(CatalogoAdmin):
    list_display = ("nombre", "correo", "color", "activo")
    search_fields = ("nombre", "correo")


@admin.register(m.CicloGuardia)
class CicloGuardiaAdmin(CatalogoAdmin):
    list_display = ("sitio", "superintendente_a", "superintendente_b", "fecha_inicio", "activo")
    list_filter = ("activo",)
    search_fields = ("sitio__descripcion",)
