from __future__ import annotations

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count, Sum

from sascop.actividad.models import RegistroActividad
from sascop.catalogos.estatus import PASOS_HECHOS, EstatusOT
from sascop.catalogos.models import Paso
from sascop.ots.models import OT
from sascop.precios.libro import orden_de_partida
from sascop.precios.models import Anexo, Concepto, PartidaAnexoOT
from sascop.produccion.models import Produccion
from sascop.produccion.selectors import sabana
from sascop.ptes.models import PTE, PTEDetalle

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
    # An OT follows only a PTE whose steps are all done; a finished one has its real end.
    assert (
        not PTEDetalle.objects.filter(pte__ots__isnull=False)
        .exclude(estatus__in=PASOS_HECHOS)
        .exists()
    )
    assert OT.objects.values("pte").distinct().count() == 15
    assert not OT.objects.filter(
        estatus=EstatusOT.TERMINADA, fecha_termino_real__isnull=True
    ).exists()
    assert set(OT.objects.values_list("estatus", flat=True)) <= set(EstatusOT.values)
    assert not RegistroActividad.objects.exists()  # loading data is not user activity


def test_production_is_on_the_ots_anexo_lines_with_excedentes_and_a_sheet():
    call_command("cargar_demo", ptes=20, produccion=900, conceptos=20, stdout=StringIO())

    filas = Produccion.objects.select_related("partida_anexo__anexo_ot")
    assert all(f.partida_anexo.anexo_ot.ot_id == f.ot_id for f in filas)
    assert all(f.partida_anexo.anexo_ot.activo for f in filas)
    assert filas.filter(excedente__gt=0).exists()
    assert filas.filter(excedente=0).exists()
    # The lines' totals agree with their rows.
    for linea in PartidaAnexoOT.objects.annotate(suma=Sum("produccion__volumen_produccion")):
        assert linea.ejecutado == (linea.suma or 0)
    hoy = datetime.date.today()
    ot_id = filas.order_by("-fecha_produccion").first().ot_id
    hoja = sabana(ot_id=ot_id, anio=hoy.year, mes=hoy.month, tipo_tiempo="TE", sitio_id=None)
    assert any(p["ejecutado"] for p in hoja["partidas"])
    assert any(p["programado"] for p in hoja["partidas"])
    assert hoja["kpis"]["mes_actual"] != {"importe_mn": "0.00", "importe_usd": "0.00"}


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


def test_loads_a_price_book_once():
    out = StringIO()

    call_command("cargar_demo", ptes=6, produccion=0, conceptos=12, stdout=out)
    call_command("cargar_demo", ptes=2, produccion=0, conceptos=12, stdout=StringIO())

    assert "108 price-book concepts" in out.getvalue()
    assert Concepto.objects.count() == 9 * 12
    assert (
        Anexo.objects.filter(clave__in=["C", "C-4", "C-4-1", "C-5", "C-5-1", "C-10"]).count() == 6
    )
    c4 = Concepto.objects.filter(anexo__clave="C-4").order_by("orden")
    assert list(dict.fromkeys(c.seccion for c in c4)) == ["Tubos", "Estructuras"]
    assert set(c4.values_list("partida", flat=True)) == set(
        Concepto.objects.filter(anexo__clave="C-4-1").values_list("partida", flat=True)
    )
    assert all(c.orden == orden_de_partida(c.partida) for c in Concepto.objects.all())
    pues = Concepto.objects.filter(anexo__clave="C-10")
    assert set(pues.values_list("tipo", flat=True)) == {"extraordinaria"}
    assert set(pues.values_list("estatus", flat=True)) == {"EN_ELABORACION", "AUTORIZADO"}
    assert not pues.filter(pte__isnull=True).exists()
    assert not Concepto.objects.filter(tipo="ordinaria").exclude(estatus="AUTORIZADO").exists()


def test_a_guard_cycle_on_the_site_busiest_this_month():
    from sascop.catalogos import guardias
    from sascop.catalogos.models import CicloGuardia

    hoy = datetime.date.today()
    call_command("cargar_demo", ptes=20, produccion=600, conceptos=20, stdout=StringIO())
    mas_activo = (
        Produccion.objects.filter(fecha_produccion__gte=hoy.replace(day=1))
        .values("sitio")
        .annotate(n=Count("id"))
        .order_by("-n", "sitio")[0]["sitio"]
    )
    call_command("cargar_demo", ptes=2, produccion=10, conceptos=20, stdout=StringIO())

    (ciclo,) = CicloGuardia.objects.all()  # once, however often the demo is loaded
    assert ciclo.sitio_id == mas_activo
    assert ciclo.superintendente_a != ciclo.superintendente_b
    dias = guardias.calendario(sitio_id=ciclo.sitio_id, anio=hoy.year, mes=hoy.month)
    assert set(dias.values()) == {ciclo.superintendente_a, ciclo.superintendente_b}
