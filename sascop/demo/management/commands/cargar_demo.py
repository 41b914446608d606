"""Load the catalogs and realistic demo data, in bulk.

    python manage.py cargar_demo                      # small set (used by `dev.py run`)
    python manage.py cargar_demo --ptes 100000 --produccion 1000000

Rows are inserted with bulk_create in batches and without the activity log (this is data
loading, not user activity). Running it again adds more data; catalogs are reused.
"""

from __future__ import annotations

import datetime
import random
import time
from decimal import Decimal
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from sascop.catalogos.estatus import EstatusCobro, EstatusOT, EstatusPaso, EstatusPTE
from sascop.catalogos.models import (
    Cliente,
    Frente,
    Partida,
    Paso,
    PasoOt,
    ResponsableProyecto,
    Sitio,
    Tipo,
    UnidadMedida,
)
from sascop.core.signals import announce_change
from sascop.demo.guardias import cargar_guardias
from sascop.ots.models import OT, OTDetalle
from sascop.precios.libro import orden_de_partida
from sascop.precios.models import (
    Anexo,
    AnexoOT,
    Concepto,
    Contrato,
    PartidaAnexoOT,
    ProgramaDiario,
    TipoCambio,
    totales_de_lineas,
)
from sascop.produccion import excedentes
from sascop.produccion.models import Produccion
from sascop.ptes.models import PTE, PTEDetalle

BATCH = 5000
# OT states whose work has begun: they carry a real start date.
INICIADAS = {
    EstatusOT.DIFERIDA,
    EstatusOT.EN_EJECUCION,
    EstatusOT.SUSPENDIDA,
    EstatusOT.TERMINADA,
    EstatusOT.POR_CANCELAR,
}
TIPOS_CLIENTE = ["PEMEX Exploración y Producción", "Privado"]
CLIENTES = [
    ("PEP Activo Ku-Maloob-Zaap", 0),
    ("PEP Activo Cantarell", 0),
    ("PEP Activo Abkatun-Pol-Chuc", 0),
    ("PEP Activo Litoral de Tabasco", 0),
    ("Talos Energy", 1),
    ("Eni México", 1),
    ("Fieldwood", 1),
]
TIPOS_PTE = [
    "Inspección submarina",
    "Mantenimiento de ductos",
    "Instalación de estructuras",
    "Buceo de saturación",
    "Reparación de ductos",
]
RESPONSABLES = [
    "Ing. Laura Méndez",
    "Ing. Carlos Ruiz",
    "Ing. Sofía Herrera",
    "Ing. Jorge Castillo",
    "Ing. Mariana López",
    "Ing. Raúl Domínguez",
]
PASOS = [
    "Recepción de solicitud",
    "Visita técnica",
    "Ingeniería básica",
    "Volumetría",
    "Análisis de precios unitarios",
    "Revisión interna",
    "Firma de propuesta",
    "Entrega al cliente",
]
PASOS_OT = [
    "Kick-off",
    "Movilización de embarcación",
    "Ejecución",
    "Desmovilización",
    "Reporte final",
    "Acta de entrega",
]
FRENTES = {
    "Sonda de Campeche": ["Akal-C", "Nohoch-A", "Ku-S", "Maloob-B", "Zaap-C"],
    "Litoral de Tabasco": ["Yaxché-A", "Tsimin-B", "Xux-A"],
    "Dos Bocas": ["Terminal Marítima", "Muelle 2"],
}
UNIDADES = [
    ("M", "Metro lineal"),
    ("M2", "Metro cuadrado"),
    ("KG", "Kilogramo"),
    ("JOR", "Jornada"),
    ("HR", "Hora"),
    ("PZA", "Pieza"),
    ("SER", "Servicio"),
]
PARTIDAS = [
    ("BUC-001", "Inspección visual con buzo", "JOR"),
    ("BUC-002", "Limpieza de ducto con chorro de agua", "M"),
    ("ROV-010", "Inspección con ROV", "HR"),
    ("ROV-011", "Video-inspección de riser", "M"),
    ("SOL-020", "Soldadura hiperbárica", "PZA"),
    ("ANO-030", "Instalación de ánodo", "PZA"),
    ("ABR-040", "Abrazadera de reparación", "PZA"),
    ("PIN-050", "Recubrimiento", "M2"),
    ("EMB-060", "Embarcación de apoyo", "JOR"),
    ("MOV-070", "Movilización", "SER"),
]

ANEXOS_DEMO = 5
# OTs whose anexo comes with programmed daily volumes (the rest have none: it is bulky).
PROGRAMADOS_DEMO = 100
CONTRATO = (
    "640857800",
    "Servicios de buceo, inspección y mantenimiento a instalaciones costa afuera",
)
# Anexo → (sections, each with its concepts' words); C-10 holds extraordinary ones (PUE).
ANEXOS = {
    "C": ["Movilización", "Embarcaciones", "Personal"],
    "C-2": ["Buceo con aire", "Buceo de saturación"],
    "C-3": ["Inspección", "Limpieza"],
    "C-4": ["Tubos", "Estructuras"],
    "C-4-1": ["Tubos", "Estructuras"],
    "C-5": ["Soldadura", "Recubrimientos", "Ánodos"],
    "C-5-1": ["Soldadura", "Recubrimientos"],
    "C-6": ["Equipos", "Materiales"],
    "C-10": ["Precios unitarios extraordinarios"],
}
TRABAJOS = [
    "Inspección visual",
    "Limpieza con chorro de agua",
    "Medición de espesores",
    "Video-inspección",
    "Instalación de abrazadera",
    "Retiro de recubrimiento",
    "Aplicación de recubrimiento",
    "Soldadura hiperbárica",
    "Colocación de ánodo",
    "Tendido de línea",
]
OBJETOS = [
    "ducto de 8 pulgadas",
    "ducto de 12 pulgadas",
    "ducto de 36 pulgadas",
    "riser",
    "junta",
    "soporte",
    "plataforma",
]
UNIDADES_PRECIO = ["DIA", "HOM/DIA", "H-H", "JORNADA", "M", "M2", "PZA", "KG", "SERVICIO"]


def _get(model: Any, **lookup: Any) -> Any:
    return model.objects.get_or_create(**lookup)[0]


class Command(BaseCommand):
    help = "Load catalogs and realistic demo data (PTEs, OTs, production) in bulk."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--ptes", type=int, default=60)
        parser.add_argument("--ots", type=int, default=None, help="default: half the PTEs")
        parser.add_argument("--produccion", type=int, default=1500)
        parser.add_argument(
            "--conceptos", type=int, default=40, help="price-book concepts per anexo"
        )
        parser.add_argument("--semilla", type=int, default=2026)
        parser.add_argument(
            "--si-vacio", action="store_true", help="do nothing if there are PTEs already"
        )

    def handle(
        self,
        *args: Any,
        ptes: int,
        ots: int | None,
        produccion: int,
        conceptos: int,
        semilla: int,
        si_vacio: bool,
        **options: Any,
    ) -> None:
        if si_vacio and PTE.all_objects.exists():
            self.stdout.write("Demo data already present; nothing loaded.")
            return
        rng = random.Random(semilla)
        started = time.monotonic()
        cat = self._catalogos()
        ots = ptes // 2 if ots is None else ots
        pte_ids = self._ptes(rng, cat, ptes, con_ot=ots)
        ot_ids = self._ots(rng, cat, pte_ids, ots)
        precios = self._precios(rng, pte_ids, conceptos)
        # Enough OTs with an anexo to carry the production (about 120 rows each).
        anexos = self._anexos(rng, ot_ids[: max(ANEXOS_DEMO, -(-produccion // 120))])
        rows = self._produccion(rng, ot_ids, produccion)
        ciclo = cargar_guardias(cat["sitios"], datetime.date.today())
        for model in (PTE, OT, Produccion, Concepto, AnexoOT):  # bulk inserts send no signals
            announce_change(model)
        self.stdout.write(
            f"Demo: {len(pte_ids)} PTEs, {len(ot_ids)} OTs, {rows} production rows, "
            f"{precios} price-book concepts, {anexos} OT anexos "
            f"in {time.monotonic() - started:.1f} s"
        )
        if ciclo is not None:
            self.stdout.write(
                f"Guard cycle at {ciclo.sitio}: /produccion/sitios/?sitio={ciclo.sitio_id}"
            )

    @transaction.atomic
    def _catalogos(self) -> dict[str, Any]:
        tipos_cliente = [
            _get(Tipo, descripcion=d, aplica_a=Tipo.AplicaA.CLIENTE) for d in TIPOS_CLIENTE
        ]
        clientes = [
            Cliente.objects.get_or_create(descripcion=d, defaults={"tipo": tipos_cliente[t]})[0]
            for d, t in CLIENTES
        ]
        for tipo in tipos_cliente:
            for orden, descripcion in enumerate(PASOS, start=1):
                Paso.objects.get_or_create(
                    tipo_cliente=tipo, orden=orden, defaults={"descripcion": descripcion}
                )
        for orden, descripcion in enumerate(PASOS_OT, start=1):
            PasoOt.objects.get_or_create(orden=orden, defaults={"descripcion": descripcion})
        sitios = []
        for frente_nombre, nombres in FRENTES.items():
            frente = _get(Frente, descripcion=frente_nombre)
            sitios += [_get(Sitio, descripcion=n, frente=frente) for n in nombres]
        unidades = {
            clave: UnidadMedida.objects.get_or_create(clave=clave, defaults={"descripcion": d})[0]
            for clave, d in UNIDADES
        }
        partidas = [
            Partida.objects.get_or_create(
                clave=clave, defaults={"descripcion": d, "unidad": unidades[u]}
            )[0]
            for clave, d, u in PARTIDAS
        ]
        return {
            "clientes": clientes,
            "tipos_pte": [_get(Tipo, descripcion=d, aplica_a=Tipo.AplicaA.PTE) for d in TIPOS_PTE],
            "responsables": [_get(ResponsableProyecto, nombre=n) for n in RESPONSABLES],
            "pasos": {
                t.pk: list(Paso.objects.filter(tipo_cliente=t, activo=True)) for t in tipos_cliente
            },
            "pasos_ot": list(PasoOt.objects.filter(activo=True)),
            "sitios": sitios,
            "partidas": partidas,
        }

    def _ptes(self, rng: random.Random, cat: dict[str, Any], count: int, con_ot: int) -> list[int]:
        """`count` PTEs; the first `con_ot` are delivered with every step completed, as an
        OT may follow a PTE only then (`_ots` gives them theirs)."""
        today = datetime.date.today()
        start_id = PTE.all_objects.order_by("-id").values_list("id", flat=True).first() or 0
        ids: list[int] = []
        for offset in range(0, count, BATCH):
            batch = []
            for n in range(offset, min(count, offset + BATCH)):
                numero = start_id + n + 1
                cliente = rng.choice(cat["clientes"])
                estatus = (
                    EstatusPTE.ENTREGADA
                    if n < con_ot
                    else rng.choices(list(EstatusPTE), weights=[3, 4, 6, 1, 1])[0]
                )
                solicitud = today - datetime.timedelta(days=rng.randint(0, 1500))
                batch.append(
                    PTE(
                        oficio_pte=f"PTE-{solicitud.year}-{numero:06d}",
                        oficio_solicitud=f"SOL-{numero:06d}",
                        descripcion_trabajo=f"{rng.choice(TIPOS_PTE)} en {rng.choice(cat['sitios'])}",
                        fecha_solicitud=solicitud,
                        fecha_entrega=solicitud + datetime.timedelta(days=rng.randint(5, 40))
                        if estatus == EstatusPTE.ENTREGADA
                        else None,
                        plazo_dias=rng.randint(5, 60),
                        responsable_proyecto=rng.choice(cat["responsables"]),
                        cliente=cliente,
                        tipo=rng.choice(cat["tipos_pte"]),
                        prioridad=rng.choices(list(PTE.Prioridad), weights=[3, 5, 3, 1])[0],
                        total_homologado=Decimal(rng.randint(50_000, 25_000_000)) / 100,
                        estatus=estatus,
                    )
                )
            with transaction.atomic():
                created = PTE.objects.bulk_create(batch)
                detalles = []
                for pte in created:
                    hechos = (
                        len(cat["pasos"][pte.cliente.tipo_id])
                        if pte.estatus == 3
                        else rng.randint(0, 4)
                    )
                    for i, paso in enumerate(cat["pasos"][pte.cliente.tipo_id]):
                        done = i < hechos
                        detalles.append(
                            PTEDetalle(
                                pte=pte,
                                paso=paso,
                                estatus=EstatusPaso.COMPLETADO if done else EstatusPaso.PENDIENTE,
                                fecha_entrega=pte.fecha_solicitud + datetime.timedelta(days=i)
                                if done
                                else None,
                            )
                        )
                PTEDetalle.objects.bulk_create(detalles, batch_size=BATCH)
            ids += [p.pk for p in created]
        return ids

    def _ots(
        self, rng: random.Random, cat: dict[str, Any], pte_ids: list[int], count: int
    ) -> list[int]:
        ids: list[int] = []
        hoy = datetime.date.today()
        ptes = list(
            PTE.objects.filter(pk__in=pte_ids[:count]).only(
                "id",
                "cliente_id",
                "responsable_proyecto_id",
                "descripcion_trabajo",
                "fecha_solicitud",
            )
        )
        start_id = OT.all_objects.order_by("-id").values_list("id", flat=True).first() or 0
        for offset in range(0, len(ptes), BATCH):
            batch = []
            for n, pte in enumerate(ptes[offset : offset + BATCH], start=offset):
                sitio = rng.choice(cat["sitios"])
                inicio = pte.fecha_solicitud + datetime.timedelta(days=rng.randint(20, 90))
                termino = inicio + datetime.timedelta(days=rng.randint(10, 120))
                estatus = rng.choices(list(EstatusOT), weights=[2, 1, 1, 5, 1, 4, 1, 1])[0]
                batch.append(
                    OT(
                        pte=pte,
                        orden_trabajo=f"OT-{start_id + n + 1:06d}",
                        oficio_ot=f"OF-OT-{start_id + n + 1:06d}",
                        descripcion_trabajo=pte.descripcion_trabajo,
                        responsable_proyecto_id=pte.responsable_proyecto_id,
                        responsable_cliente="Ing. Supervisor PEP",
                        cliente_id=pte.cliente_id,
                        frente_id=sitio.frente_id,
                        sitio=sitio,
                        estatus=estatus,
                        fecha_inicio_programado=inicio,
                        fecha_termino_programado=termino,
                        fecha_inicio_real=inicio if estatus in INICIADAS else None,
                        fecha_termino_real=min(
                            termino + datetime.timedelta(days=rng.randint(-5, 15)), hoy
                        )
                        if estatus == EstatusOT.TERMINADA
                        else None,
                        monto_mxn=Decimal(rng.randint(100_000, 90_000_000)) / 100,
                        monto_usd=Decimal(rng.randint(0, 5_000_000)) / 100,
                        plazo_dias=rng.randint(10, 120),
                    )
                )
            with transaction.atomic():
                created = OT.objects.bulk_create(batch)
                OTDetalle.objects.bulk_create(
                    [OTDetalle(ot=ot, paso=paso) for ot in created for paso in cat["pasos_ot"]],
                    batch_size=BATCH,
                )
            ids += [ot.pk for ot in created]
        return ids

    def _produccion(self, rng: random.Random, ot_ids: list[int], count: int) -> int:
        """`count` rows on the lines of the OTs' active anexos, the most recent days first
        (so this month's sheet has figures), each day a share of the line's volume: lines
        worked long enough go beyond it and carry excedentes (computed at the end)."""
        if not ot_ids or count <= 0:
            return 0
        hoy = datetime.date.today()
        lineas: dict[int, list[tuple[int, Decimal]]] = {}
        for linea_id, ot_id, volumen in PartidaAnexoOT.objects.filter(
            anexo_ot__ot_id__in=ot_ids, anexo_ot__activo=True
        ).values_list("pk", "anexo_ot__ot_id", "volumen"):
            lineas.setdefault(ot_id, []).append((linea_id, volumen))
        if not lineas:
            raise CommandError("No OT has an anexo to report production on.")
        sitios = dict(OT.objects.filter(pk__in=lineas).values_list("id", "sitio_id"))
        per_ot = -(-count // len(lineas))
        made = 0
        batch: list[Produccion] = []
        for ot_id, suyas in lineas.items():
            for k in range(per_ot):
                if made >= count:
                    break
                # (day, line) pairs never repeat for one OT: unique by construction. Every
                # other day back from today (this month and the last ones); past two years
                # the same days come back as CMA.
                dia, resto = divmod(k, len(suyas))
                if dia >= 730:
                    raise CommandError("Too much production for so few OTs; ask for more --ots.")
                linea_id, volumen = suyas[resto]
                diario = volumen * Decimal(rng.randint(30, 120)) / 1000
                batch.append(
                    Produccion(
                        ot_id=ot_id,
                        partida_anexo_id=linea_id,
                        sitio_id=sitios[ot_id],
                        fecha_produccion=hoy - datetime.timedelta(days=dia % 365 * 2),
                        tipo_tiempo=Produccion.TipoTiempo.TE
                        if dia < 365
                        else Produccion.TipoTiempo.CMA,
                        volumen_produccion=max(diario.quantize(Decimal("0.01")), Decimal("0.01")),
                        estatus_cobro=rng.choice(list(EstatusCobro)),
                    )
                )
                made += 1
                if len(batch) >= BATCH:
                    Produccion.objects.bulk_create(batch)
                    batch = []
        if batch:
            Produccion.objects.bulk_create(batch)
        # The excedentes and the lines' totals, a few hundred OTs at a time (each demo OT
        # is a family of its own).
        ots = list(lineas)
        for inicio in range(0, len(ots), 500):
            parte = set(ots[inicio : inicio + 500])
            excedentes.recalcular(
                PartidaAnexoOT.objects.filter(anexo_ot__ot_id__in=parte)
                .values_list("anexo_ot__ot_id", "concepto_id")
                .distinct()
            )
        return made

    @transaction.atomic
    def _precios(self, rng: random.Random, pte_ids: list[int], por_anexo: int) -> int:
        """The contract's price book: sections of concepts in several anexos, the same keys
        in C-4 and C-4-1 (and C-5 and C-5-1), and PUEs drawn up for PTEs, some authorised.
        Loaded once: a contract that has concepts already is left as it is."""
        numero, descripcion = CONTRATO
        contrato = Contrato.objects.get_or_create(
            numero=numero, defaults={"descripcion": descripcion}
        )[0]
        if por_anexo <= 0 or Concepto.objects.filter(anexo__contrato=contrato).exists():
            return 0
        nuevos = []
        for clave, secciones in ANEXOS.items():
            anexo = Anexo.objects.get_or_create(
                contrato=contrato, clave=clave, defaults={"descripcion": f"Anexo {clave}"}
            )[0]
            pue = clave == "C-10"
            for n in range(por_anexo):
                numero_seccion, resto = divmod(n, -(-por_anexo // len(secciones)))
                partida = f"PUE-{n + 1}" if pue else f"{numero_seccion + 1}.{resto + 1}"
                origen = rng.choice(pte_ids) if pue and pte_ids else None
                nuevos.append(
                    Concepto(
                        anexo=anexo,
                        partida=partida,
                        orden=orden_de_partida(partida),
                        concepto=f"{rng.choice(TRABAJOS)} de {rng.choice(OBJETOS)}",
                        unidad=rng.choice(UNIDADES_PRECIO),
                        pu_mn=Decimal(rng.randint(10_000, 50_000_000)) / 100,
                        pu_usd=Decimal(rng.randint(0, 500_000)) / 100
                        if rng.random() < 0.4
                        else Decimal("0"),
                        cantidad_referencia=Decimal(rng.randint(1, 5000))
                        if rng.random() < 0.7
                        else None,
                        seccion=secciones[min(numero_seccion, len(secciones) - 1)],
                        tipo=Concepto.Tipo.EXTRAORDINARIA if pue else Concepto.Tipo.ORDINARIA,
                        estatus=Concepto.Estatus.EN_ELABORACION
                        if pue and n % 3
                        else Concepto.Estatus.AUTORIZADO,
                        pte_id=origen,
                    )
                )
        Concepto.objects.bulk_create(nuevos, batch_size=BATCH)
        return len(nuevos)

    @transaction.atomic
    def _anexos(self, rng: random.Random, ot_ids: list[int]) -> int:
        """The exchange rate the old system hard-coded, and an anexo (version 1, 6 to 14
        concepts of the price book) for these OTs; the first ones get programmed volumes
        for every working day of this month and the last."""
        TipoCambio.objects.get_or_create(
            fecha=datetime.date(2020, 1, 1), defaults={"valor": Decimal("19.1648")}
        )
        conceptos = list(
            Concepto.objects.filter(estatus=Concepto.Estatus.AUTORIZADO).order_by("id")[:400]
        )
        con_anexo = set(AnexoOT.objects.values_list("ot_id", flat=True))
        elegidas = [ot_id for ot_id in ot_ids if ot_id not in con_anexo]
        if not conceptos or not elegidas:
            return 0
        anexos = AnexoOT.objects.bulk_create(
            [AnexoOT(ot_id=ot_id, version=1, nombre_archivo="demo.xlsx") for ot_id in elegidas],
            batch_size=BATCH,
        )
        lineas = []
        for anexo in anexos:
            cuantas = min(rng.randint(6, 14), len(conceptos))
            # In book order, as an anexo workbook lists them.
            elegidos = sorted(rng.sample(conceptos, cuantas), key=lambda c: (c.anexo_id, c.orden))
            for orden, concepto in enumerate(elegidos, 1):
                lineas.append(
                    PartidaAnexoOT(
                        anexo_ot=anexo,
                        concepto=concepto,
                        volumen=Decimal(rng.randint(5, 400)),
                        pu_mn=concepto.pu_mn,
                        pu_usd=concepto.pu_usd,
                        orden=orden,
                    )
                )
        PartidaAnexoOT.objects.bulk_create(lineas, batch_size=BATCH)
        # Each version keeps its totals, as the anexo import writes them.
        por_anexo: dict[int, list[tuple[Decimal, Decimal, Decimal]]] = {}
        for linea in lineas:
            por_anexo.setdefault(linea.anexo_ot_id, []).append(
                (linea.volumen, linea.pu_mn, linea.pu_usd)
            )
        for anexo in anexos:
            anexo.importe_mn, anexo.importe_usd = totales_de_lineas(por_anexo.get(anexo.pk, []))
        AnexoOT.objects.bulk_update(anexos, ["importe_mn", "importe_usd"], batch_size=BATCH)
        hoy = datetime.date.today()
        inicio = (hoy.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
        laborables = [
            dia
            for dia in (inicio + datetime.timedelta(days=n) for n in range(62))
            if dia.weekday() < 6 and dia.month in (inicio.month, hoy.month)
        ]
        programadas = {a.pk for a in anexos[:PROGRAMADOS_DEMO]}
        ProgramaDiario.objects.bulk_create(
            [
                ProgramaDiario(
                    partida=linea,
                    fecha=dia,
                    volumen=(linea.volumen / 20).quantize(Decimal("0.0001")),
                )
                for linea in lineas
                if linea.anexo_ot_id in programadas
                for dia in laborables
            ],
            batch_size=BATCH,
        )
        return len(anexos)
