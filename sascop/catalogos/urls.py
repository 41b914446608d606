from __future__ import annotations

from django.urls import path

from sascop.catalogos import apis

urlpatterns = [
    path("catalogos/estatus/", apis.EstatusApi.as_view(), name="estatus"),
    path("catalogos/<slug:nombre>/", apis.CatalogoListApi.as_view(), name="catalogo"),
    path(
        "catalogos/<slug:nombre>/<int:pk>/",
        apis.CatalogoDetailApi.as_view(),
        name="catalogo-entrada",
    ),
]
