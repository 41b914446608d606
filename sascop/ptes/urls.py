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
    path("", views.pte_lista, name="lista"),
    path("nueva/", views.pte_nueva, name="nueva"),
    path("<int:pte_id>/", views.pte_detalle, name="detalle"),
    path("<int:pte_id>/editar/", views.pte_editar, name="editar"),
    path("<int:pte_id>/eliminar/", views.pte_eliminar, name="eliminar"),
    path("<int:pte_id>/pasos/<int:detalle_id>/", views.pte_paso, name="paso"),
]
