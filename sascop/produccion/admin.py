from __future__ import annotations

from django.contrib import admin

from sascop.actividad.admin import SoloLecturaAdminMixin
from sascop.produccion.models import Produccion, ReporteDiario


@admin.register(Produccion)
class ProduccionAdmin(SoloLecturaAdminMixin, admin.ModelAdmin):
    """Shown only: rows are captured and corrected through the API and the pages, whose
    services recompute the excedentes and refuse signed or claimed days."""

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


@admin.register(ReporteDiario)
class ReporteDiarioAdmin(SoloLecturaAdminMixin, admin.ModelAdmin):
    """Shown only: a day is signed and reopened on the reportes-diarios board, whose service
    refuses to reopen a day a presented estimación claims (an admin edit would bypass it)."""

    list_display = ("ot", "sitio", "fecha", "estatus")
    list_filter = ("estatus",)
    raw_id_fields = ("ot",)
