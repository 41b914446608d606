from __future__ import annotations

import pytest
from django.db import connection

from sascop.consulta import motor
from sascop.ptes.tests.factories import PTEFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's ranking"),
]


def _ranquear(limite: int) -> list[int]:
    return motor.MotorPostgreSQL().ranquear("pte", ["ducto"], None, limite)


def test_a_word_with_few_matches_has_them_all_ranked(db):
    en_oficio = PTEFactory(oficio_pte="DUCTO-1", descripcion_trabajo="Ducto de 8 pulgadas")
    en_texto = [PTEFactory(descripcion_trabajo=f"Tendido de ducto {n}") for n in range(3)]
    PTEFactory(descripcion_trabajo="Buceo de saturación")

    assert _ranquear(10) == [en_oficio.pk, *reversed([p.pk for p in en_texto])]


def test_a_word_with_more_matches_than_kept_has_its_newest_ranked(db, monkeypatch):
    # The oldest match would rank first; beyond the limit only the newest are ranked.
    PTEFactory(oficio_pte="DUCTO-1", descripcion_trabajo="Ducto de 8 pulgadas")
    en_texto = [PTEFactory(descripcion_trabajo=f"Tendido de ducto {n}") for n in range(2)]
    nueva = PTEFactory(oficio_pte="DUCTO-2", descripcion_trabajo="Ducto de 12 pulgadas")
    esperadas = [nueva.pk, en_texto[1].pk, en_texto[0].pk]

    assert _ranquear(3) == esperadas

    # Fewer matches than kept among the newest rows read: every match, the newest kept.
    PTEFactory.create_batch(2, descripcion_trabajo="Buceo de saturación")
    monkeypatch.setattr(motor, "RECIENTES", 3)
    assert _ranquear(3) == esperadas
