from __future__ import annotations

from django.urls import path

from sascop.tareas.apis import TareaApi

urlpatterns = [
    path("tareas/<uuid:tarea_id>/", TareaApi.as_view(), name="tarea-detalle"),
]
