from __future__ import annotations

from django.urls import path

from sascop.actividad import apis, views

urlpatterns = [path("actividad/", apis.ActividadApi.as_view(), name="actividad")]

# The page, under /actividad/.
page_urlpatterns = [path("", views.ActividadLista.as_view(), name="lista")]
