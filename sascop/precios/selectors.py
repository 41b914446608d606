"""Price-book reads: the filtered concept list (book order), one concept, an OT's anexo and
the exchange rate in force."""

from __future__ import annotations

import datetime
from typing import Any

import django_filters
from django.db.models import Count, Prefetch, Q, QuerySet

from sascop.core.api.filters import FilterSet, IdFilter, filtrar
from sascop.core.errors import NotFound
from sascop.ots.models import OT
from sascop.precios.libro import normalizar_anexo
from sascop.precios.models import (
    Anexo,
    AnexoOT,
    Concepto,
    Contrato,
    ImportacionAnexoFallida,
    PartidaAnexoOT,
    ProgramaDiario,
    TipoCambio,
)


class ConceptoFilter(FilterSet):
    contrato = django_filters.CharFilter(field_name="anexo__contrato__numero")
    anexo = django_filters.CharFilter(method="filter_anexo")
    tipo = django_filters.ChoiceFilter(choices=Concepto.Tipo.choices)
    estatus = django_filters.MultipleChoiceFilter(choices=Concepto.Estatus.choices)
    buscar = django_filters.CharFilter(method="filter_buscar")
    pte = IdFilter(field_name="pte_id")
    ot = IdFilter(field_name="ot_id")

    class Meta:
        model = Concepto
        fields: list[str] = []

    def filter_anexo(
        self, queryset: QuerySet[Concepto], name: str, value: str
    ) -> QuerySet[Concepto]:
        # Written as users write it: "c-5", "Anexo C-5" and "C-5" are one anexo.
        return queryset.filter(anexo__clave=normalizar_anexo(value))

    def filter_buscar(
        self, queryset: QuerySet[Concepto], name: str, value: str
    ) -> QuerySet[Concepto]:
        return queryset.filter(
            Q(partida__icontains=value.strip().rstrip("."))
            | Q(concepto__icontains=value)
            | Q(seccion__icontains=value)
        )


def _base() -> QuerySet[Concepto]:
    return Concepto.objects.select_related("anexo__contrato", "pte", "ot")


def concepto_lista(params: Any) -> QuerySet[Concepto]:
    """Concepts matching `params`, in book order: contract, anexo, then key."""
    return filtrar(ConceptoFilter, params, _base()).order_by(
        "anexo__contrato__numero", "anexo__clave", "orden", "id"
    )


def concepto_detalle(concepto_id: int) -> Concepto:
    concepto = _base().filter(pk=concepto_id).first()
    if concepto is None:
        raise NotFound(f"Concepto {concepto_id} does not exist.")
    return concepto


def tipo_cambio_vigente(fecha: datetime.date) -> TipoCambio | None:
    """The exchange rate in force on `fecha`: the latest one dated on or before it."""
    return TipoCambio.objects.filter(fecha__lte=fecha).order_by("-fecha").first()


def anexo_ot(ot_id: int, version: int | None = None) -> AnexoOT:
    """The OT's active anexo, or its version `version`, with lines and programme loaded."""
    if not OT.objects.filter(pk=ot_id).exists():
        raise NotFound(f"OT {ot_id} does not exist.")
    anexos = AnexoOT.objects.filter(ot_id=ot_id)
    anexos = anexos.filter(activo=True) if version is None else anexos.filter(version=version)
    anexo = anexos.prefetch_related(
        Prefetch(
            "partidas",
            PartidaAnexoOT.objects.select_related("concepto__anexo").order_by("orden"),
        ),
        Prefetch("partidas__programa", ProgramaDiario.objects.order_by("fecha")),
    ).first()
    if anexo is None:
        if version is None:
            raise NotFound(f"OT {ot_id} has no anexo yet.")
        raise NotFound(f"OT {ot_id} has no anexo version {version}.")
    return anexo


def importacion_fallida(ot_id: int, importacion_id: int) -> ImportacionAnexoFallida:
    fallida = ImportacionAnexoFallida.objects.filter(pk=importacion_id, ot_id=ot_id).first()
    if fallida is None:
        raise NotFound(
            f"Refused import {importacion_id} of OT {ot_id} does not exist (they are kept "
            "for a day)."
        )
    return fallida


def anexo_versiones(ot_id: int) -> list[AnexoOT]:
    """Every version of the OT's anexo, newest first, with its number of lines."""
    return list(
        AnexoOT.objects.filter(ot_id=ot_id)
        .select_related("creado_por")
        .annotate(num_partidas=Count("partidas"))
        .order_by("-version")
    )


def anexos_resumen() -> list[dict[str, Any]]:
    """Every anexo of the price book with how many concepts it has (ordinary and PUE) and
    how many PUEs await authorisation: one query, in book order."""
    filas = (
        Anexo.objects.values("id", "clave", "descripcion", "contrato__numero")
        .annotate(
            total_conceptos=Count("conceptos"),
            # An inactive PUE awaits nothing.
            por_autorizar=Count(
                "conceptos",
                filter=Q(
                    conceptos__estatus=Concepto.Estatus.EN_ELABORACION, conceptos__activo=True
                ),
            ),
        )
        .order_by("contrato__numero", "clave")
    )
    return [dict(fila) for fila in filas]


def anexos_claves() -> list[str]:
    """The anexos' keys (C, C-5-1, C-10…), for the list's filter."""
    return list(Anexo.objects.order_by("clave").values_list("clave", flat=True).distinct())


def contratos_numeros() -> list[str]:
    """The contracts' números, for the import page to say where a book goes."""
    return list(Contrato.objects.order_by("numero").values_list("numero", flat=True))


def conceptos_para_agregar(ot_id: int, buscar: str, limite: int = 20) -> list[Concepto]:
    """Authorised concepts an OT's anexo does not have yet, matching `buscar` by key (as
    written: "2.3", "2.3.") or text, in book order: what "Agregar concepto" offers."""
    texto = " ".join(buscar.split())
    if not texto:
        return []
    ya = PartidaAnexoOT.objects.filter(anexo_ot__ot_id=ot_id, anexo_ot__activo=True).values(
        "concepto_id"
    )
    clave = texto.rstrip(".")
    return list(
        Concepto.objects.select_related("anexo")
        .filter(estatus=Concepto.Estatus.AUTORIZADO, activo=True)
        .exclude(partida="")
        .exclude(pk__in=ya)
        .filter(Q(partida__istartswith=clave) | Q(concepto__icontains=texto))
        .order_by("anexo__clave", "orden", "id")[:limite]
    )
