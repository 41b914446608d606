from __future__ import annotations

from django.urls import path

from sascop.core.pages.urls import paginas_de
from sascop.ots import apis, views, views_reprogramar

urlpatterns = [
    path("ots/", apis.OTListApi.as_view(), name="ots"),
    path("ots/<int:ot_id>/", apis.OTDetailApi.as_view(), name="ot"),
    path(
        "ots/<int:ot_id>/reprogramaciones/",
        apis.ReprogramacionesApi.as_view(),
        name="ot-reprogramaciones",
    ),
    path("ots/<int:ot_id>/pasos/<int:detalle_id>/", apis.OTPasoApi.as_view(), name="ot-paso"),
    path("ptes/<int:pte_id>/ots/", apis.OTDesdePTEApi.as_view(), name="pte-ots"),
]

# The pages, under /ots/.
page_urlpatterns = [
    *paginas_de(
        "ot_id", views.OTLista, views.OTDetalle, views.OTEditar, views.OTEliminar, pasos=True
    ),
    path(
        "<int:ot_id>/reprogramar/",
        views_reprogramar.OTReprogramar.as_view(),
        name="reprogramar",
    ),
]
