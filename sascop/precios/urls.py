from __future__ import annotations

from django.urls import path

from sascop.precios import (
    apis,
    views,
    views_anexo,
    views_importar,
    views_pue,
    views_pue_editar,
    views_tareas,
)

urlpatterns = [
    path("precios/conceptos/", apis.ConceptoListApi.as_view(), name="precios-conceptos"),
    path(
        "precios/conceptos/<int:concepto_id>/",
        apis.ConceptoDetailApi.as_view(),
        name="precios-concepto",
    ),
    path(
        "precios/conceptos/<int:concepto_id>/autorizar/",
        apis.ConceptoAutorizarApi.as_view(),
        name="precios-concepto-autorizar",
    ),
    path("precios/importar/", apis.ImportarApi.as_view(), name="precios-importar"),
    path("ots/importar/", apis.OTImportarApi.as_view(), name="ots-importar"),
    path("ots/<int:ot_id>/anexo/", apis.AnexoOTApi.as_view(), name="ots-anexo"),
    path(
        "ots/<int:ot_id>/anexo/errores/<int:importacion_id>/",
        apis.AnexoErroresApi.as_view(),
        name="ots-anexo-errores",
    ),
]

# Each OT's Anexo C page, under /ots/ with the OT pages (see config/urls.py).
anexo_page_urlpatterns = [
    path("<int:ot_id>/anexo/", views_anexo.anexo_ot, name="anexo"),
    path(
        "<int:ot_id>/anexo/tareas/<uuid:tarea_id>/",
        views_tareas.anexo_importar_tarea,
        name="anexo-tarea",
    ),
    path("importar/", views_importar.ots_importar, name="importar"),
    path(
        "importar/tareas/<uuid:tarea_id>/",
        views_tareas.ots_importar_tarea,
        name="importar-tarea",
    ),
    path(
        "importar/<int:archivo_id>/observaciones/",
        views_importar.ots_observaciones,
        name="importar-observaciones",
    ),
]

# The pages, under /precios/.
page_urlpatterns = [
    path("", views.PreciosLista.as_view(), name="lista"),
    path("importar/", views_importar.precios_importar, name="importar"),
    path(
        "importar/tareas/<uuid:tarea_id>/",
        views_tareas.precios_importar_tarea,
        name="importar-tarea",
    ),
    path(
        "importar/<int:archivo_id>/observaciones/",
        views_importar.precios_observaciones,
        name="importar-observaciones",
    ),
    path("conceptos/<int:concepto_id>/autorizar/", views.concepto_autorizar, name="autorizar"),
    path("conceptos/nuevo/", views_pue_editar.PUEEditar.as_view(), name="pue-nuevo"),
    path(
        "conceptos/<int:concepto_id>/editar/",
        views_pue_editar.PUEEditar.as_view(),
        name="pue-editar",
    ),
    path(
        "conceptos/<int:concepto_id>/activo/",
        views_pue_editar.pue_activo,
        name="pue-activo",
    ),
    path(
        "conceptos/<int:concepto_id>/convertir/",
        views_pue.ConceptoConvertir.as_view(),
        name="convertir",
    ),
]
