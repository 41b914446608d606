from __future__ import annotations

from django.urls import path

from sascop.ots import apis, views

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
    path("", views.ot_lista, name="lista"),
    path("nueva/", views.ot_nueva, name="nueva"),
    path("<int:ot_id>/", views.ot_detalle, name="detalle"),
    path("<int:ot_id>/editar/", views.ot_editar, name="editar"),
    path("<int:ot_id>/eliminar/", views.ot_eliminar, name="eliminar"),
    path("<int:ot_id>/pasos/<int:detalle_id>/", views.ot_paso, name="paso"),
]
