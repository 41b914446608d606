from __future__ import annotations

from django.urls import path

from sascop.core.pages import vistas

# Under /paginas/.
urlpatterns = [
    path("columnas/<slug:tabla>/", vistas.ColumnasView.as_view(), name="columnas"),
]
