from __future__ import annotations

from django.urls import path

from sascop.consulta import apis, views

urlpatterns = [path("consulta/", apis.ConsultaApi.as_view(), name="consulta")]

# The page, under /consulta/.
page_urlpatterns = [path("", views.ConsultaView.as_view(), name="inicio")]
