from __future__ import annotations

from django.contrib import admin

from sascop.actividad.admin import RegistroAdminMixin, SoloLecturaAdminMixin
from sascop.produccion.models import Produccion, ReporteDiario


@admin.register(Produccion)
class ProduccionAdmin(SoloLecturaAdminMixin, RegistroAdminMixin, admin.ModelAdmin):
    """Read and correct rows here; the API is where they are captured (the excedentes of
    a line are recomputed by its services, not by the admin's saves)."""

    list_display = (
        "ot",
        "partida_anexo",
        "fecha_produccion",
        "volumen_produccion",
        "excedente",
        "tipo_tiempo",
    )
    list_filter = ("tipo_tiempo", "estatus_cobro", "sitio")
    search_fields = ("ot__orden_trabajo", "partida_anexo__concepto__partida", "comentario")
    date_hierarchy = "fecha_produccion"
    list_select_related = ("ot", "partida_anexo")
    raw_id_fields = ("ot", "partida_anexo")
    readonly_fields = ("excedente",)


@admin.register(ReporteDiario)
class ReporteDiarioAdmin(RegistroAdminMixin, admin.ModelAdmin):
    list_display = ("ot", "sitio", "fecha", "estatus")
    list_filter = ("estatus",)
    raw_id_fields = ("ot",)
