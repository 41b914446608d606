"""Every page of the site, read from the URLconf, for the tests that must visit them all.

`rutas()` lists every named URL pattern outside the API and the admin site (the admin is
Django's: tests visit its index and a model's list and form). A pattern that takes arguments
is visited once per object `objetos_de_prueba()` gives it; a new pattern with arguments and
no object there fails those tests, so a new page cannot be left out unseen.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from io import BytesIO
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver, reverse
from openpyxl import Workbook

# Routes under these prefixes answer JSON (the API), except the pages named in API_PAGES.
API_PREFIXES = ("api/", "operaciones/api/")
API_PAGES = {"docs"}
# Named routes outside the API that are not pages: what they answer instead.
NOT_PAGES = {
    "healthz": "application/json",
    "metrics": "text/plain",
    # The OT field's suggestions as the user types (JSON for the page's script).
    "produccion:ots": "application/json",
    "ots:importar-observaciones": "application/vnd.openxmlformats",
    "precios:importar-observaciones": "application/vnd.openxmlformats",
    "estimaciones:excel": "application/vnd.openxmlformats",
    "estimaciones:pdf": "application/pdf",
}
# Actions a form on some page posts to; a GET is refused (405), there is nothing to see.
POST_ONLY = {
    "accounts:logout",
    "catalogos:activo",
    "consulta:eliminar",
    "cuenta:mfa-confirmar",
    "cuenta:sesion-cerrar",
    "cuenta:sesiones-cerrar-otras",
    "ots:paso",
    "paginas:columnas",
    "precios:autorizar",
    "precios:pue-activo",
    "ptes:entregar",
    "ptes:paso",
}
# Pages only a user with two-factor login on sees (the others send him to /cuenta/mfa/), and
# the code page, seen halfway through logging in such a user.
CON_MFA = {"accounts:login-codigo", "cuenta:mfa-codigos", "cuenta:mfa-desactivar"}


@dataclass(frozen=True)
class Ruta:
    nombre: str  # "namespace:name", as `reverse()` takes it
    patron: str
    argumentos: tuple[str, ...]


def _recorrer(
    patrones: list[Any], prefijo: str, espacio: str, argumentos: tuple[str, ...]
) -> list[Ruta]:
    rutas: list[Ruta] = []
    for patron in patrones:
        propios = tuple(getattr(patron.pattern, "converters", {}))
        if isinstance(patron, URLResolver):
            if not prefijo and str(patron.pattern) == "admin/":
                continue
            nombre = f"{espacio}:{patron.namespace}" if espacio else patron.namespace or ""
            rutas += _recorrer(
                patron.url_patterns,
                prefijo + str(patron.pattern),
                nombre if patron.namespace else espacio,
                argumentos + propios,
            )
        elif isinstance(patron, URLPattern) and patron.name:
            nombre = f"{espacio}:{patron.name}" if espacio else patron.name
            rutas.append(Ruta(nombre, prefijo + str(patron.pattern), argumentos + propios))
    return rutas


def rutas() -> list[Ruta]:
    """Every named pattern outside the admin site and the API (the API docs page is in)."""
    return [
        ruta
        for ruta in _recorrer(get_resolver().url_patterns, "", "", ())
        if ruta.nombre in API_PAGES or not ruta.patron.startswith(API_PREFIXES)
    ]


def _url(nombre: str, argumentos: dict[str, Any]) -> str:
    """`reverse()`, plus the query string in `argumentos["?"]` if there is one."""
    consulta = argumentos.get("?")
    url = reverse(nombre, kwargs={k: v for k, v in argumentos.items() if k != "?"})
    return f"{url}?{consulta}" if consulta else url


def urls(objetos: dict[str, list[dict[str, Any]]]) -> dict[str, list[str]]:
    """Each route's URLs: one per entry of `objetos` (its URL arguments, and under "?" a
    query string), or for a route without arguments and no entry its bare URL."""
    resultado: dict[str, list[str]] = {}
    faltan = []
    for ruta in rutas():
        if ruta.nombre in objetos:
            resultado[ruta.nombre] = [_url(ruta.nombre, k) for k in objetos[ruta.nombre]]
        elif not ruta.argumentos:
            resultado[ruta.nombre] = [reverse(ruta.nombre)]
        else:
            faltan.append(f"{ruta.nombre} ({ruta.patron})")
    if faltan:
        raise LookupError(f"objetos_de_prueba() has no object for: {', '.join(faltan)}")
    return resultado


def paginas(objetos: dict[str, list[dict[str, Any]]]) -> dict[str, list[str]]:
    """The routes of `urls()` that answer a GET with a page (those of CON_MFA included)."""
    return {
        nombre: lista
        for nombre, lista in urls(objetos).items()
        if nombre not in NOT_PAGES and nombre not in POST_ONLY
    }


def _libro() -> bytes:
    libro = Workbook()
    libro.active.append(["ORDEN DE TRABAJO"])
    salida = BytesIO()
    libro.save(salida)
    return salida.getvalue()


def objetos_de_prueba(usuario: Any) -> dict[str, list[dict[str, Any]]]:
    """One object of each kind a page takes (each catalog's entries included), made in the
    test database for `usuario`: the URL arguments of every route that takes some."""
    # Factories of every app: imported here, so that importing this module costs nothing.
    from sascop.catalogos.declaraciones import catalogos
    from sascop.catalogos.tests import factories as cat
    from sascop.consulta.models import BusquedaGuardada
    from sascop.estimaciones.models import Estimacion
    from sascop.ots.models import OTDetalle
    from sascop.ots.tests.factories import OTFactory
    from sascop.precios import tareas
    from sascop.precios.models import ArchivoImportacion
    from sascop.precios.tests.factories import ConceptoFactory
    from sascop.produccion.tests.factories import ProduccionFactory
    from sascop.ptes.models import PTEDetalle
    from sascop.ptes.tests.factories import PTEFactory
    from sascop.tareas.services import tarea_encolar

    tipo = cat.TipoClienteFactory()
    cliente = cat.ClienteFactory(tipo=tipo)
    pte = PTEFactory(cliente=cliente, fecha_solicitud=datetime.date(2026, 3, 2))
    paso_pte = PTEDetalle.objects.create(pte=pte, paso=cat.PasoFactory(tipo_cliente=tipo))
    ot = OTFactory(pte=pte, cliente=cliente)
    paso_ot = OTDetalle.objects.create(ot=ot, paso=cat.PasoOtFactory())
    ProduccionFactory(ot=ot)
    concepto = ConceptoFactory()
    pue = ConceptoFactory(tipo="extraordinaria", estatus="EN_ELABORACION")
    pue_autorizado = ConceptoFactory(tipo="extraordinaria", estatus="AUTORIZADO")
    estimacion = Estimacion.objects.create(
        ot=ot, numero=1, desde=datetime.date(2026, 5, 1), hasta=datetime.date(2026, 5, 31)
    )
    for factory in (
        cat.ResponsableFactory,
        cat.FrenteFactory,
        cat.PartidaFactory,
        cat.CicloGuardiaFactory,
    ):
        factory()
    archivos = {
        tipo_archivo: ArchivoImportacion.objects.create(
            tipo=tipo_archivo, creado_por=usuario, contenido=_libro(), nombre_archivo="libro.xlsx"
        ).pk
        for tipo_archivo in ArchivoImportacion.Tipo
    }
    guardada = BusquedaGuardada.objects.create(
        usuario=usuario, nombre="Ductos", parametros="q=ducto"
    )
    entradas = []
    for nombre, declarado in catalogos().items():
        primera = declarado.modelo._default_manager.order_by("pk").first()
        assert primera is not None, f"no entry of the catalog {nombre}: give it a factory here"
        entradas.append({"nombre": nombre, "pk": primera.pk})
    de_pte, de_ot = {"pte_id": pte.pk}, {"ot_id": ot.pk}
    # Imports queued for the user (the worker never runs here: each page shows "en cola").
    en_cola = {
        tipo_tarea: str(
            tarea_encolar(
                tarea, archivo_id=archivos[tipo_archivo], usuario=usuario, tipo=tipo_tarea
            ).pk
        )
        for tipo_tarea, tarea, tipo_archivo in (
            (tareas.TIPO_PRECIOS, tareas.importar_archivo, ArchivoImportacion.Tipo.PRECIOS),
            (tareas.TIPO_OTS, tareas.importar_archivo, ArchivoImportacion.Tipo.OTS),
            (tareas.TIPO_ANEXO, tareas.importar_anexo, ArchivoImportacion.Tipo.ANEXO),
        )
    }
    de_estimacion = {"estimacion_id": estimacion.pk}
    return {
        # The page, and the page with a step's form open in it.
        "ptes:detalle": [de_pte, {**de_pte, "?": f"editar_paso={paso_pte.pk}"}],
        "ptes:editar": [de_pte],
        "ptes:eliminar": [de_pte],
        "ptes:paso": [{**de_pte, "detalle_id": paso_pte.pk}],
        "ptes:entregar": [de_pte],
        "ots:detalle": [de_ot, {**de_ot, "?": f"editar_paso={paso_ot.pk}"}],
        "ots:editar": [de_ot],
        "ots:eliminar": [de_ot],
        "ots:paso": [{**de_ot, "detalle_id": paso_ot.pk}],
        "ots:anexo": [de_ot],
        "ots:reprogramar": [de_ot],
        # The sheet's "Agregar concepto" as a page of its own (without the sheet's script).
        "produccion:agregar-concepto": [{"?": f"ot={ot.pk}&anio=2026&mes=5"}],
        "ots:estimaciones": [de_ot],
        "ots:anexo-tarea": [{**de_ot, "tarea_id": en_cola[tareas.TIPO_ANEXO]}],
        "ots:importar-tarea": [{"tarea_id": en_cola[tareas.TIPO_OTS]}],
        "precios:importar-tarea": [{"tarea_id": en_cola[tareas.TIPO_PRECIOS]}],
        "estimaciones:detalle": [de_estimacion],
        "estimaciones:excel": [de_estimacion],
        "estimaciones:pdf": [de_estimacion],
        "precios:pue-editar": [{"concepto_id": pue.pk}],
        "precios:pue-activo": [{"concepto_id": pue.pk}],
        "precios:convertir": [{"concepto_id": pue_autorizado.pk}],
        "ots:importar-observaciones": [{"archivo_id": archivos[ArchivoImportacion.Tipo.OTS]}],
        "precios:importar-observaciones": [
            {"archivo_id": archivos[ArchivoImportacion.Tipo.PRECIOS]}
        ],
        "precios:autorizar": [{"concepto_id": concepto.pk}],
        "catalogos:lista": [{"nombre": e["nombre"]} for e in entradas],
        "catalogos:nueva": [{"nombre": e["nombre"]} for e in entradas],
        "catalogos:editar": entradas,
        "catalogos:activo": entradas[:1],
        "consulta:eliminar": [{"pk": guardada.pk}],
        "cuenta:sesion-cerrar": [{"session_id": "no-existe"}],
        "paginas:columnas": [{"tabla": "ptes"}],
    }
