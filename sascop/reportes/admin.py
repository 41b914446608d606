from __future__ import annotations

from django.contrib import admin

from sascop.reportes.models import DestinatarioReporte


@admin.register(DestinatarioReporte)
class DestinatarioReporteAdmin(admin.ModelAdmin):
    list_display = ["correo", "nombre", "activo"]
    list_filter = ["activo"]
    search_fields = ["correo", "nombre"]
