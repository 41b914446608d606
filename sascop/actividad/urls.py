from __future__ import annotations

from django.urls import path

from sascop.actividad import apis

urlpatterns = [path("actividad/", apis.ActividadApi.as_view(), name="actividad")]
