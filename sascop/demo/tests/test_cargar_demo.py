from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count

from sascop.actividad.models import RegistroActividad
from sascop.catalogos.models import Paso
from sascop.ots.models import OT
from sascop.produccion.models import Produccion
from sascop.ptes.models import PTE

pytestmark = pytest.mark.django_db


def test_loads_the_requested_sizes_with_consistent_steps():
    out = StringIO()

    call_command("cargar_demo", ptes=40, ots=15, produccion=600, stdout=out)

    assert (PTE.objects.count(), OT.objects.count(), Produccion.objects.count()) == (40, 15, 600)
    pasos_por_tipo = dict(
        Paso.objects.filter(activo=True).values_list("tipo_cliente").annotate(n=Count("id"))
    )
    for pte in PTE.objects.select_related("cliente").annotate(n=Count("detalles")):
        assert pte.n == pasos_por_tipo[pte.cliente.tipo_id]
    assert "40 PTEs, 15 OTs, 600 production rows" in out.getvalue()
    assert not RegistroActividad.objects.exists()  # loading data is not user activity


def test_runs_again_adding_data_and_reusing_catalogs():
    call_command("cargar_demo", ptes=5, produccion=10, stdout=StringIO())
    pasos = Paso.objects.count()

    call_command("cargar_demo", ptes=5, produccion=10, stdout=StringIO())

    assert PTE.objects.count() == 10 and Paso.objects.count() == pasos


def test_if_empty_flag_leaves_existing_data_alone():
    call_command("cargar_demo", ptes=3, produccion=0, stdout=StringIO())
    out = StringIO()

    call_command("cargar_demo", ptes=3, si_vacio=True, stdout=out)

    assert PTE.objects.count() == 3
    assert "nothing loaded" in out.getvalue()
