from __future__ import annotations

from django.urls import path

from sascop.produccion import apis, views

urlpatterns = [
    path("produccion/", apis.ProduccionListApi.as_view(), name="produccion"),
    path("produccion/lote/", apis.ProduccionLoteApi.as_view(), name="produccion-lote"),
    path(
        "produccion/<int:produccion_id>/",
        apis.ProduccionDetailApi.as_view(),
        name="produccion-detalle",
    ),
]

# The pages, under /produccion/.
page_urlpatterns = [
    path("", views.produccion_lista, name="lista"),
    path("captura/", views.produccion_captura, name="captura"),
]
