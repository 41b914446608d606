from __future__ import annotations

from django.urls import path

from sascop.ptes import apis

urlpatterns = [
    path("ptes/", apis.PTEListApi.as_view(), name="ptes"),
    path("ptes/<int:pte_id>/", apis.PTEDetailApi.as_view(), name="pte"),
    path(
        "ptes/<int:pte_id>/pasos/<int:detalle_id>/",
        apis.PTEPasoApi.as_view(),
        name="pte-paso",
    ),
]
