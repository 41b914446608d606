from __future__ import annotations

from django.urls import path

from sascop.estadisticas import apis

urlpatterns = [path("estadisticas/", apis.EstadisticasApi.as_view(), name="estadisticas")]
