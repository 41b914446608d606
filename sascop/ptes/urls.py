from __future__ import annotations

from django.urls import path

from sascop.core.pages.urls import paginas_de
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
    *paginas_de(
        "pte_id", views.PTELista, views.PTEDetalle, views.PTEEditar, views.PTEEliminar, pasos=True
    ),
    path("<int:pte_id>/entregar/", views.PTEEntregar.as_view(), name="entregar"),
]
