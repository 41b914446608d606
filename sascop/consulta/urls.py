from __future__ import annotations

from django.urls import path

from sascop.consulta import apis, views

urlpatterns = [
    path("consulta/", apis.ConsultaApi.as_view(), name="consulta"),
    path("consulta/guardadas/", apis.BusquedasGuardadasApi.as_view(), name="consulta-guardadas"),
    path(
        "consulta/guardadas/<int:pk>/",
        apis.BusquedaGuardadaApi.as_view(),
        name="consulta-guardada",
    ),
    path("consulta/correo/", apis.ConsultaCorreoApi.as_view(), name="consulta-correo"),
]

# The page, under /consulta/.
page_urlpatterns = [
    path("", views.ConsultaView.as_view(), name="inicio"),
    path("guardadas/<int:pk>/eliminar/", views.EliminarBusquedaView.as_view(), name="eliminar"),
]
