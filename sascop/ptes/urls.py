from __future__ import annotations

from django.urls import path

from sascop.ptes import apis, views

urlpatterns = [
    path("ptes/", apis.PTEListApi.as_view(), name="ptes"),
    path("ptes/<int:pte_id>/", apis.PTEDetailApi.as_view(), name="pte"),
    path(
        "ptes/<int:pte_id>/pasos/<int:detalle_id>/",
        apis.PTEPasoApi.as_view(),
        name="pte-paso",
    ),
]

# The pages, under /ptes/.
page_urlpatterns = [
    path("", views.PTELista.as_view(), name="lista"),
    path("nueva/", views.PTEEditar.as_view(), name="nueva"),
    path("<int:pte_id>/", views.PTEDetalle.as_view(), name="detalle"),
    path("<int:pte_id>/editar/", views.PTEEditar.as_view(), name="editar"),
    path("<int:pte_id>/eliminar/", views.PTEEliminar.as_view(), name="eliminar"),
    path("<int:pte_id>/pasos/<int:detalle_id>/", views.PTEDetalle.as_view(), name="paso"),
]
