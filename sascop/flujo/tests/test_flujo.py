"""The shared rules, at the service level: delivery dates, If-Match, versions, the log,
progress, and step edits."""

from __future__ import annotations

import datetime
from typing import cast

import pytest
import time_machine

from sascop.accounts.models import User
from sascop.accounts.tests.factories import UserFactory
from sascop.actividad.models import RegistroActividad
from sascop.catalogos.estatus import EstatusPaso, EstatusPTE
from sascop.catalogos.tests.factories import PasoFactory
from sascop.core.api.etags import etag_for
from sascop.core.errors import NotFound, PreconditionFailed
from sascop.flujo.registros import aplicar_fecha_entrega, editar_registro, eliminar_registro
from sascop.flujo.selectors import progreso_por
from sascop.flujo.services import paso_actualizar
from sascop.ptes.models import PTE, PTEDetalle
from sascop.ptes.tests.factories import PTEFactory

pytestmark = pytest.mark.django_db
HOY = datetime.date(2026, 7, 14)


def _pte(**fields: object) -> PTE:
    return cast(PTE, PTEFactory(**fields))


class _Registro:
    def __init__(self, estatus: int, fecha_entrega: datetime.date | None = None) -> None:
        self.estatus = estatus
        self.fecha_entrega = fecha_entrega


@time_machine.travel("2026-07-14 12:00:00-06:00", tick=False)
def test_reaching_delivered_stamps_today_unless_a_date_is_given():
    stamped = _Registro(EstatusPTE.ENTREGADA)
    aplicar_fecha_entrega(
        stamped, estatus_anterior=EstatusPTE.EN_PROCESO, entregado=EstatusPTE.ENTREGADA, datos={}
    )
    given = _Registro(EstatusPTE.ENTREGADA, datetime.date(2026, 7, 1))
    aplicar_fecha_entrega(
        given,
        estatus_anterior=None,
        entregado=EstatusPTE.ENTREGADA,
        datos={"fecha_entrega": datetime.date(2026, 7, 1)},
    )

    assert stamped.fecha_entrega == HOY
    assert given.fecha_entrega == datetime.date(2026, 7, 1)


def test_leaving_delivered_clears_the_date_and_other_moves_keep_it():
    left = _Registro(EstatusPTE.EN_PROCESO, HOY)
    aplicar_fecha_entrega(
        left, estatus_anterior=EstatusPTE.ENTREGADA, entregado=EstatusPTE.ENTREGADA, datos={}
    )
    stays = _Registro(EstatusPTE.ENTREGADA, HOY)
    aplicar_fecha_entrega(
        stays, estatus_anterior=EstatusPTE.ENTREGADA, entregado=EstatusPTE.ENTREGADA, datos={}
    )

    assert left.fecha_entrega is None
    assert stays.fecha_entrega == HOY


def test_a_stale_if_match_changes_nothing():
    usuario = cast(User, UserFactory())
    pte = _pte(comentario="antes")
    stale = etag_for(pte)
    pte.version += 1
    pte.save()

    with pytest.raises(PreconditionFailed):
        editar_registro(usuario=usuario, instancia=pte, datos={"comentario": "x"}, if_match=stale)

    pte.refresh_from_db()
    assert (pte.comentario, pte.version) == ("antes", 2)
    assert not RegistroActividad.objects.exists()


def test_an_edit_bumps_the_version_and_logs_each_changed_field():
    usuario = cast(User, UserFactory())
    pte = _pte(comentario="antes", plazo_dias=15)

    editar_registro(
        usuario=usuario,
        instancia=pte,
        datos={"comentario": "después", "plazo_dias": 15},
        if_match=etag_for(pte),
    )

    pte.refresh_from_db()
    assert (pte.comentario, pte.version) == ("después", 2)
    cambios = RegistroActividad.objects.values_list("campo", "valor_anterior", "valor_nuevo")
    assert list(cambios) == [("comentario", "antes", "después")]


def test_soft_delete_hides_and_logs():
    usuario = cast(User, UserFactory())
    pte = _pte()

    eliminar_registro(usuario=usuario, instancia=pte, if_match=None)

    assert not PTE.objects.filter(pk=pte.pk).exists()
    assert PTE.all_objects.get(pk=pte.pk).eliminado_en is not None
    assert RegistroActividad.objects.filter(accion="eliminar").count() == 1


def _pasos(pte: PTE, *estatus: int) -> list[PTEDetalle]:
    return [
        PTEDetalle.objects.create(pte=pte, paso=PasoFactory(orden=n), estatus=e)
        for n, e in enumerate(estatus)
    ]


def test_progress_counts_completed_and_not_applicable_steps():
    a, b, sin_pasos = _pte(), _pte(), _pte()
    _pasos(a, EstatusPaso.COMPLETADO, EstatusPaso.NO_APLICA, EstatusPaso.PENDIENTE)
    _pasos(b, EstatusPaso.CANCELADO, EstatusPaso.EN_PROCESO)

    progreso = progreso_por(PTEDetalle.objects.all(), "pte_id", [a.pk, b.pk, sin_pasos.pk])

    assert progreso == {a.pk: 66.67, b.pk: 0.0}


@time_machine.travel("2026-07-14 12:00:00-06:00", tick=False)
def test_a_step_edit_stamps_completion_and_refuses_another_parents_step():
    usuario = cast(User, UserFactory())
    pte, otra = _pte(), _pte()
    (paso,) = _pasos(pte, EstatusPaso.EN_PROCESO)
    (ajeno,) = _pasos(otra, EstatusPaso.EN_PROCESO)
    pasos = PTEDetalle.objects.filter(pte=pte)

    hecho = paso_actualizar(
        usuario=usuario,
        pasos=pasos,
        detalle_id=paso.pk,
        datos={"estatus": EstatusPaso.COMPLETADO},
        if_match=None,
        de="PTE 1",
    )
    with pytest.raises(NotFound):
        paso_actualizar(
            usuario=usuario, pasos=pasos, detalle_id=ajeno.pk, datos={}, if_match=None, de="PTE 1"
        )

    assert (hecho.fecha_entrega, hecho.version) == (HOY, 2)
