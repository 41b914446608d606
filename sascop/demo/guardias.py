"""The demo's guard cycle: two superintendents taking turns at the site busiest this month."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import Count

from sascop.catalogos.models import CicloGuardia, Sitio, Superintendente
from sascop.produccion.models import Produccion

SUPERINTENDENTES = [
    ("Ing. Alberto Pérez", Superintendente.Color.AZUL),
    ("Ing. Beatriz Soto", Superintendente.Color.NARANJA),
]


@transaction.atomic
def cargar_guardias(sitios: list[Sitio], hoy: datetime.date) -> CicloGuardia | None:
    """A cycle (from the first day of last month) on the site with the most production this
    month, the first site if none has any. Once: a demo that has a cycle keeps it."""
    if CicloGuardia.objects.exists() or not sitios:
        return None
    activo = (
        Produccion.objects.filter(
            sitio__in=sitios, fecha_produccion__gte=hoy.replace(day=1), fecha_produccion__lte=hoy
        )
        .values("sitio")
        .annotate(n=Count("id"))
        .order_by("-n", "sitio")
        .values_list("sitio", flat=True)
        .first()
    )
    sitio = next((s for s in sitios if s.pk == activo), sitios[0])
    a, b = (
        Superintendente.objects.get_or_create(nombre=nombre, defaults={"color": color})[0]
        for nombre, color in SUPERINTENDENTES
    )
    inicio = (hoy.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    return CicloGuardia.objects.create(
        sitio=sitio, superintendente_a=a, superintendente_b=b, fecha_inicio=inicio
    )
