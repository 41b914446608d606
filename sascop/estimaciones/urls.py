from __future__ import annotations

from django.urls import path

from sascop.estimaciones import apis, views

# Under /operaciones/api/.
urlpatterns = [
    path("estimaciones/", apis.EstimacionesApi.as_view(), name="estimaciones"),
    path("estimaciones/<int:estimacion_id>/", apis.EstimacionApi.as_view(), name="estimacion"),
    path("ots/<int:ot_id>/estimaciones/", apis.OTEstimacionesApi.as_view(), name="ot-estimaciones"),
]

# Under /estimaciones/.
page_urlpatterns = [
    path("", views.EstimacionLista.as_view(), name="lista"),
    path("<int:estimacion_id>/", views.estimacion_view, name="detalle"),
    path("<int:estimacion_id>/excel/", views.estimacion_xlsx_view, name="excel"),
    path("<int:estimacion_id>/pdf/", views.estimacion_pdf_view, name="pdf"),
]

# Under /ots/: an OT's estimaciones (drawn up there).
ot_page_urlpatterns = [
    path("<int:ot_id>/estimaciones/", views.ot_estimaciones_view, name="estimaciones"),
]
