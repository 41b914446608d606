"""The Centro de Consulta's search: one query over PTEs, OTs, concepts, anexo lines,
production and activity comments, grouped by kind, ranked, with KPIs over what was found.

Each kind is searched within its own filtered rows (`Filtro`); a filter a kind does not have
(a status, for concepts) leaves that kind out, so a filter only ever narrows. Every kind keeps
its best `LIMITE` matches: that is what a group counts, pages through and exports (on
PostgreSQL, a common word's best among its newest `LIMITE`: motor.py).
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.db import connection
from django.db.models import F, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from sascop.actividad.models import RegistroActividad
from sascop.catalogos.estatus import EstatusOT, EstatusPTE
from sascop.catalogos.models import Cliente, ResponsableProyecto, Sitio
from sascop.consulta import agregados, texto
from sascop.consulta.models import BusquedaGuardada
from sascop.consulta.motor import motor
from sascop.core.db.lookups import EnLista
from sascop.core.errors import NotFound
from sascop.ots.models import OT
from sascop.precios.models import Concepto, PartidaAnexoOT
from sascop.produccion.models import Produccion
from sascop.ptes.models import PTE

# Matches kept per kind (ranked): enough to page through and export, bounded at any size.
LIMITE = 1000
POR_PAGINA = 10

TIPOS: dict[str, Any] = {
    "pte": pgettext_lazy("consulta", "PTEs"),
    "ot": pgettext_lazy("consulta", "OTs"),
    "concepto": pgettext_lazy("consulta", "Concepts"),
    "linea_anexo": _("Anexo C lines"),
    "produccion": pgettext_lazy("consulta", "Production"),
    "actividad": _("Activity comments"),
}
PERMISOS = {
    "pte": "ptes.view_pte",
    "ot": "ots.view_ot",
    "concepto": "precios.view_concepto",
    "linea_anexo": "ots.view_ot",
    "produccion": "produccion.view_produccion",
    "actividad": "actividad.view_registroactividad",
}


@dataclass(frozen=True)
class Filtro:
    q: str = ""
    tipo: str = ""
    cliente: Cliente | None = None
    sitio: Sitio | None = None
    estatus: int | None = None
    desde: datetime.date | None = None
    hasta: datetime.date | None = None

    @property
    def terminos(self) -> list[str]:
        return texto.terminos(self.q)

    @property
    def filtra(self) -> bool:
        """Whether any filter narrows the rows searched (the kind is not one)."""
        return any((self.cliente, self.sitio, self.estatus, self.desde, self.hasta))


@dataclass
class Busqueda:
    """What one search found: per kind, its ids best first."""

    filtro: Filtro
    encontrados: dict[str, list[int]] = field(default_factory=dict)


# --- Which rows each kind searches -------------------------------------------------------


def _fechas(campo: str, f: Filtro) -> Q:
    q = Q()
    if f.desde:
        q &= Q(**{f"{campo}__gte": f.desde})
    if f.hasta:
        q &= Q(**{f"{campo}__lte": f.hasta})
    return q


def _lugares(prefijo: str, sitios: Sequence[Sitio | int]) -> Q:
    """Any of the OT's places is one of `sitios`."""
    return (
        Q(**{f"{prefijo}sitio__in": sitios})
        | Q(**{f"{prefijo}embarcacion__in": sitios})
        | Q(**{f"{prefijo}plataforma__in": sitios})
        | Q(**{f"{prefijo}intercom__in": sitios})
        | Q(**{f"{prefijo}patio__in": sitios})
    )


def _base(tipo: str, f: Filtro) -> QuerySet[Any] | None:
    """The rows of `tipo` the filters allow; None when a filter in force is not the kind's."""
    fechas = f.desde or f.hasta
    if tipo == "pte":
        if f.sitio:
            return None
        ptes = PTE.objects.filter(_fechas("fecha_solicitud", f))
        if f.cliente:
            ptes = ptes.filter(cliente=f.cliente)
        return ptes.filter(estatus=f.estatus) if f.estatus else ptes
    if tipo == "ot":
        ots = OT.objects.filter(_fechas("fecha_inicio_programado", f))
        if f.cliente:
            ots = ots.filter(cliente=f.cliente)
        if f.sitio:
            ots = ots.filter(_lugares("", [f.sitio]))
        return ots.filter(estatus=f.estatus) if f.estatus else ots
    if tipo == "concepto":
        return None if f.cliente or f.sitio or f.estatus or fechas else Concepto.objects.all()
    if tipo == "linea_anexo":
        if f.estatus or fechas:
            return None
        lineas = PartidaAnexoOT.objects.filter(
            anexo_ot__activo=True, anexo_ot__ot__eliminado_en__isnull=True
        )
        if f.cliente:
            lineas = lineas.filter(anexo_ot__ot__cliente=f.cliente)
        if f.sitio:
            lineas = lineas.filter(_lugares("anexo_ot__ot__", [f.sitio]))
        return lineas
    if tipo == "produccion":
        if f.estatus:
            return None
        produccion = Produccion.objects.filter(
            _fechas("fecha_produccion", f), ot__eliminado_en__isnull=True
        )
        if f.cliente:
            produccion = produccion.filter(ot__cliente=f.cliente)
        return produccion.filter(sitio=f.sitio) if f.sitio else produccion
    # actividad
    if f.cliente or f.sitio or f.estatus:
        return None
    comentarios = RegistroActividad.objects.filter(campo="comentario")
    zona = timezone.get_current_timezone()
    if f.desde:
        desde = datetime.datetime.combine(f.desde, datetime.time(), zona)
        comentarios = comentarios.filter(fecha__gte=desde)
    if f.hasta:
        siguiente = f.hasta + datetime.timedelta(days=1)
        hasta = datetime.datetime.combine(siguiente, datetime.time(), zona)
        comentarios = comentarios.filter(fecha__lt=hasta)
    return comentarios


# --- Catalog names (a few hundred rows: matched in memory) --------------------------------


def _nombra(nombre: str, terminos: Sequence[str]) -> bool:
    palabras = texto.PALABRA.findall(texto.normalizar(nombre))
    return all(any(p.startswith(t) for p in palabras) for t in terminos)


def _catalogo(filas: Iterable[tuple[int, str]], terminos: Sequence[str]) -> list[int]:
    return [pk for pk, nombre in filas if _nombra(nombre, terminos)]


CATALOGOS = {"cliente": Cliente, "responsable": ResponsableProyecto, "sitio": Sitio}


def _catalogos(terminos: Sequence[str]) -> dict[str, list[int]]:
    """The clients, responsibles and sites whose names the terms find: the three catalogs
    read in one query (table names from the models' own metadata, no value from outside)."""
    partes = [
        f"SELECT %s, id, {'nombre' if modelo is ResponsableProyecto else 'descripcion'} "  # noqa: S608
        f"FROM {modelo._meta.db_table}"
        for modelo in CATALOGOS.values()
    ]
    filas: dict[str, list[tuple[int, str]]] = {nombre: [] for nombre in CATALOGOS}
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(partes), list(CATALOGOS))
        for catalogo, pk, nombre in cursor.fetchall():
            filas[catalogo].append((pk, nombre))
    return {catalogo: _catalogo(lista, terminos) for catalogo, lista in filas.items()}


def _unir(*listas: Sequence[int]) -> list[int]:
    """The ids of every list, in order, each once, at most LIMITE."""
    vistos: dict[int, None] = {}
    for lista in listas:
        for pk in lista:
            vistos.setdefault(pk, None)
    return list(vistos)[:LIMITE]


def _por_catalogo(base: QuerySet[Any], condicion: Q) -> list[int]:
    return list(base.filter(condicion).order_by("-pk").values_list("pk", flat=True)[:LIMITE])


# --- The search ------------------------------------------------------------------------------


def _ots_por_numero(codigo: str) -> list[int]:
    """The OTs (not deleted) whose number is `codigo` (on the unique index), else those whose
    number starts with it (a scan of the OTs, not of their production)."""
    vivas = OT.objects.order_by()
    exactas = list(vivas.filter(orden_trabajo=codigo.upper()).values_list("pk", flat=True))
    if exactas:
        return exactas
    return list(vivas.filter(orden_trabajo__istartswith=codigo).values_list("pk", flat=True)[:100])


def _produccion(base: QuerySet[Any], q: str) -> list[int]:
    """Production by its OT's number, its partida and its date: every word of the query is a
    date (31/03/2026) or a code with a digit (an order number or the start of a partida). A
    query with a plain word finds no production: it has no text of its own worth finding.

    The OTs and anexo lines a code names are read first (a few ids), so production is then
    read through its (OT, date) and date indexes, never scanned."""
    palabras = q.split()
    if not palabras:
        return []
    for palabra in palabras:
        dia = texto.fecha(palabra)
        if dia is not None:
            base = base.filter(fecha_produccion=dia)
        elif any(c.isdigit() for c in palabra):
            ots = _ots_por_numero(palabra)
            lineas = list(
                PartidaAnexoOT.objects.filter(concepto__partida__istartswith=palabra)
                .order_by()
                .values_list("pk", flat=True)[:LIMITE]
            )
            if not ots and not lineas:
                return []
            base = base.filter(Q(ot__in=ots) | Q(partida_anexo__in=lineas))
        else:
            return []
    return list(base.order_by("-fecha_produccion", "-pk").values_list("pk", flat=True)[:LIMITE])


def tipos_visibles(usuario: Any) -> list[str]:
    return [tipo for tipo in TIPOS if usuario.has_perm(PERMISOS[tipo])]


def buscar(filtro: Filtro, usuario: Any) -> Busqueda:
    """Search every kind the user may read (or the one `filtro.tipo` names)."""
    busqueda = Busqueda(filtro)
    terminos = filtro.terminos
    if not terminos:
        return busqueda
    tipos = [t for t in tipos_visibles(usuario) if not filtro.tipo or t == filtro.tipo]
    bases = {t: b for t in tipos if (b := _base(t, filtro)) is not None}
    buscador = motor()
    conceptos: list[int] | None = None
    if "concepto" in bases or "linea_anexo" in bases:
        conceptos = buscador.ranquear("concepto", terminos, None, LIMITE)
    nombrados: dict[str, list[int]] = {catalogo: [] for catalogo in CATALOGOS}
    if "pte" in bases or "ot" in bases:
        nombrados = _catalogos(terminos)
    clientes = nombrados["cliente"]
    for tipo, base in bases.items():
        # Unfiltered, a kind's rows are those its index holds (PTEs and OTs not deleted,
        # activity comments): the engine reads the index alone.
        indexadas = base if filtro.filtra else None
        if tipo == "pte":
            responsables = nombrados["responsable"]
            por_nombre: list[int] = []
            if clientes or responsables:
                por_nombre = _por_catalogo(
                    base, Q(cliente__in=clientes) | Q(responsable_proyecto__in=responsables)
                )
            ids = _unir(buscador.ranquear("pte", terminos, indexadas, LIMITE), por_nombre)
        elif tipo == "ot":
            sitios = nombrados["sitio"]
            por_lugar: list[int] = []
            if clientes or sitios:
                por_lugar = _por_catalogo(base, Q(cliente__in=clientes) | _lugares("", sitios))
            ids = _unir(buscador.ranquear("ot", terminos, indexadas, LIMITE), por_lugar)
        elif tipo == "concepto":
            ids = conceptos or []
        elif tipo == "linea_anexo":
            ids = _lineas(base, conceptos or [])
        elif tipo == "produccion":
            ids = _produccion(base, filtro.q)
        else:
            ids = buscador.ranquear("actividad", terminos, indexadas, LIMITE)
        busqueda.encontrados[tipo] = ids
    return busqueda


def _lineas(base: QuerySet[Any], conceptos: list[int]) -> list[int]:
    """The active Anexo C lines of the concepts found, in the concepts' order (newest OT
    first within one concept)."""
    if not conceptos:
        return []
    filas = base.filter(EnLista(F("concepto_id"), conceptos)).order_by("-anexo_ot__ot_id", "orden")
    posicion = {pk: i for i, pk in enumerate(conceptos)}
    lineas = list(filas.values_list("pk", "concepto_id")[:LIMITE])
    lineas.sort(key=lambda fila: posicion[fila[1]])
    return [pk for pk, _concepto in lineas]


# --- Results -------------------------------------------------------------------------------


def _fecha(dia: datetime.date) -> str:
    return dia.strftime("%d/%m/%Y")


def _resultado(pk: int, titulo: str, extracto: str, url: str, t: Sequence[str]) -> dict[str, Any]:
    return {"id": pk, "titulo": titulo, "extracto": texto.resaltar(extracto, t), "url": url}


def _ptes(ids: Sequence[int], t: Sequence[str]) -> list[dict[str, Any]]:
    filas = (
        PTE.objects.filter(EnLista(F("pk"), ids))
        .select_related("cliente", "responsable_proyecto")
        .only(
            "oficio_pte",
            "descripcion_trabajo",
            "cliente__descripcion",
            "responsable_proyecto__nombre",
        )
        .order_by()
    )
    return [
        _resultado(
            p.pk,
            p.oficio_pte,
            f"{p.descripcion_trabajo} · {p.cliente.descripcion} · {p.responsable_proyecto.nombre}",
            reverse("ptes:detalle", args=[p.pk]),
            t,
        )
        for p in filas
    ]


# An OT's places, each a site of the catalog (its excerpt names them).
LUGARES = ("sitio", "embarcacion", "plataforma", "intercom", "patio")


def _ots(ids: Sequence[int], t: Sequence[str]) -> list[dict[str, Any]]:
    filas = (
        OT.objects.filter(EnLista(F("pk"), ids))
        .select_related(*LUGARES)
        .only(
            "orden_trabajo",
            "num_reprogramacion",
            "descripcion_trabajo",
            "oficio_ot",
            *(f"{lugar}__descripcion" for lugar in LUGARES),
        )
        .order_by()
    )
    resultados = []
    for o in filas:
        lugares = [
            s.descripcion
            for s in (o.sitio, o.embarcacion, o.plataforma, o.intercom, o.patio)
            if s is not None
        ]
        extracto = " · ".join(x for x in (o.descripcion_trabajo, o.oficio_ot, *lugares) if x)
        resultados.append(
            _resultado(o.pk, str(o), extracto, reverse("ots:detalle", args=[o.pk]), t)
        )
    return resultados


def _conceptos(ids: Sequence[int], t: Sequence[str]) -> list[dict[str, Any]]:
    filas = (
        Concepto.objects.filter(EnLista(F("pk"), ids))
        .select_related("anexo")
        .only("partida", "concepto", "anexo__clave")
        .order_by()
    )
    lista = reverse("precios:lista")
    return [
        _resultado(
            c.pk,
            f"{c.anexo.clave} {c.partida}".strip(),
            c.concepto,
            f"{lista}?{urlencode({'buscar': c.partida or c.concepto[:100]})}",
            t,
        )
        for c in filas
    ]


def _lineas_anexo(ids: Sequence[int], t: Sequence[str]) -> list[dict[str, Any]]:
    filas = (
        PartidaAnexoOT.objects.filter(EnLista(F("pk"), ids))
        .select_related("concepto__anexo", "anexo_ot__ot")
        .only(
            "concepto__partida",
            "concepto__concepto",
            "concepto__anexo__clave",
            "anexo_ot__ot__orden_trabajo",
            "anexo_ot__ot__num_reprogramacion",
        )
        .order_by()
    )
    return [
        _resultado(
            linea.pk,
            f"{linea.anexo_ot.ot} · {linea.concepto.anexo.clave} {linea.concepto.partida}",
            linea.concepto.concepto,
            reverse("ots:anexo", args=[linea.anexo_ot.ot_id]),
            t,
        )
        for linea in filas
    ]


def _produccion_resultados(ids: Sequence[int], t: Sequence[str]) -> list[dict[str, Any]]:
    filas = (
        Produccion.objects.filter(EnLista(F("pk"), ids))
        .select_related("ot", "partida_anexo__concepto", "sitio")
        .only(
            "fecha_produccion",
            "volumen_produccion",
            "tipo_tiempo",
            "comentario",
            "ot__orden_trabajo",
            "ot__num_reprogramacion",
            "partida_anexo__concepto__partida",
            "partida_anexo__concepto__unidad",
            "sitio__descripcion",
        )
        .order_by()
    )
    lista = reverse("produccion:lista")
    return [
        _resultado(
            p.pk,
            f"{p.ot} · {p.partida_anexo.concepto.partida} · {_fecha(p.fecha_produccion)}",
            " · ".join(
                x
                for x in (
                    f"{p.volumen_produccion.normalize():f} {p.partida_anexo.concepto.unidad}",
                    p.tipo_tiempo,
                    p.sitio.descripcion,
                    p.comentario,
                )
                if x
            ),
            f"{lista}?{urlencode({'ot': p.ot_id})}",
            t,
        )
        for p in filas
    ]


def _actividad(ids: Sequence[int], t: Sequence[str]) -> list[dict[str, Any]]:
    filas = RegistroActividad.objects.filter(EnLista(F("pk"), ids)).order_by()
    lista = reverse("actividad:lista")
    return [
        _resultado(
            r.pk,
            f"{r.entidad} {r.entidad_id} · {r.nombre_usuario} · "
            f"{_fecha(timezone.localdate(r.fecha))}",
            r.valor_nuevo,
            f"{lista}?{urlencode({'entidad': r.entidad, 'entidad_id': r.entidad_id})}",
            t,
        )
        for r in filas
    ]


RESULTADOS: dict[str, Callable[[Sequence[int], Sequence[str]], list[dict[str, Any]]]] = {
    "pte": _ptes,
    "ot": _ots,
    "concepto": _conceptos,
    "linea_anexo": _lineas_anexo,
    "produccion": _produccion_resultados,
    "actividad": _actividad,
}


def resultados(tipo: str, ids: Sequence[int], terminos: Sequence[str]) -> list[dict[str, Any]]:
    """The results of `ids` (one query), in that order."""
    filas = {r["id"]: r for r in RESULTADOS[tipo](ids, terminos)}
    return [filas[pk] for pk in ids if pk in filas]


def grupos(busqueda: Busqueda, pagina: int, por_pagina: int) -> list[dict[str, Any]]:
    """Every kind that found something: its total and the page `pagina` of its results."""
    salida = []
    terminos = busqueda.filtro.terminos
    for tipo, ids in busqueda.encontrados.items():
        if not ids:
            continue
        paginas = math.ceil(len(ids) / por_pagina)
        actual = min(max(pagina, 1), paginas)
        pagina_ids = ids[(actual - 1) * por_pagina : actual * por_pagina]
        salida.append(
            {
                "tipo": tipo,
                "total": len(ids),
                "pagina": actual,
                "paginas": paginas,
                "resultados": resultados(tipo, pagina_ids, terminos),
            }
        )
    return salida


def todos(busqueda: Busqueda) -> list[tuple[str, dict[str, Any]]]:
    """Every result found, kind by kind, best first (what an export writes)."""
    terminos = busqueda.filtro.terminos
    return [
        (tipo, r)
        for tipo, ids in busqueda.encontrados.items()
        for r in resultados(tipo, ids, terminos)
    ]


# --- KPIs over what was found ------------------------------------------------------------


def _pesos(centavos: Any) -> Decimal:
    return Decimal(int(centavos or 0)).scaleb(-2)


def _suma(filas: list[tuple[Any, ...]], columna: int) -> Decimal:
    """A column of cents added over the groups, in pesos."""
    return _pesos(sum(int(f[columna] or 0) for f in filas))


def _por_estatus(conteo: dict[int, int], nombres: dict[int, str]) -> list[dict[str, Any]]:
    return [
        {"estatus": e, "estatus_texto": nombre, "total": conteo[e]}
        for e, nombre in nombres.items()
        if conteo.get(e)
    ]


def _por_cliente(
    ptes: dict[int, tuple[str, int]], ots: dict[int, tuple[str, int]]
) -> list[dict[str, Any]]:
    """PTEs and OTs found per client, the busiest first (then by name)."""
    filas: dict[int, dict[str, Any]] = {}
    for clave, conteo in (("ptes", ptes), ("ots", ots)):
        for pk, (nombre, n) in conteo.items():
            fila = filas.setdefault(
                pk, {"cliente": pk, "cliente_texto": nombre, "ptes": 0, "ots": 0}
            )
            fila[clave] += n
    return sorted(filas.values(), key=lambda f: (-(f["ptes"] + f["ots"]), f["cliente_texto"]))


def _por_sitio(sitios: dict[int | None, tuple[str | None, int]]) -> list[dict[str, Any]]:
    """OTs found per site (their main one; none is a row of its own, last), most first."""
    filas = [
        {"sitio": pk, "sitio_texto": nombre or "", "total": n} for pk, (nombre, n) in sitios.items()
    ]
    return sorted(filas, key=lambda f: (f["sitio"] is None, -f["total"], f["sitio_texto"]))


def _por_mes(ptes: dict[str, int], ots: dict[str, int]) -> list[dict[str, Any]]:
    """PTEs (by request date) and OTs (by programmed start) found per month, oldest first;
    an OT without a programmed start has no month."""
    return [
        {"mes": mes, "ptes": ptes.get(mes, 0), "ots": ots.get(mes, 0)}
        for mes in sorted(ptes.keys() | ots.keys())
    ]


def indicadores(busqueda: Busqueda) -> dict[str, Any]:
    """Counts by kind; over the OTs found, their amounts (MN, USD), how many are late and
    their executed against authorised amounts (executed: their production's volume on each
    anexo line times the line's P.U., rounded to the cent line by line; authorised: their
    active anexos' totals); the PTEs and OTs found by status, by client and by month, and
    the OTs by site. One query (none when neither OTs nor PTEs were found)."""
    encontrados = busqueda.encontrados
    ots, ptes = encontrados.get("ot") or [], encontrados.get("pte") or []
    filas = agregados.grupos(ots, ptes, timezone.localdate())
    # By status, each OT's row: (status, -, count, MXN, USD, late, anexo MXN, anexo USD).
    por_estatus = filas[agregados.OT_ESTATUS]
    return {
        "por_tipo": {tipo: len(ids) for tipo, ids in encontrados.items()},
        "ots_monto_mxn": _suma(por_estatus, 3),
        "ots_monto_usd": _suma(por_estatus, 4),
        "ots_atrasadas": sum(int(f[5]) for f in por_estatus),
        "ots_por_estatus": _por_estatus(
            {e: int(n) for e, _, n, *_ in por_estatus}, dict(EstatusOT.choices)
        ),
        "ptes_por_estatus": _por_estatus(
            {e: int(n) for e, _, n, *_ in filas[agregados.PTE_ESTATUS]}, dict(EstatusPTE.choices)
        ),
        "ejecutado_mxn": _suma(filas[agregados.EJECUTADO], 3),
        "ejecutado_usd": _suma(filas[agregados.EJECUTADO], 4),
        "autorizado_mxn": _suma(por_estatus, 6),
        "autorizado_usd": _suma(por_estatus, 7),
        "por_cliente": _por_cliente(
            {pk: (nombre, int(n)) for pk, nombre, n, *_ in filas[agregados.PTE_CLIENTE]},
            {pk: (nombre, int(n)) for pk, nombre, n, *_ in filas[agregados.OT_CLIENTE]},
        ),
        "ots_por_sitio": _por_sitio(
            {pk: (nombre, int(n)) for pk, nombre, n, *_ in filas[agregados.OT_SITIO]}
        ),
        "por_mes": _por_mes(
            {mes: int(n) for _, mes, n, *_ in filas[agregados.PTE_MES]},
            {mes: int(n) for _, mes, n, *_ in filas[agregados.OT_MES]},
        ),
    }


# --- Saved searches --------------------------------------------------------------------------


def busquedas_de(usuario: Any) -> QuerySet[BusquedaGuardada]:
    """The user's saved searches, by name."""
    return BusquedaGuardada.objects.filter(usuario=usuario).order_by("nombre", "pk")


def busqueda_de(usuario: Any, pk: int) -> BusquedaGuardada:
    """One of the user's saved searches; NotFound for anyone else's (or none)."""
    busqueda = busquedas_de(usuario).filter(pk=pk).first()
    if busqueda is None:
        raise NotFound()
    return busqueda
