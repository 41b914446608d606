from __future__ import annotations

from django.urls import path

from sascop.produccion import apis, apis_gpu, views, views_agregar, views_gpu, views_sitios

urlpatterns = [
    path("produccion/", apis.ProduccionListApi.as_view(), name="produccion"),
    path("produccion/lote/", apis.ProduccionLoteApi.as_view(), name="produccion-lote"),
    path("produccion/sabana/", apis.SabanaApi.as_view(), name="produccion-sabana"),
    path(
        "produccion/<int:produccion_id>/",
        apis.ProduccionDetailApi.as_view(),
        name="produccion-detalle",
    ),
    path(
        "ots/<int:ot_id>/reportes-diarios/",
        apis.ReportesDiariosApi.as_view(),
        name="ots-reportes-diarios",
    ),
    path("ots/<int:ot_id>/gpu/", apis_gpu.TableroGPUApi.as_view(), name="ots-gpu"),
]

# The pages, under /produccion/.
page_urlpatterns = [
    path("", views.ProduccionLista.as_view(), name="lista"),
    path("captura/", views.produccion_captura, name="captura"),
    path("sabana/", views.produccion_sabana, name="sabana"),
    path(
        "sabana/agregar-concepto/",
        views_agregar.agregar_concepto,
        name="agregar-concepto",
    ),
    path("ots/", views.produccion_ots, name="ots"),
    path("sitios/", views_sitios.tablero_de_sitio, name="sitios"),
    path("guardias/", views_sitios.guardias_de_sitio, name="guardias"),
    path("gpu/", views_gpu.tablero_gpu, name="gpu"),
]
