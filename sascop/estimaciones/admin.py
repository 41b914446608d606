from __future__ import annotations

from django.contrib import admin

from sascop.estimaciones.models import Estimacion


@admin.register(Estimacion)
class EstimacionAdmin(admin.ModelAdmin):
    """Read only: estimaciones are drawn up and moved on through their pages and API (which
    keep their lines, their claims and their history together)."""

    list_display = ("ot", "numero", "desde", "hasta", "estatus", "importe_mn", "importe_usd")
    list_filter = ("estatus",)
    search_fields = ("ot__orden_trabajo", "oficio")

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False
