from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models, transaction
from django.http import HttpRequest

from sascop.actividad import services
from sascop.actividad.models import RegistroActividad


class SoloLecturaAdminMixin:
    """An admin that shows rows and never adds, changes or deletes one: they are written by
    the application's services, or are evidence."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class RegistroAdminMixin:
    """Admin edits go into the activity log like API edits, in the same transaction."""

    def save_model(self, request: HttpRequest, obj: models.Model, form: Any, change: bool) -> None:
        with transaction.atomic():
            if change:
                stored = type(obj)._base_manager.get(pk=obj.pk)
                antes = services.snapshot(stored)
                if hasattr(obj, "version"):
                    obj.version += 1
                super().save_model(request, obj, form, change)  # type: ignore[misc]
                services.registrar_cambios(usuario=request.user, antes=antes, instancia=obj)
            else:
                super().save_model(request, obj, form, change)  # type: ignore[misc]
                services.registrar_creaciones(usuario=request.user, instancias=[obj])

    def delete_model(self, request: HttpRequest, obj: models.Model) -> None:
        with transaction.atomic():
            services.registrar_eliminacion(usuario=request.user, instancia=obj)
            super().delete_model(request, obj)  # type: ignore[misc]

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        with transaction.atomic():
            services.registrar_eliminaciones(usuario=request.user, instancias=list(queryset))
            super().delete_queryset(request, queryset)  # type: ignore[misc]


@admin.register(RegistroActividad)
class RegistroActividadAdmin(SoloLecturaAdminMixin, admin.ModelAdmin):
    list_display = ("fecha", "nombre_usuario", "accion", "entidad", "entidad_id", "campo")
    list_filter = ("accion", "entidad")
    search_fields = ("nombre_usuario", "entidad_id", "campo", "valor_anterior", "valor_nuevo")
    date_hierarchy = "fecha"
    # The log is evidence: nobody edits or deletes it, not even administrators.
