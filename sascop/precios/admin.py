from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from sascop.actividad.admin import RegistroAdminMixin
from sascop.precios.models import Anexo, AnexoOT, Concepto, Contrato, TipoCambio


@admin.register(Contrato)
class ContratoAdmin(RegistroAdminMixin, admin.ModelAdmin):
    list_display = ("numero", "descripcion")
    search_fields = ("numero", "descripcion")


@admin.register(Anexo)
class AnexoAdmin(RegistroAdminMixin, admin.ModelAdmin):
    list_display = ("clave", "contrato")
    list_filter = ("contrato",)
    search_fields = ("clave", "descripcion")


@admin.register(Concepto)
class ConceptoAdmin(RegistroAdminMixin, admin.ModelAdmin):
    list_display = ("partida", "anexo", "concepto", "unidad", "pu_mn", "pu_usd", "tipo", "estatus")
    list_filter = ("tipo", "estatus", "anexo")
    search_fields = ("partida", "concepto", "seccion")
    list_select_related = ("anexo__contrato",)
    raw_id_fields = ("pte", "ot")
    readonly_fields = ("autorizado_en", "autorizado_por")

    # Concepts come from imports and the API, which normalise the key and order the book.
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        return (*self.readonly_fields, "anexo", "partida")


@admin.register(TipoCambio)
class TipoCambioAdmin(RegistroAdminMixin, admin.ModelAdmin):
    list_display = ("fecha", "valor")
    date_hierarchy = "fecha"


@admin.register(AnexoOT)
class AnexoOTAdmin(admin.ModelAdmin):
    """Read-only: versions come from imports, which check every line against the book."""

    list_display = ("ot", "version", "activo", "nombre_archivo", "creado_en", "creado_por")
    list_filter = ("activo",)
    raw_id_fields = ("ot",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
