from __future__ import annotations

from django.urls import path

from sascop.catalogos import apis, apis_guardias, views

urlpatterns = [
    path("catalogos/estatus/", apis.EstatusApi.as_view(), name="estatus"),
    path("catalogos/<slug:nombre>/", apis.CatalogoListApi.as_view(), name="catalogo"),
    path(
        "catalogos/<slug:nombre>/<int:pk>/",
        apis.CatalogoDetailApi.as_view(),
        name="catalogo-entrada",
    ),
    path(
        "sitios/<int:sitio_id>/guardias/",
        apis_guardias.GuardiasApi.as_view(),
        name="sitio-guardias",
    ),
]

# The pages, under /catalogos/.
page_urlpatterns = [
    path("", views.catalogo_inicio, name="inicio"),
    path("<slug:nombre>/", views.CatalogoLista.as_view(), name="lista"),
    path("<slug:nombre>/nueva/", views.catalogo_nueva, name="nueva"),
    path("<slug:nombre>/<int:pk>/editar/", views.catalogo_editar, name="editar"),
    path("<slug:nombre>/<int:pk>/activo/", views.catalogo_activo, name="activo"),
]
