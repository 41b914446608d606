from __future__ import annotations

from django.contrib import admin

from sascop.actividad.admin import RegistroAdminMixin
from sascop.ptes.models import PTE, PTEDetalle


class PTEDetalleInline(admin.TabularInline):
    model = PTEDetalle
    extra = 0
    fields = ("paso", "estatus", "fecha_inicio", "fecha_termino", "fecha_entrega", "comentario")


@admin.register(PTE)
class PTEAdmin(RegistroAdminMixin, admin.ModelAdmin):
    list_display = ("oficio_pte", "cliente", "responsable_proyecto", "fecha_solicitud", "estatus")
    list_filter = ("estatus", "prioridad", "cliente", "responsable_proyecto", "tipo")
    search_fields = ("oficio_pte", "oficio_solicitud", "descripcion_trabajo")
    date_hierarchy = "fecha_solicitud"
    list_select_related = ("cliente", "responsable_proyecto")
    inlines = [PTEDetalleInline]
