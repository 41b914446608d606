"""Price-book writes: importing the client's workbook, PUE concepts and their authorisation.

An import is all-or-nothing: the workbook is read first (outside any transaction); if any
row or sheet cannot be read, or a row would not make a valid concept, nothing is stored
and the error lists every such row. Importing the same book again changes nothing; a
changed price is an update of that concept, logged field by field.
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import IO, Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy, ngettext, npgettext

from sascop.accounts.models import User
from sascop.actividad import services as actividad
from sascop.core.api.etags import exigir_version
from sascop.core.api.validation import validated
from sascop.core.db.queries import Latido, bloquear_o_404, sin_la_base_de_datos
from sascop.core.errors import ApplicationError, Conflict, InvalidInput, NotFound
from sascop.core.signals import announce_change
from sascop.ots.models import OT
from sascop.precios import libro as lectura
from sascop.precios import textos
from sascop.precios.avance import Avance
from sascop.precios.models import (
    ANEXO_SIN_CLAVE,
    Anexo,
    AnexoOT,
    ArchivoImportacion,
    Concepto,
    Contrato,
    ImportacionAnexoFallida,
    PartidaAnexoOT,
    ProgramaDiario,
    huella_concepto,
    totales_de_lineas,
)
from sascop.ptes.models import PTE

CONTRATO_PREDETERMINADO = "principal"
LOTE = 1000


class LibroInvalido(ApplicationError):
    """The workbook was refused; `filas` says where and why. Nothing was stored."""

    status = 422
    code = "invalid_workbook"
    error = "Invalid workbook"
    detail = gettext_lazy("Some rows of the workbook could not be read; nothing was imported.")


class LibroIlegible(LibroInvalido):
    status = 400
    detail = gettext_lazy("The file is not a readable .xlsx workbook.")


class LibroExcesivo(LibroIlegible):
    """A workbook beyond the bounds the service reads (precios.paquete): refused before or
    while it is read, in a second or two, whatever it holds."""

    status = 413
    code = "workbook_too_large"
    error = "Workbook too large"


def libro_rechazado(exc: lectura.LibroIlegible) -> LibroIlegible:
    """The API's error for a file the reader refused (its reason as detail)."""
    if isinstance(exc, lectura.LibroExcesivo):
        return LibroExcesivo(str(exc), filas=[])
    return LibroIlegible(str(exc), filas=[])


@dataclass
class ResumenAnexo:
    anexo: str
    hojas: list[str] = field(default_factory=list)
    creados: int = 0
    actualizados: int = 0
    sin_cambios: int = 0


@dataclass
class ResumenPropuestas:
    """The PUE list's proposals not keyed yet; `repetidas`: rows the list holds twice
    (same description, unit and PTE), stored once."""

    creadas: int = 0
    actualizadas: int = 0
    sin_cambios: int = 0
    repetidas: int = 0


@dataclass(frozen=True)
class CambioPrecio:
    anexo: str
    partida: str
    concepto: str
    campo: str
    antes: Decimal
    despues: Decimal


@dataclass
class Importacion:
    """What an import did (or, `simulada`, would do), anexo by anexo."""

    contrato: str
    anexos: dict[str, ResumenAnexo] = field(default_factory=dict)
    hojas_vacias: list[str] = field(default_factory=list)
    hojas_resumen: list[str] = field(default_factory=list)
    lista_pue: bool = False
    propuestas: ResumenPropuestas = field(default_factory=ResumenPropuestas)
    cambios_de_precio: list[CambioPrecio] = field(default_factory=list)
    # Oficios and órdenes the PUE list names that no PTE / OT has: kept as text.
    ptes_sin_registro: list[str] = field(default_factory=list)
    ots_sin_registro: list[str] = field(default_factory=list)
    simulada: bool = False

    def total(self, nombre: str) -> int:
        return sum(getattr(resumen, nombre) for resumen in self.anexos.values())


def resumen_importacion(resultado: Importacion) -> str:
    """What an import did (or would do), in one Spanish paragraph."""
    creados, actualizados, sin_cambios = (
        resultado.total(n) for n in ("creados", "actualizados", "sin_cambios")
    )
    partes = [
        ngettext("%(n)d new concept", "%(n)d new concepts", creados) % {"n": creados},
        ngettext("%(n)d updated", "%(n)d updated", actualizados) % {"n": actualizados},
        ngettext("%(n)d unchanged", "%(n)d unchanged", sin_cambios) % {"n": sin_cambios},
    ]
    frases = [
        gettext("Contract %(contract)s: %(parts)s.")
        % {"contract": resultado.contrato, "parts": textos.enumeracion(partes)}
    ]
    p = resultado.propuestas
    if p.creadas or p.actualizadas or p.sin_cambios:
        propuestas = [
            npgettext("proposal", "%(n)d new", "%(n)d new", p.creadas) % {"n": p.creadas},
            npgettext("proposal", "%(n)d updated", "%(n)d updated", p.actualizadas)
            % {"n": p.actualizadas},
            ngettext("%(n)d unchanged", "%(n)d unchanged", p.sin_cambios) % {"n": p.sin_cambios},
        ]
        frases.append(
            gettext("PUE proposals without a key: %(parts)s.")
            % {"parts": textos.enumeracion(propuestas)}
        )
    if p.repetidas:
        frases.append(
            ngettext(
                "%(n)d row repeated another proposal and was saved only once.",
                "%(n)d rows repeated other proposals and were saved only once.",
                p.repetidas,
            )
            % {"n": p.repetidas}
        )
    if resultado.ptes_sin_registro:
        n = len(resultado.ptes_sin_registro)
        frases.append(
            ngettext(
                "%(n)d PTE named is not registered; its oficio was saved as text.",
                "%(n)d PTEs named are not registered; their oficios were saved as text.",
                n,
            )
            % {"n": n}
        )
    if resultado.ots_sin_registro:
        n = len(resultado.ots_sin_registro)
        frases.append(
            ngettext(
                "%(n)d OT named is not registered; its order was saved as text.",
                "%(n)d OTs named are not registered; their orders were saved as text.",
                n,
            )
            % {"n": n}
        )
    if resultado.hojas_resumen:
        nombres = textos.enumeracion([f"«{h}»" for h in resultado.hojas_resumen])
        frases.append(
            ngettext(
                "The summary sheet %(names)s was left out (it has no concepts).",
                "The summary sheets %(names)s were left out (they have no concepts).",
                len(resultado.hojas_resumen),
            )
            % {"names": nombres}
        )
    if resultado.simulada:
        frases.insert(0, gettext("Preview: nothing was saved."))
    return " ".join(frases)


def _filas_error(errores: Iterable[lectura.ErrorFila]) -> list[dict[str, Any]]:
    return [
        {"hoja": e.hoja, "fila": e.fila, "partida": e.partida, "errores": e.errores}
        for e in errores
    ]


def libro_leer(*, archivo: IO[bytes], avance: Avance | None = None) -> lectura.Libro:
    """Read the workbook, each row counted on `avance` when given; a file that is not one is
    a 400 `invalid_workbook`."""
    try:
        with sin_la_base_de_datos():
            return lectura.leer_libro(archivo, avance)
    except lectura.LibroIlegible as exc:
        raise libro_rechazado(exc) from exc


def conceptos_importar(
    *,
    usuario: User | None,
    archivo: IO[bytes],
    contrato: str | None = None,
    simular: bool = False,
    avance: Avance | None = None,
) -> Importacion:
    """Read the workbook in `archivo` and store its concepts (see `libro_guardar`);
    `simular`: say what it would do and store nothing; `avance`: counts the rows as they are
    read (an import run as a task).

    Reading takes the longest and happens before the write transaction opens, so that
    other writers are not held up by it.
    """
    return libro_guardar(
        usuario=usuario,
        libro=libro_leer(archivo=archivo, avance=avance),
        contrato=contrato,
        simular=simular,
    )


def _contrato(numero: str | None, libro: lectura.Libro) -> tuple[Contrato, bool]:
    """The contract to import into, and whether it was created for this import."""
    if numero:
        contrato = Contrato.objects.select_for_update().filter(numero=numero).first()
        if contrato is not None:
            return contrato, False
    else:
        existentes = list(Contrato.objects.select_for_update()[:2])
        if len(existentes) == 1:
            return existentes[0], False
        if existentes:
            raise InvalidInput(
                fields={
                    "contrato": [
                        gettext(
                            "There are several contracts: say which one the workbook goes "
                            "into (its number)."
                        )
                    ]
                }
            )
    titulos = libro.hojas[0].titulos if libro.hojas else []
    nuevo = Contrato(numero=numero or CONTRATO_PREDETERMINADO, descripcion="\n".join(titulos))
    _sin_carrera(validated(nuevo, check_unique=False).save)
    return nuevo, True


def _sin_carrera(escribir: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
    """Run an insert that another import running at the same time may have beaten."""
    try:
        with transaction.atomic():
            escribir(*args, **kwargs)
    except IntegrityError as exc:
        raise Conflict(
            gettext("Another import saved the same contract, anexo or item meanwhile; try again.")
        ) from exc


def _referencias(
    filas: Iterable[lectura.FilaConcepto | lectura.FilaPropuesta],
) -> tuple[dict[str, int], dict[str, int]]:
    """The PTEs (by oficio) and principal OTs (by orden de trabajo) the rows name."""
    filas = list(filas)
    oficios = {f.pte for f in filas if f.pte}
    ordenes = {f.ot for f in filas if f.ot}
    ptes = dict(PTE.objects.filter(oficio_pte__in=oficios).values_list("oficio_pte", "id"))
    ots = dict(
        OT.objects.filter(orden_trabajo__in=ordenes, num_reprogramacion=0).values_list(
            "orden_trabajo", "id"
        )
    )
    return ptes, ots


def _datos(
    fila: lectura.FilaConcepto, ptes: dict[str, int], ots: dict[str, int], lista: bool
) -> dict[str, Any]:
    """What the book says about a concept. A PTE or OT is said only when named: a book
    without those columns leaves the origin of a PUE drawn up through the API alone. The
    PUE list keeps what it names as text too (linked when registered)."""
    datos: dict[str, Any] = {
        "concepto": fila.concepto,
        "huella": huella_concepto(fila.concepto),
        "unidad": fila.unidad,
        "pu_mn": fila.pu_mn,
        "pu_usd": fila.pu_usd,
        "cantidad_referencia": fila.cantidad_referencia,
        "seccion": fila.seccion[:300],
    }
    if fila.pte:
        datos["pte_id"] = ptes.get(fila.pte)
    if fila.ot:
        datos["ot_id"] = ots.get(fila.ot)
    if lista:
        datos["referencia_pte"] = fila.pte
        datos["referencia_ot"] = fila.ot
    return datos


def _existente(
    candidatos: list[Concepto], fila: lectura.FilaConcepto, en_el_libro: int
) -> Concepto | None:
    """The stored concept a row is: the partida's only one when the book has one row for
    it too (its text may have been corrected), else the one with the same text."""
    if len(candidatos) == 1 and en_el_libro == 1:
        return candidatos[0]
    huella = huella_concepto(fila.concepto)
    return next((c for c in candidatos if huella_concepto(c.concepto) == huella), None)


_PRECIOS = ("pu_mn", "pu_usd")


# A concept's foreign keys that an import sets from rows it has just read (anexo, PTE, OT)
# or from the request (who authorises): checking each again is a query per concept.
_LEIDAS = ("anexo", "pte", "ot", "autorizado_por")


@transaction.atomic
def libro_guardar(
    *,
    usuario: User | None,
    libro: lectura.Libro,
    contrato: str | None = None,
    simular: bool = False,
) -> Importacion:
    """Store a read workbook in the contract `contrato` (its número).

    Without `contrato`, the only contract there is; with none yet, one is created
    ("principal", described by the first sheet's title lines). Anexos are created as they
    appear. A concept new to its anexo is created (ordinary ones authorised, extraordinary
    ones `EN_ELABORACION`, the PUE list's keyed ones authorised: the list is of authorised
    PUEs); one whose workbook fields differ is updated and each changed field logged; the
    rest is left alone, as are stored concepts the book no longer lists. The PUE list's
    proposals with no key go to the contract's `PUE` anexo (see `_propuestas_guardar`).
    `simular`: everything is checked and counted, then rolled back.
    """
    errores = list(libro.errores)
    if not libro.conceptos and not libro.propuestas and not errores:
        errores.append(
            lectura.ErrorFila("", None, None, [gettext("The workbook has no concepts to import.")])
        )
    destino, contrato_nuevo = _contrato(contrato, libro)
    resultado = Importacion(
        contrato=destino.numero,
        hojas_vacias=list(libro.hojas_vacias),
        hojas_resumen=list(libro.hojas_resumen),
        lista_pue=libro.lista_pue,
        simulada=simular,
    )
    anexos = {a.clave: a for a in Anexo.objects.filter(contrato=destino)}
    anexos_nuevos = []
    titulos = {hoja.anexo: "\n".join(hoja.titulos) for hoja in reversed(libro.hojas)}
    claves = [fila.anexo for fila in libro.conceptos]
    if libro.propuestas:
        claves.append(ANEXO_SIN_CLAVE)
        titulos.setdefault(ANEXO_SIN_CLAVE, "Propuestas de PUE sin clave (en elaboración)")
    for fila in libro.conceptos:
        resumen = resultado.anexos.setdefault(fila.anexo, ResumenAnexo(fila.anexo))
        if fila.hoja not in resumen.hojas:
            resumen.hojas.append(fila.hoja)
    for clave in claves:
        if clave not in anexos:
            anexo = Anexo(contrato=destino, clave=clave, descripcion=titulos.get(clave, ""))
            validated(anexo, check_unique=False)
            anexos[clave] = anexo
            anexos_nuevos.append(anexo)
    _sin_carrera(Anexo.objects.bulk_create, anexos_nuevos)

    por_partida: dict[tuple[int, str], list[Concepto]] = {}
    for c in Concepto.objects.select_for_update().filter(
        anexo__in=[anexos[clave] for clave in resultado.anexos]
    ):
        por_partida.setdefault((c.anexo_id, c.partida), []).append(c)
    en_el_libro = Counter((f.anexo, f.partida) for f in libro.conceptos)
    todas: list[lectura.FilaConcepto | lectura.FilaPropuesta] = [
        *libro.conceptos,
        *libro.propuestas,
    ]
    ptes, ots = _referencias(todas)
    if libro.lista_pue:
        resultado.ptes_sin_registro = sorted({f.pte for f in todas if f.pte and f.pte not in ptes})
        resultado.ots_sin_registro = sorted({f.ot for f in todas if f.ot and f.ot not in ots})
    nuevos: list[Concepto] = []
    cambiados: list[tuple[Concepto, dict[str, str]]] = []
    campos_cambiados: set[str] = set()
    ahora = timezone.now()
    # Checking 50,000 rows takes longer than PostgreSQL lets a transaction idle.
    latido = Latido(Contrato.objects.filter(pk=destino.pk))
    for fila in libro.conceptos:
        latido()
        problemas = []
        if not libro.lista_pue and fila.pte and fila.pte not in ptes:
            problemas.append(gettext("No PTE has the oficio «%(pte)s».") % {"pte": fila.pte})
        if not libro.lista_pue and fila.ot and fila.ot not in ots:
            problemas.append(gettext("No OT has the work order «%(ot)s».") % {"ot": fila.ot})
        anexo = anexos[fila.anexo]
        datos = _datos(fila, ptes, ots, libro.lista_pue)
        concepto = _existente(
            por_partida.get((anexo.pk, fila.partida), []),
            fila,
            en_el_libro[(fila.anexo, fila.partida)],
        )
        antes: dict[str, str] | None = None
        if concepto is None:
            extraordinario = fila.extraordinario
            autorizado = not extraordinario or libro.lista_pue
            concepto = Concepto(
                anexo=anexo,
                partida=fila.partida,
                orden=lectura.orden_de_partida(fila.partida),
                tipo=Concepto.Tipo.EXTRAORDINARIA if extraordinario else Concepto.Tipo.ORDINARIA,
                estatus=(
                    Concepto.Estatus.AUTORIZADO if autorizado else Concepto.Estatus.EN_ELABORACION
                ),
                autorizado_en=ahora if extraordinario and autorizado else None,
                autorizado_por=(
                    usuario
                    if extraordinario and autorizado and usuario and usuario.is_authenticated
                    else None
                ),
                **datos,
            )
        else:
            # Kind and status are the concept's own: a later book (whose sheet titles may
            # word things differently) changes what it says, never authorises anything.
            if concepto.tipo == Concepto.Tipo.ORDINARIA and (fila.pte or fila.ot):
                problemas.append(
                    gettext(
                        "Item %(item)s of anexo %(anexo)s is an ordinary concept; only "
                        "extraordinary ones carry a PTE or OT."
                    )
                    % {"item": fila.partida, "anexo": fila.anexo}
                )
            distintos = {k: v for k, v in datos.items() if getattr(concepto, k) != v}
            if not distintos and not problemas:
                resultado.anexos[fila.anexo].sin_cambios += 1
                continue
            antes = actividad.snapshot(concepto)
            resultado.cambios_de_precio += [
                CambioPrecio(
                    fila.anexo, fila.partida, fila.concepto, k, getattr(concepto, k), distintos[k]
                )
                for k in _PRECIOS
                if k in distintos
            ]
            for nombre, valor in distintos.items():
                setattr(concepto, nombre, valor)
            campos_cambiados.update(distintos)
            concepto.version += 1
            concepto.actualizado_en = ahora
        try:
            validated(concepto, check_unique=False, exclude=_LEIDAS)
        except InvalidInput as exc:
            problemas += [
                f"{nombre}: {mensaje}"
                for nombre, mensajes in (exc.fields or {}).items()
                for mensaje in mensajes
            ]
        if problemas:
            errores.append(lectura.ErrorFila(fila.hoja, fila.fila, fila.partida, problemas))
        elif antes is None:
            nuevos.append(concepto)
            resultado.anexos[fila.anexo].creados += 1
        else:
            cambiados.append((concepto, antes))
            resultado.anexos[fila.anexo].actualizados += 1
    propuestas, cambiadas = _propuestas(
        libro.propuestas, anexos.get(ANEXO_SIN_CLAVE), ptes, ots, resultado, errores
    )
    if errores:
        raise LibroInvalido(filas=_filas_error(errores))

    nuevos += propuestas
    cambiados += cambiadas
    if cambiadas:
        campos_cambiados.update(("cantidad_referencia", "pte_id", "ot_id", "referencia_ot"))
    _sin_carrera(Concepto.objects.bulk_create, nuevos, batch_size=LOTE)
    if cambiados:
        # Only the columns some row changed: each one costs a CASE over the whole batch.
        campos = [*sorted(campos_cambiados), "version", "actualizado_en"]
        Concepto.objects.bulk_update([c for c, _ in cambiados], campos, batch_size=LOTE)
    creados: list[Any] = [destino] if contrato_nuevo else []
    actividad.registrar_creaciones(usuario=usuario, instancias=[*creados, *anexos_nuevos, *nuevos])
    actividad.registrar_cambios_de(
        usuario=usuario, cambios=[(antes, concepto) for concepto, antes in cambiados]
    )
    if simular:
        transaction.set_rollback(True)
    elif nuevos or cambiados:
        # Bulk writes send no row signals: tell the caches ourselves.
        announce_change(Concepto)
    return resultado


def _propuestas(
    filas: list[lectura.FilaPropuesta],
    anexo: Anexo | None,
    ptes: dict[str, int],
    ots: dict[str, int],
    resultado: Importacion,
    errores: list[lectura.ErrorFila],
) -> tuple[list[Concepto], list[tuple[Concepto, dict[str, str]]]]:
    """The PUE list's proposals with no key: drafts (`EN_ELABORACION`, no partida) in the
    `PUE` anexo, one per (description, unit, PTE as written), linked to the PTE / OT when
    registered. A proposal stored before is left alone unless its quantity or OT changed."""
    if anexo is None:
        return [], []
    guardadas = {
        (c.huella, c.unidad, c.referencia_pte): c
        for c in Concepto.objects.select_for_update().filter(anexo=anexo, partida="")
    }
    vistas: set[tuple[str, str, str]] = set()
    nuevas: list[Concepto] = []
    cambiadas: list[tuple[Concepto, dict[str, str]]] = []
    ahora = timezone.now()
    resumen = resultado.propuestas
    for fila in filas:
        huella = huella_concepto(fila.concepto)
        clave = (huella, fila.unidad, fila.pte)
        if clave in vistas:
            resumen.repetidas += 1
            continue
        vistas.add(clave)
        datos: dict[str, Any] = {
            "cantidad_referencia": fila.cantidad_referencia,
            "pte_id": ptes.get(fila.pte) if fila.pte else None,
            "ot_id": ots.get(fila.ot) if fila.ot else None,
            "referencia_ot": fila.ot,
        }
        concepto = guardadas.get(clave)
        if concepto is not None:
            distintos = {k: v for k, v in datos.items() if getattr(concepto, k) != v}
            if not distintos:
                resumen.sin_cambios += 1
                continue
            antes = actividad.snapshot(concepto)
            for nombre, valor in distintos.items():
                setattr(concepto, nombre, valor)
            concepto.version += 1
            concepto.actualizado_en = ahora
            cambiadas.append((concepto, antes))
            resumen.actualizadas += 1
            continue
        concepto = Concepto(
            anexo=anexo,
            partida="",
            orden="",
            concepto=fila.concepto,
            huella=huella,
            unidad=fila.unidad,
            tipo=Concepto.Tipo.EXTRAORDINARIA,
            estatus=Concepto.Estatus.EN_ELABORACION,
            referencia_pte=fila.pte,
            **datos,
        )
        try:
            validated(concepto, check_unique=False)
        except InvalidInput as exc:
            problemas = [
                f"{nombre}: {mensaje}"
                for nombre, mensajes in (exc.fields or {}).items()
                for mensaje in mensajes
            ]
            errores.append(lectura.ErrorFila(fila.hoja, fila.fila, None, problemas))
            continue
        nuevas.append(concepto)
        resumen.creadas += 1
    return nuevas, cambiadas


def _concepto_para_editar(concepto_id: int) -> Concepto:
    return bloquear_o_404(Concepto.objects.all(), concepto_id, "Concepto")


@transaction.atomic
def concepto_crear(*, usuario: User, datos: dict[str, Any]) -> Concepto:
    """Draw up an extraordinary concept (PUE): it starts `EN_ELABORACION`, optionally
    naming the PTE or OT it is for, until someone with the permission authorises it."""
    datos = dict(datos)
    partida = lectura.normalizar_partida(datos.pop("partida"))
    unidad = lectura.normalizar_unidad(datos.pop("unidad"))
    concepto = Concepto(
        **datos,
        partida=partida,
        orden=lectura.orden_de_partida(partida),
        huella=huella_concepto(datos.get("concepto", "")),
        unidad=unidad,
        tipo=Concepto.Tipo.EXTRAORDINARIA,
        estatus=Concepto.Estatus.EN_ELABORACION,
    )
    validated(concepto, check_unique=False)
    if Concepto.objects.filter(anexo=concepto.anexo, partida=partida).exists():
        raise Conflict(
            gettext("Anexo %(anexo)s already has partida %(item)s.")
            % {"anexo": concepto.anexo.clave, "item": partida}
        )
    try:
        with transaction.atomic():
            concepto.save()
    except IntegrityError as exc:  # the same partida, created meanwhile
        raise Conflict(
            gettext("Anexo %(anexo)s already has partida %(item)s.")
            % {"anexo": concepto.anexo.clave, "item": partida}
        ) from exc
    actividad.registrar_creaciones(usuario=usuario, instancias=[concepto])
    return concepto


@transaction.atomic
def concepto_autorizar(*, usuario: User, concepto_id: int, if_match: str | None) -> Concepto:
    """Authorise an extraordinary concept (PUE). A stale If-Match is a 412; a concept
    already authorised (every ordinary one is), or a proposal with no partida yet, is a 409."""
    concepto = _concepto_para_editar(concepto_id)
    exigir_version(if_match, concepto)
    if concepto.estatus == Concepto.Estatus.AUTORIZADO:
        raise Conflict(gettext("Concepto %(id)s is already authorised.") % {"id": concepto_id})
    if not concepto.activo:
        raise Conflict(gettext("Concepto %(id)s is inactive.") % {"id": concepto_id})
    if not concepto.partida:
        raise Conflict(
            gettext(
                "Concepto %(id)s is a PUE proposal with no partida yet; it is authorised once it "
                "has its key."
            )
            % {"id": concepto_id}
        )
    antes = actividad.snapshot(concepto)
    concepto.estatus = Concepto.Estatus.AUTORIZADO
    concepto.autorizado_en = timezone.now()
    concepto.autorizado_por = usuario
    concepto.version += 1
    validated(concepto).save()
    actividad.registrar_cambios(usuario=usuario, antes=antes, instancia=concepto)
    return concepto


# --- an OT's anexo ----------------------------------------------------------------------------

# Refused workbooks are kept for a day, and at most this many per OT, for the download of
# the copy with observations.
FALLIDAS_POR_OT = 10
VIGENCIA_FALLIDAS = datetime.timedelta(days=1)


# Run inside an anexo import's transaction, with the OT's id, once its new version is stored.
# The production app registers here (it sits above precios and keeps the excedentes).
_tras_importar: list[Callable[[int], None]] = []


def al_importar_anexo(funcion: Callable[[int], None]) -> None:
    """Have `funcion(ot_id)` run in every anexo import's transaction, after the new version
    is stored (once, however often it is registered)."""
    if funcion not in _tras_importar:
        _tras_importar.append(funcion)


class Modo(StrEnum):
    REEMPLAZAR = "reemplazar"
    ACTUALIZAR = "actualizar"


class AnexoInvalido(LibroInvalido):
    """Some rows of an OT's anexo are wrong; `filas` says which, and the refused workbook
    was kept (`importacion`) for the copy with an OBSERVACIONES column."""

    detail = gettext_lazy("Some rows of the anexo are wrong; nothing was imported.")


@dataclass
class ResultadoAnexo:
    anexo: AnexoOT
    partidas: int
    importe_mn: Decimal
    importe_usd: Decimal


def _revisar_contra_catalogo(
    filas: list[lectura.FilaAnexo],
) -> tuple[dict[int, Concepto], list[lectura.ErrorFila]]:
    """Each row's price-book concept (by row number), and the rows that name none or do not
    match the one they name."""
    claves = {f.anexo for f in filas}
    partidas = {f.partida for f in filas}
    catalogo: dict[tuple[str, str], list[Concepto]] = {}
    for concepto in Concepto.objects.select_related("anexo").filter(
        anexo__clave__in=claves, partida__in=partidas
    ):
        catalogo.setdefault((concepto.anexo.clave, concepto.partida), []).append(concepto)
    encontrados: dict[int, Concepto] = {}
    errores: list[lectura.ErrorFila] = []
    for fila in filas:
        candidatos = catalogo.get((fila.anexo, fila.partida), [])
        problemas: list[str] = []
        variantes = len({c.anexo.contrato_id for c in candidatos}) < len(candidatos)
        if variantes:
            # One partida, several concepts (C-4 4.7. TUBERO, SOLDADOR…): the text says which.
            candidatos = [
                c for c in candidatos if lectura.mismo_concepto(fila.concepto, c.concepto)
            ]
            if not candidatos:
                problemas.append(
                    gettext(
                        "Item %(item)s of anexo %(anexo)s has several concepts and the "
                        "CONCEPTO «%(concept)s» is none of them."
                    )
                    % {"item": fila.partida, "anexo": fila.anexo, "concept": fila.concepto}
                )
        if not candidatos:
            if not variantes:
                problemas.append(
                    gettext("Item %(item)s of anexo %(anexo)s is not in the price book.")
                    % {"item": fila.partida, "anexo": fila.anexo}
                )
        elif len(candidatos) > 1:
            problemas.append(
                gettext("Item %(item)s of anexo %(anexo)s is in several contracts.")
                % {"item": fila.partida, "anexo": fila.anexo}
            )
        else:
            concepto = candidatos[0]
            if concepto.estatus != Concepto.Estatus.AUTORIZADO:
                problemas.append(
                    gettext("Item %(item)s is not authorised yet.") % {"item": fila.partida}
                )
            if not concepto.activo:
                problemas.append(gettext("Item %(item)s is inactive.") % {"item": fila.partida})
            if not lectura.mismo_concepto(fila.concepto, concepto.concepto):
                problemas.append(
                    gettext("The CONCEPTO is not the price book's: «%(concept)s».")
                    % {"concept": concepto.concepto}
                )
            if lectura.normalizar_unidad(concepto.unidad) != fila.unidad:
                problemas.append(
                    gettext("The UNIDAD %(unit)s is not the price book's (%(book_unit)s).")
                    % {"unit": fila.unidad, "book_unit": concepto.unidad}
                )
            encontrados[fila.fila] = concepto
        if problemas:
            errores.append(lectura.ErrorFila("", fila.fila, fila.partida, problemas))
    return encontrados, errores


def _filas_anexo_error(errores: Iterable[lectura.ErrorFila]) -> list[dict[str, Any]]:
    por_fila: dict[int | None, dict[str, Any]] = {}
    for e in errores:
        destino = por_fila.setdefault(e.fila, {"fila": e.fila, "partida": e.partida, "errores": []})
        destino["errores"] += e.errores
    return sorted(por_fila.values(), key=lambda f: (f["fila"] is not None, f["fila"] or 0))


@transaction.atomic
def _guardar_fallida(
    *,
    usuario: User | None,
    ot_id: int,
    contenido: bytes,
    nombre_archivo: str,
    filas: list[dict[str, Any]],
    encabezado: int | None,
) -> ImportacionAnexoFallida:
    ImportacionAnexoFallida.objects.filter(
        creado_en__lt=timezone.now() - VIGENCIA_FALLIDAS
    ).delete()
    viejas = ImportacionAnexoFallida.objects.filter(ot_id=ot_id).values_list("pk", flat=True)[
        FALLIDAS_POR_OT - 1 :
    ]
    ImportacionAnexoFallida.objects.filter(pk__in=list(viejas)).delete()
    return ImportacionAnexoFallida.objects.create(
        ot_id=ot_id,
        creado_por=usuario if usuario is not None and usuario.is_authenticated else None,
        nombre_archivo=nombre_archivo[:255],
        contenido=contenido,
        errores=filas,
        encabezado=encabezado,
    )


def anexo_importar(
    *,
    usuario: User | None,
    ot_id: int,
    archivo: IO[bytes],
    nombre_archivo: str = "",
    modo: str = Modo.REEMPLAZAR,
    avance: Avance | None = None,
) -> ResultadoAnexo:
    """Import an OT's anexo from a workbook (see `lectura.leer_anexo`) as its new active
    version; the previous one stays readable. `avance`: counts the rows as they are read (an
    import run as a task).

    Every row must name a concept of the price book (anexo + partida) with its concept and
    unit; the catalog's prices are stored, whatever the sheet says. `modo=actualizar` keeps
    the active version's lines and adds only the sheet's new ones. If any row is wrong,
    nothing is stored but the refused workbook itself (for the copy with observations), and
    `AnexoInvalido` lists every wrong row. Must not run inside a transaction that the error
    rolls back, or the refused workbook is lost with it.
    """
    if not OT.objects.filter(pk=ot_id).exists():
        raise NotFound(gettext("OT %(id)s does not exist.") % {"id": ot_id})
    try:
        with sin_la_base_de_datos():
            leido = lectura.leer_anexo(archivo, avance)
    except lectura.LibroIlegible as exc:
        raise libro_rechazado(exc) from exc
    conceptos, errores = _revisar_contra_catalogo(leido.filas)
    if leido.errores or errores:
        filas = _filas_anexo_error([*leido.errores, *errores])
        archivo.seek(0)
        fallida = _guardar_fallida(
            usuario=usuario,
            ot_id=ot_id,
            contenido=archivo.read(),
            nombre_archivo=nombre_archivo,
            filas=filas,
            encabezado=leido.encabezado,
        )
        raise AnexoInvalido(filas=filas, importacion=fallida.pk)
    return _anexo_guardar(
        usuario=usuario,
        ot_id=ot_id,
        filas=leido.filas,
        conceptos=conceptos,
        nombre_archivo=nombre_archivo,
        modo=Modo(modo),
    )


@transaction.atomic
def _anexo_guardar(
    *,
    usuario: User | None,
    ot_id: int,
    filas: list[lectura.FilaAnexo],
    conceptos: dict[int, Concepto],
    nombre_archivo: str,
    modo: Modo,
) -> ResultadoAnexo:
    ot = bloquear_o_404(OT.objects.all(), ot_id, "OT")
    anteriores = list(AnexoOT.objects.filter(ot=ot).order_by("-version"))
    activo = next((a for a in anteriores if a.activo), None)
    lineas: list[tuple[PartidaAnexoOT, dict[datetime.date, Decimal]]] = []
    ya: set[int] = set()
    if modo == Modo.ACTUALIZAR and activo is not None:
        for linea in activo.partidas.prefetch_related("programa"):
            programa = {p.fecha: p.volumen for p in linea.programa.all()}
            lineas.append((linea, programa))
            ya.add(linea.concepto_id)
    for fila in filas:
        concepto = conceptos[fila.fila]
        if concepto.pk in ya:
            continue
        ya.add(concepto.pk)
        linea = PartidaAnexoOT(
            concepto=concepto, volumen=fila.volumen, pu_mn=concepto.pu_mn, pu_usd=concepto.pu_usd
        )
        lineas.append((linea, fila.programa))
    if activo is not None:
        AnexoOT.objects.filter(pk=activo.pk).update(activo=False)
    importe_mn, importe_usd = totales_de_lineas(
        (linea.volumen, linea.pu_mn, linea.pu_usd) for linea, _ in lineas
    )
    anexo = AnexoOT.objects.create(
        ot=ot,
        version=anteriores[0].version + 1 if anteriores else 1,
        activo=True,
        nombre_archivo=nombre_archivo[:255],
        creado_por=usuario if usuario is not None and usuario.is_authenticated else None,
        importe_mn=importe_mn,
        importe_usd=importe_usd,
    )
    nuevas = [
        PartidaAnexoOT(
            anexo_ot=anexo,
            concepto_id=linea.concepto_id,
            volumen=linea.volumen,
            pu_mn=linea.pu_mn,
            pu_usd=linea.pu_usd,
            orden=orden,
        )
        for orden, (linea, _) in enumerate(lineas, start=1)
    ]
    PartidaAnexoOT.objects.bulk_create(nuevas, batch_size=LOTE)
    ProgramaDiario.objects.bulk_create(
        [
            ProgramaDiario(partida=nueva, fecha=fecha, volumen=volumen)
            for nueva, (_, programa) in zip(nuevas, lineas, strict=True)
            for fecha, volumen in sorted(programa.items())
        ],
        batch_size=LOTE,
    )
    actividad.registrar_creaciones(usuario=usuario, instancias=[anexo])
    for funcion in _tras_importar:
        funcion(ot.pk)
    return ResultadoAnexo(
        anexo=anexo, partidas=len(nuevas), importe_mn=importe_mn, importe_usd=importe_usd
    )


# --- uploads kept between a page's steps ------------------------------------------------------

# Kept for a day, and at most this many per user (previews never confirmed, refused books).
ARCHIVOS_POR_USUARIO = 10
VIGENCIA_ARCHIVOS = datetime.timedelta(days=1)


@transaction.atomic
def archivo_guardar(
    *,
    usuario: User,
    tipo: str,
    contenido: bytes,
    nombre_archivo: str,
    contrato: str = "",
    errores: list[dict[str, Any]] | None = None,
) -> ArchivoImportacion:
    """Keep an uploaded workbook for the page's next step (the confirmation of a preview, or
    the download of a refused one with observations)."""
    ArchivoImportacion.objects.filter(creado_en__lt=timezone.now() - VIGENCIA_ARCHIVOS).delete()
    viejos = ArchivoImportacion.objects.filter(creado_por=usuario).values_list("pk", flat=True)[
        ARCHIVOS_POR_USUARIO - 1 :
    ]
    ArchivoImportacion.objects.filter(pk__in=list(viejos)).delete()
    return ArchivoImportacion.objects.create(
        tipo=tipo,
        creado_por=usuario,
        nombre_archivo=nombre_archivo[:255],
        contenido=contenido,
        contrato=contrato,
        errores=errores or [],
    )


def archivo_de(*, usuario: User, archivo_id: int, tipo: str) -> ArchivoImportacion:
    """A workbook `usuario` uploaded for an import of `tipo` (404 otherwise, or once gone)."""
    archivo = ArchivoImportacion.objects.filter(
        pk=archivo_id, creado_por=usuario, tipo=tipo
    ).first()
    if archivo is None:
        raise NotFound(gettext("That upload is no longer kept; upload the workbook again."))
    return archivo


def archivo_descartar(*, archivo: ArchivoImportacion) -> None:
    ArchivoImportacion.objects.filter(pk=archivo.pk).delete()
