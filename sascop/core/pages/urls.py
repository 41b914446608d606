from __future__ import annotations

from typing import Any

from django.urls import URLPattern, path

from sascop.core.pages import vistas

# Under /paginas/.
urlpatterns = [
    path("columnas/<slug:tabla>/", vistas.ColumnasView.as_view(), name="columnas"),
]


def paginas_de(
    pk: str, lista: Any, detalle: Any, editar: Any, eliminar: Any, *, pasos: bool = False
) -> list[URLPattern]:
    """A model's pages under its prefix, named as every model's are: `lista`, `nueva`,
    `detalle`, `editar`, `eliminar` (and `paso`, a workflow step saved from the detail)."""
    registro = f"<int:{pk}>"
    rutas = [
        path("", lista.as_view(), name="lista"),
        path("nueva/", editar.as_view(), name="nueva"),
        path(f"{registro}/", detalle.as_view(), name="detalle"),
        path(f"{registro}/editar/", editar.as_view(), name="editar"),
        path(f"{registro}/eliminar/", eliminar.as_view(), name="eliminar"),
    ]
    if pasos:
        rutas.append(path(f"{registro}/pasos/<int:detalle_id>/", detalle.as_view(), name="paso"))
    return rutas
