"""Importing the client's register of OTs (see `registro_ots` for its columns).

Unlike the price book (all or nothing: half a book misprices everything), a register goes
in row by row: each OT in its own savepoint, a row that cannot be taken is refused with its
reasons and the rest go in. Rows are matched to stored OTs by (orden de trabajo, número de
reprogramación): the same register twice creates nothing, a changed row is an update with
its activity log. Principals are stored before their re-programmings, whatever the rows'
order. The old system's catalog ids map to entries by `clave_anterior`; an id with no entry
gets a placeholder ("Embarcación 9 (por nombrar)") that the next import maps to as well.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import IO, Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext, gettext_lazy, ngettext, npgettext

from sascop.accounts.models import User
from sascop.actividad import services as actividad
from sascop.catalogos.estatus import EstatusOT
from sascop.catalogos.models import Cliente, Frente, ResponsableProyecto, Sitio, Tipo
from sascop.core.db.queries import sin_la_base_de_datos
from sascop.core.errors import ApplicationError, InvalidInput
from sascop.ots import services as ots
from sascop.ots.models import OT
from sascop.precios import libro as lectura
from sascop.precios import registro_ots, textos
from sascop.precios.avance import Avance
from sascop.precios.services import libro_rechazado
from sascop.ptes.models import PTE


class RegistroInvalido(ApplicationError):
    """The workbook is not a register of OTs (no header, no rows): nothing was read."""

    status = 422
    code = "invalid_workbook"
    error = "Invalid workbook"
    detail = gettext_lazy("The file is not a register of OTs; nothing was imported.")


@dataclass
class Rechazada:
    fila: int
    orden_trabajo: str
    errores: list[str]


@dataclass
class Advertencia:
    fila: int
    orden_trabajo: str
    columna: str
    mensaje: str


@dataclass
class CatalogoCreado:
    catalogo: str
    clave_anterior: int
    nombre: str


@dataclass
class ResultadoRegistro:
    creadas: int = 0
    actualizadas: int = 0
    sin_cambios: int = 0
    rechazadas: list[Rechazada] = field(default_factory=list)
    advertencias: list[Advertencia] = field(default_factory=list)
    catalogos_creados: list[CatalogoCreado] = field(default_factory=list)
    simulada: bool = False


# Placeholder names: "Embarcación 9 (por nombrar)".
_ETIQUETAS = {
    "frente": "Frente",
    "embarcacion": "Embarcación",
    "plataforma": "Plataforma",
    "intercom": "Intercom",
    "patio": "Patio",
    "responsable_proyecto": "Responsable de proyecto",
    "cliente": "Cliente",
}
_NOMBRES_DE_CATALOGO = {
    "frente": "frentes",
    "embarcacion": "sitios",
    "plataforma": "sitios",
    "intercom": "sitios",
    "patio": "sitios",
    "responsable_proyecto": "responsables",
    "cliente": "clientes",
}
TIPO_POR_CLASIFICAR = "Por clasificar"


class _Catalogos:
    """Old ids → entries, looked up once per id; placeholders made for unknown ids."""

    def __init__(self, usuario: User | None, resultado: ResultadoRegistro) -> None:
        self.usuario = usuario
        self.resultado = resultado
        self.vistos: dict[tuple[str, int], int] = {}

    def id_de(self, catalogo: str, clave: int) -> int:
        if (catalogo, clave) not in self.vistos:
            self.vistos[(catalogo, clave)] = self._buscar(catalogo, clave) or self._crear(
                catalogo, clave
            )
        return self.vistos[(catalogo, clave)]

    def _buscar(self, catalogo: str, clave: int) -> int | None:
        if catalogo == "frente":
            consulta: Any = Frente.objects.filter(clave_anterior=clave)
        elif catalogo == "responsable_proyecto":
            consulta = ResponsableProyecto.objects.filter(clave_anterior=clave)
        elif catalogo == "cliente":
            consulta = Cliente.objects.filter(clave_anterior=clave)
        else:
            consulta = Sitio.objects.filter(tipo=catalogo, clave_anterior=clave)
        pk: int | None = consulta.order_by("pk").values_list("pk", flat=True).first()
        return pk

    def _crear(self, catalogo: str, clave: int) -> int:
        nombre = f"{_ETIQUETAS[catalogo]} {clave} (por nombrar)"
        entrada: Any
        if catalogo == "frente":
            entrada = Frente(descripcion=nombre, clave_anterior=clave)
        elif catalogo == "responsable_proyecto":
            entrada = ResponsableProyecto(nombre=nombre, clave_anterior=clave)
        elif catalogo == "cliente":
            entrada = Cliente(descripcion=nombre, clave_anterior=clave, tipo=self._tipo_cliente())
        else:
            entrada = Sitio(descripcion=nombre, tipo=catalogo, clave_anterior=clave)
        try:
            with transaction.atomic():
                entrada.save()
        except IntegrityError:
            # An entry of that name, whose old id was cleared: it is the one.
            modelo = type(entrada)
            campo = "nombre" if catalogo == "responsable_proyecto" else "descripcion"
            existente = modelo.objects.get(**{campo: nombre})
            modelo.objects.filter(pk=existente.pk).update(clave_anterior=clave)
            return int(existente.pk)
        actividad.registrar_creaciones(usuario=self.usuario, instancias=[entrada])
        self.resultado.catalogos_creados.append(
            CatalogoCreado(_NOMBRES_DE_CATALOGO[catalogo], clave, nombre)
        )
        return int(entrada.pk)

    def _tipo_cliente(self) -> Tipo:
        tipo = Tipo.objects.filter(
            aplica_a=Tipo.AplicaA.CLIENTE, descripcion=TIPO_POR_CLASIFICAR
        ).first()
        if tipo is None:
            tipo = Tipo.objects.create(
                aplica_a=Tipo.AplicaA.CLIENTE, descripcion=TIPO_POR_CLASIFICAR
            )
            actividad.registrar_creaciones(usuario=self.usuario, instancias=[tipo])
        return tipo


def _mensajes(exc: ApplicationError) -> list[str]:
    if isinstance(exc, InvalidInput) and exc.fields:
        return [f"{campo}: {m}" for campo, mensajes in exc.fields.items() for m in mensajes]
    return [str(exc.detail)]


def _oficio_ajeno(oficio: str, existente: OT | None, principal_id: int | None) -> str | None:
    """The orden de trabajo of another OT family that has `oficio`, if any (an oficio names
    one family: an OT and its re-programmings)."""
    if not oficio:
        return None
    otras = OT.objects.filter(oficio_ot=oficio)
    familia = principal_id or (existente.pk if existente is not None else None)
    if familia is not None:
        otras = otras.exclude(pk=familia).exclude(ot_principal_id=familia)
    ajena = otras.order_by("id").first()
    return str(ajena) if ajena is not None else None


def ots_importar(
    *,
    usuario: User | None,
    archivo: IO[bytes],
    simular: bool = False,
    avance: Avance | None = None,
) -> ResultadoRegistro:
    """Import the register of OTs in `archivo` (see the module's docstring). `simular`:
    the same answer, nothing stored; `avance`: counts the rows as they are read (an import
    run as a task). A file that is not a workbook is a 400, a workbook that is not a
    register (no header row naming orden_trabajo, no rows) a 422."""
    codigos = {int(c) for c in EstatusOT.values}
    try:
        with sin_la_base_de_datos():
            registro = registro_ots.leer_registro(archivo, codigos, avance)
    except lectura.LibroIlegible as exc:
        raise libro_rechazado(exc) from exc
    if registro.errores:
        raise RegistroInvalido(" ".join(registro.errores))
    return _guardar(usuario=usuario, registro=registro, simular=simular)


@transaction.atomic
def _guardar(
    *, usuario: User | None, registro: registro_ots.Registro, simular: bool
) -> ResultadoRegistro:
    resultado = ResultadoRegistro(simulada=simular)
    catalogos = _Catalogos(usuario, resultado)
    filas = registro.filas
    ordenes = {f.orden_trabajo for f in filas} | {f.ot_principal for f in filas if f.ot_principal}
    guardadas = {
        (ot.orden_trabajo, ot.num_reprogramacion): ot
        for ot in OT.objects.filter(orden_trabajo__in=ordenes)
    }
    ptes = dict(
        PTE.objects.filter(oficio_pte__in={f.pte for f in filas if f.pte}).values_list(
            "oficio_pte", "id"
        )
    )
    # The principal OT each PTE already has (one per PTE).
    con_ot = dict(
        OT.objects.filter(pte_id__in=ptes.values(), ot_principal__isnull=True).values_list(
            "pte_id", "id"
        )
    )
    vistas: dict[tuple[str, int], int] = {}
    # Rows refused so far, by (orden, reprogramación): their re-programmings say why.
    rechazadas: dict[tuple[str, int], int] = {}
    # Principals first, then re-programmings in their order: each finds its principal.
    for fila in sorted(filas, key=lambda f: (f.num_reprogramacion, f.fila)):
        resultado.advertencias += [
            Advertencia(fila.fila, fila.orden_trabajo, columna, mensaje)
            for columna, mensaje in fila.advertencias
        ]
        errores = list(fila.errores)
        repetida = vistas.get(fila.clave)
        if repetida is not None and not errores:
            if fila.num_reprogramacion:
                repite = gettext("OT %(ot)s (re-programming %(n)s) is already in row %(row)s.") % {
                    "ot": fila.orden_trabajo,
                    "n": fila.num_reprogramacion,
                    "row": repetida,
                }
            else:
                repite = gettext("OT %(ot)s is already in row %(row)s.") % {
                    "ot": fila.orden_trabajo,
                    "row": repetida,
                }
            errores.append(repite)
        if errores:
            resultado.rechazadas.append(Rechazada(fila.fila, fila.orden_trabajo, errores))
            rechazadas.setdefault(fila.clave, fila.fila)
            continue
        vistas[fila.clave] = fila.fila
        datos = dict(fila.datos)
        datos["orden_trabajo"] = fila.orden_trabajo
        datos["num_reprogramacion"] = fila.num_reprogramacion
        if fila.num_reprogramacion:
            principal = guardadas.get((fila.ot_principal, 0))
            if principal is None:
                rechazada = rechazadas.get((fila.ot_principal, 0))
                if rechazada is not None:
                    motivo = gettext(
                        "The principal OT %(ot)s of this re-programming could not be imported "
                        "(row %(row)s)."
                    ) % {"ot": fila.ot_principal, "row": rechazada}
                else:
                    motivo = gettext(
                        "The principal OT %(ot)s of this re-programming is neither in the "
                        "register nor in the system."
                    ) % {"ot": fila.ot_principal}
                resultado.rechazadas.append(Rechazada(fila.fila, fila.orden_trabajo, [motivo]))
                rechazadas.setdefault(fila.clave, fila.fila)
                continue
            datos["ot_principal_id"] = principal.pk
        else:
            datos["ot_principal_id"] = None
        existente = guardadas.get(fila.clave)
        pte_id = ptes.get(fila.pte) if fila.pte else None
        if pte_id is not None and not fila.num_reprogramacion:
            otra = con_ot.get(pte_id)
            if otra is not None and (existente is None or otra != existente.pk):
                resultado.advertencias.append(
                    Advertencia(
                        fila.fila,
                        fila.orden_trabajo,
                        "id_pte_header_id",
                        gettext(
                            "Row %(row)s: PTE %(pte)s already has another OT; its oficio was "
                            "saved as text, without linking it."
                        )
                        % {"row": fila.fila, "pte": fila.pte},
                    )
                )
                pte_id = None
        datos["pte_id"] = pte_id
        datos["referencia_pte"] = fila.pte if pte_id is None else ""
        ajena = _oficio_ajeno(datos["oficio_ot"], existente, datos["ot_principal_id"])
        if ajena is not None:
            resultado.rechazadas.append(
                Rechazada(
                    fila.fila,
                    fila.orden_trabajo,
                    [
                        gettext("The oficio «%(oficio)s» already belongs to OT %(ot)s.")
                        % {"oficio": datos["oficio_ot"], "ot": ajena}
                    ],
                )
            )
            rechazadas.setdefault(fila.clave, fila.fila)
            continue
        for catalogo, clave in fila.catalogos.items():
            datos[f"{catalogo}_id"] = catalogos.id_de(catalogo, clave) if clave else None
        try:
            with transaction.atomic():
                hecho = ots.ot_importada_guardar(usuario=usuario, existente=existente, datos=datos)
        except ApplicationError as exc:
            resultado.rechazadas.append(Rechazada(fila.fila, fila.orden_trabajo, _mensajes(exc)))
            rechazadas.setdefault(fila.clave, fila.fila)
            continue
        except IntegrityError:
            resultado.rechazadas.append(
                Rechazada(
                    fila.fila,
                    fila.orden_trabajo,
                    [gettext("Another OT took the same order, PTE or oficio meanwhile.")],
                )
            )
            continue
        if hecho == "creada":
            resultado.creadas += 1
            guardadas[fila.clave] = OT.objects.get(
                orden_trabajo=fila.orden_trabajo, num_reprogramacion=fila.num_reprogramacion
            )
        elif hecho == "actualizada":
            resultado.actualizadas += 1
        else:
            resultado.sin_cambios += 1
        if pte_id is not None and not fila.num_reprogramacion:
            con_ot[pte_id] = guardadas[fila.clave].pk
    resultado.rechazadas.sort(key=lambda r: r.fila)
    resultado.advertencias.sort(key=lambda a: a.fila)
    if simular:
        transaction.set_rollback(True)
    return resultado


def resumen_registro(resultado: ResultadoRegistro) -> str:
    """What a register import did (or would do), in Spanish."""
    creadas, actualizadas = resultado.creadas, resultado.actualizadas
    partes = [
        ngettext("%(n)d new OT", "%(n)d new OTs", creadas) % {"n": creadas},
        npgettext("OT", "%(n)d updated", "%(n)d updated", actualizadas) % {"n": actualizadas},
        ngettext("%(n)d unchanged", "%(n)d unchanged", resultado.sin_cambios)
        % {"n": resultado.sin_cambios},
    ]
    frases = [f"{textos.enumeracion(partes)}."]
    if resultado.rechazadas:
        n = len(resultado.rechazadas)
        frases.append(
            ngettext("%(n)d row could not be imported.", "%(n)d rows could not be imported.", n)
            % {"n": n}
        )
    if resultado.advertencias:
        n = len(resultado.advertencias)
        frases.append(ngettext("%(n)d warning.", "%(n)d warnings.", n) % {"n": n})
    if resultado.catalogos_creados:
        n = len(resultado.catalogos_creados)
        frases.append(
            ngettext(
                "%(n)d catalog entry to be named was created.",
                "%(n)d catalog entries to be named were created.",
                n,
            )
            % {"n": n}
        )
    if resultado.simulada:
        frases.insert(0, gettext("Preview: nothing was saved."))
    return " ".join(frases)
