from __future__ import annotations

from django.contrib import admin

from sascop.actividad.admin import RegistroAdminMixin
from sascop.ots.models import OT, OTDetalle


class OTDetalleInline(admin.TabularInline):
    model = OTDetalle
    extra = 0
    fields = ("paso", "estatus", "fecha_inicio", "fecha_termino", "fecha_entrega", "comentario")


@admin.register(OT)
class OTAdmin(RegistroAdminMixin, admin.ModelAdmin):
    list_display = ("__str__", "cliente", "estatus", "fecha_inicio_programado", "monto_mxn")
    list_filter = ("estatus", "cliente", "frente", "responsable_proyecto")
    search_fields = ("orden_trabajo", "oficio_ot", "descripcion_trabajo")
    date_hierarchy = "fecha_inicio_programado"
    list_select_related = ("cliente",)
    raw_id_fields = ("pte", "ot_principal")
    inlines = [OTDetalleInline]
