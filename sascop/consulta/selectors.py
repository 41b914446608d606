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
from django.db.models import F, FilteredRelation, Q, QuerySet, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from sascop.actividad.models import RegistroActividad
from sascop.catalogos.estatus import EstatusOT, EstatusPTE
from sascop.catalogos.models import Cliente, ResponsableProyecto, Sitio
from sascop.consulta import texto
from sascop.consulta.models import BusquedaGuardada
from sascop.consulta.motor import motor
from sascop.core.db.lookups import EnLista
from sascop.core.errors import NotFound
from sascop.ots.models import OT
from sascop.precios.models import Concepto, PartidaAnexoOT, importe
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
# An OT is late when its programmed end has passed and it has not ended.
CERRADAS = (EstatusOT.CANCELADA, EstatusOT.TERMINADA, EstatusOT.POR_CANCELAR)


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
    filas = Concepto.objects.filter(EnLista(F("pk"), ids)).select_related("anexo").order_by()
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


def _por_estatus(conteo: dict[int, int], nombres: dict[int, str]) -> list[dict[str, Any]]:
    return [
        {"estatus": e, "estatus_texto": nombre, "total": conteo[e]}
        for e, nombre in nombres.items()
        if conteo.get(e)
    ]


def _mes(dia: datetime.date | None) -> str | None:
    return dia.isoformat()[:7] if dia else None


def _importes(
    filas: Iterable[tuple[Decimal | None, Decimal, Decimal]],
) -> tuple[Decimal, Decimal]:
    """Volumes priced line by line (volume times P.U., to the cent), summed: MN and USD."""
    mn = usd = Decimal("0.00")
    for volumen, pu_mn, pu_usd in filas:
        if volumen:
            mn += importe(volumen, pu_mn)
            usd += importe(volumen, pu_usd)
    return mn, usd


def _ejecutado(ots: Sequence[int]) -> tuple[Decimal, Decimal]:
    """Over the OTs `ots`: their production's volume on each anexo line times the line's
    P.U. (MN, USD). Two queries, each read through an index whatever the planner guesses:
    production summed per line (by its OT index, joined to nothing: a join to the lines'
    prices made PostgreSQL hash all 80,000 lines of the contract), then those lines by their
    ids."""
    volumenes: dict[int, Decimal] = dict(
        Produccion.objects.filter(EnLista(F("ot_id"), ots))
        .values("partida_anexo_id")
        .annotate(volumen=Sum("volumen_produccion"))
        .order_by()
        .values_list("partida_anexo_id", "volumen")
    )
    if not volumenes:
        return Decimal("0.00"), Decimal("0.00")
    lineas = (
        PartidaAnexoOT.objects.filter(EnLista(F("pk"), list(volumenes)))
        .order_by()
        .values_list("pk", "pu_mn", "pu_usd")
    )
    return _importes((volumenes[pk], pu_mn, pu_usd) for pk, pu_mn, pu_usd in lineas)


def _por_cliente(
    ptes: Iterable[tuple[int, str]], ots: Iterable[tuple[int, str]]
) -> list[dict[str, Any]]:
    """PTEs and OTs found per client, the busiest first (then by name)."""
    filas: dict[int, dict[str, Any]] = {}
    for clave, lista in (("ptes", ptes), ("ots", ots)):
        for pk, nombre in lista:
            fila = filas.setdefault(
                pk, {"cliente": pk, "cliente_texto": nombre, "ptes": 0, "ots": 0}
            )
            fila[clave] += 1
    return sorted(filas.values(), key=lambda f: (-(f["ptes"] + f["ots"]), f["cliente_texto"]))


def _por_sitio(sitios: Iterable[tuple[int | None, str | None]]) -> list[dict[str, Any]]:
    """OTs found per site (their main one; none is a row of its own, last), most first."""
    filas: dict[int | None, dict[str, Any]] = {}
    for pk, nombre in sitios:
        fila = filas.setdefault(pk, {"sitio": pk, "sitio_texto": nombre or "", "total": 0})
        fila["total"] += 1
    return sorted(filas.values(), key=lambda f: (f["sitio"] is None, -f["total"], f["sitio_texto"]))


def _por_mes(ptes: Iterable[str | None], ots: Iterable[str | None]) -> list[dict[str, Any]]:
    """PTEs (by request date) and OTs (by programmed start) found per month, oldest first;
    an OT without a programmed start has no month."""
    filas: dict[str, dict[str, Any]] = {}
    for clave, meses in (("ptes", ptes), ("ots", ots)):
        for mes in meses:
            if mes:
                filas.setdefault(mes, {"mes": mes, "ptes": 0, "ots": 0})[clave] += 1
    return [filas[mes] for mes in sorted(filas)]


def indicadores(busqueda: Busqueda) -> dict[str, Any]:
    """Counts by kind; over the OTs found, their amounts (MN, USD), how many are late and
    their executed against authorised amounts; the PTEs and OTs found by status, by client
    and by month, and the OTs by site. At most four queries: the OTs found with their active
    anexo's totals (every figure of theirs from one read of at most LIMITE rows), their
    production summed per line, the lines of that production and the PTEs found."""
    encontrados = busqueda.encontrados
    mxn = usd = Decimal(0)
    atrasadas = 0
    ots_por_estatus: list[dict[str, Any]] = []
    ot_clientes: list[tuple[int, str]] = []
    ot_sitios: list[tuple[int | None, str | None]] = []
    ot_meses: list[str | None] = []
    importes = dict.fromkeys(
        ("ejecutado_mxn", "ejecutado_usd", "autorizado_mxn", "autorizado_usd"), Decimal("0.00")
    )
    if encontrados.get("ot"):
        hoy = timezone.localdate()
        conteo: dict[int, int] = {}
        autorizado_mxn = autorizado_usd = Decimal("0.00")
        # An OT has at most one active anexo: a LEFT JOIN, one row per OT. Its totals are
        # its lines' volumes times their P.U. (each rounded to the cent, added up), kept by
        # the one service that writes the lines.
        filas = (
            OT.objects.filter(EnLista(F("pk"), encontrados["ot"]))
            .annotate(vigente=FilteredRelation("anexos", condition=Q(anexos__activo=True)))
            .order_by()
            .values_list(
                "estatus",
                "monto_mxn",
                "monto_usd",
                "fecha_inicio_programado",
                "fecha_termino_programado",
                "fecha_termino_real",
                "cliente_id",
                "cliente__descripcion",
                "sitio_id",
                "sitio__descripcion",
                "vigente__importe_mn",
                "vigente__importe_usd",
            )
        )
        for (
            estatus,
            monto_mxn,
            monto_usd,
            inicio,
            fin,
            termino_real,
            cliente,
            cliente_nombre,
            sitio,
            sitio_nombre,
            anexo_mxn,
            anexo_usd,
        ) in filas:
            conteo[estatus] = conteo.get(estatus, 0) + 1
            mxn += monto_mxn
            usd += monto_usd
            if anexo_mxn is not None:
                autorizado_mxn += anexo_mxn
                autorizado_usd += anexo_usd
            if fin is not None and fin < hoy and termino_real is None and estatus not in CERRADAS:
                atrasadas += 1
            ot_clientes.append((cliente, cliente_nombre))
            ot_sitios.append((sitio, sitio_nombre))
            ot_meses.append(_mes(inicio))
        ots_por_estatus = _por_estatus(conteo, dict(EstatusOT.choices))
        ejecutado_mxn, ejecutado_usd = _ejecutado(encontrados["ot"])
        importes = {
            "ejecutado_mxn": ejecutado_mxn,
            "ejecutado_usd": ejecutado_usd,
            "autorizado_mxn": autorizado_mxn,
            "autorizado_usd": autorizado_usd,
        }
    ptes_por_estatus: list[dict[str, Any]] = []
    pte_clientes: list[tuple[int, str]] = []
    pte_meses: list[str | None] = []
    if encontrados.get("pte"):
        conteo = {}
        for estatus, cliente, nombre, solicitud in (
            PTE.objects.filter(EnLista(F("pk"), encontrados["pte"]))
            .order_by()
            .values_list("estatus", "cliente_id", "cliente__descripcion", "fecha_solicitud")
        ):
            conteo[estatus] = conteo.get(estatus, 0) + 1
            pte_clientes.append((cliente, nombre))
            pte_meses.append(_mes(solicitud))
        ptes_por_estatus = _por_estatus(conteo, dict(EstatusPTE.choices))
    return {
        "por_tipo": {tipo: len(ids) for tipo, ids in encontrados.items()},
        "ots_monto_mxn": mxn,
        "ots_monto_usd": usd,
        "ots_atrasadas": atrasadas,
        "ots_por_estatus": ots_por_estatus,
        "ptes_por_estatus": ptes_por_estatus,
        **importes,
        "por_cliente": _por_cliente(pte_clientes, ot_clientes),
        "ots_por_sitio": _por_sitio(ot_sitios),
        "por_mes": _por_mes(pte_meses, ot_meses),
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
