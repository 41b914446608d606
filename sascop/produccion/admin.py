from __future__ import annotations

from django.contrib import admin

from sascop.actividad.admin import RegistroAdminMixin
from sascop.produccion.models import Produccion


@admin.register(Produccion)
class ProduccionAdmin(RegistroAdminMixin, admin.ModelAdmin):
    list_display = ("ot", "partida", "fecha_produccion", "volumen_produccion", "tipo_tiempo")
    list_filter = ("tipo_tiempo", "es_excedente", "estatus_cobro", "sitio")
    search_fields = ("ot__orden_trabajo", "partida__clave", "comentario")
    date_hierarchy = "fecha_produccion"
    list_select_related = ("ot", "partida")
    raw_id_fields = ("ot",)
