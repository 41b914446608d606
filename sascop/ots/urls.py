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
    path("", views.OTLista.as_view(), name="lista"),
    path("nueva/", views.OTEditar.as_view(), name="nueva"),
    path("<int:ot_id>/", views.OTDetalle.as_view(), name="detalle"),
    path("<int:ot_id>/editar/", views.OTEditar.as_view(), name="editar"),
    path("<int:ot_id>/eliminar/", views.OTEliminar.as_view(), name="eliminar"),
    path("<int:ot_id>/pasos/<int:detalle_id>/", views.OTDetalle.as_view(), name="paso"),
]
