from __future__ import annotations

import pytest
from django.db import connection

from sascop.consulta import motor, recientes
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


def test_a_word_with_more_matches_than_kept_has_its_newest_ranked(db):
    # The oldest match would rank first; beyond the limit only the newest are ranked.
    PTEFactory(oficio_pte="DUCTO-1", descripcion_trabajo="Ducto de 8 pulgadas")
    en_texto = [PTEFactory(descripcion_trabajo=f"Tendido de ducto {n}") for n in range(2)]
    nueva = PTEFactory(oficio_pte="DUCTO-2", descripcion_trabajo="Ducto de 12 pulgadas")

    assert _ranquear(3) == [nueva.pk, en_texto[1].pk, en_texto[0].pk]


@pytest.mark.parametrize(
    ("densas", "recientes_leidas"),
    [
        (1, 5),  # dense: found among the newest five rows (four match, three kept)
        (1, 3),  # dense, but the newest three rows hold two matches: the GIN index answers
        (5, 4),  # not dense enough to look among the newest rows: the GIN index answers
    ],
)
def test_a_common_word_has_the_same_newest_matches_wherever_they_are_read(
    db, monkeypatch, densas, recientes_leidas
):
    PTEFactory(oficio_pte="DUCTO-1", descripcion_trabajo="Ducto de 8 pulgadas")
    primera = PTEFactory(descripcion_trabajo="Tendido de ducto 1")
    PTEFactory(descripcion_trabajo="Buceo de saturación")
    segunda = PTEFactory(descripcion_trabajo="Tendido de ducto 2")
    nueva = PTEFactory(oficio_pte="DUCTO-2", descripcion_trabajo="Ducto de 12 pulgadas")
    monkeypatch.setattr(recientes, "DENSAS", densas)
    monkeypatch.setattr(motor, "RECIENTES", recientes_leidas)

    # The newest three matches (not the oldest, DUCTO-1), the code's match first.
    assert _ranquear(3) == [nueva.pk, segunda.pk, primera.pk]
