from __future__ import annotations

from django.contrib import admin

from sascop.actividad.admin import SoloLecturaAdminMixin
from sascop.estimaciones.models import Estimacion


@admin.register(Estimacion)
class EstimacionAdmin(SoloLecturaAdminMixin, admin.ModelAdmin):
    """Read only: estimaciones are drawn up and moved on through their pages and API (which
    keep their lines, their claims and their history together)."""

    list_display = ("ot", "numero", "desde", "hasta", "estatus", "importe_mn", "importe_usd")
    list_filter = ("estatus",)
    search_fields = ("ot__orden_trabajo", "oficio")
