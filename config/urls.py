from __future__ import annotations

from csp.decorators import csp_update
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from sascop.accounts import urls as accounts_urls
from sascop.actividad import urls as actividad_urls
from sascop.catalogos import urls as catalogos_urls
from sascop.consulta import urls as consulta_urls
from sascop.core.api.endpoints import HealthApi
from sascop.core.http.observabilidad import metrics
from sascop.core.pages import urls as pages_urls
from sascop.estadisticas import urls as estadisticas_urls
from sascop.estadisticas.views import tablero_view
from sascop.estimaciones import urls as estimaciones_urls
from sascop.ots import urls as ots_urls
from sascop.precios import urls as precios_urls
from sascop.produccion import urls as produccion_urls
from sascop.ptes import urls as ptes_urls
from sascop.tareas import urls as tareas_urls

urlpatterns = [
    path("", tablero_view, name="home"),
    path("admin/", admin.site.urls),
    path("accounts/", include((accounts_urls.page_urlpatterns, "accounts"))),
    path("api/", include((accounts_urls.api_urlpatterns, "api"))),
    path("cuenta/", include((accounts_urls.cuenta_urlpatterns, "cuenta"))),
    path("ptes/", include((ptes_urls.page_urlpatterns, "ptes"))),
    # The OT pages, and each OT's Anexo C page (the price book's app owns that one).
    path(
        "ots/",
        include(
            (
                ots_urls.page_urlpatterns
                + precios_urls.anexo_page_urlpatterns
                + estimaciones_urls.ot_page_urlpatterns,
                "ots",
            )
        ),
    ),
    path("estimaciones/", include((estimaciones_urls.page_urlpatterns, "estimaciones"))),
    path("produccion/", include((produccion_urls.page_urlpatterns, "produccion"))),
    path("catalogos/", include((catalogos_urls.page_urlpatterns, "catalogos"))),
    path("actividad/", include((actividad_urls.page_urlpatterns, "actividad"))),
    path("precios/", include((precios_urls.page_urlpatterns, "precios"))),
    path("paginas/", include((pages_urls.urlpatterns, "paginas"))),
    path("consulta/", include((consulta_urls.page_urlpatterns, "consulta"))),
    path(
        "operaciones/api/",
        include(
            (
                estadisticas_urls.urlpatterns
                + ptes_urls.urlpatterns
                + ots_urls.urlpatterns
                + precios_urls.urlpatterns
                + produccion_urls.urlpatterns
                + estimaciones_urls.urlpatterns
                + catalogos_urls.urlpatterns
                + actividad_urls.urlpatterns
                + tareas_urls.urlpatterns
                + consulta_urls.urlpatterns,
                "operaciones",
            ),
        ),
    ),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    # Swagger UI under the Content-Security-Policy: no inline script or style (the split view
    # serves its start-up script at ?script; the template adds the nonce and a stylesheet).
    # Its stylesheet draws its icons as data: SVG images, which this page alone allows.
    path(
        "api/docs/",
        csp_update({"img-src": ["data:"]})(
            SpectacularSwaggerSplitView.as_view(
                url_name="schema", template_name="core/api_docs.html"
            )
        ),
        name="docs",
    ),
    path("healthz", HealthApi.as_view(), name="healthz"),
    path("metrics", metrics, name="metrics"),
]

handler400 = "sascop.core.http.error_views.bad_request"
handler403 = "sascop.core.http.error_views.permission_denied"
handler404 = "sascop.core.http.error_views.not_found"
handler500 = "sascop.core.http.error_views.server_error"
