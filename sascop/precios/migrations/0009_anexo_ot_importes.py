"""Each anexo version keeps its M.N. and USD totals (the OT's contracted amount is read from
them); the existing versions' totals are computed from their lines."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import migrations, models

CENTAVO = Decimal("0.01")


def _importe(volumen: Decimal, precio: Decimal) -> Decimal:
    return (volumen * precio).quantize(CENTAVO, rounding=ROUND_HALF_UP)


def calcular_importes(apps: Any, schema_editor: Any) -> None:
    AnexoOT = apps.get_model("precios", "AnexoOT")
    PartidaAnexoOT = apps.get_model("precios", "PartidaAnexoOT")
    totales: dict[int, list[Decimal]] = {}
    lineas = PartidaAnexoOT.objects.values_list("anexo_ot_id", "volumen", "pu_mn", "pu_usd")
    for anexo_id, volumen, pu_mn, pu_usd in lineas.iterator(chunk_size=2000):
        total = totales.setdefault(anexo_id, [Decimal("0.00"), Decimal("0.00")])
        total[0] += _importe(volumen, pu_mn)
        total[1] += _importe(volumen, pu_usd)
    for anexo_id, (mn, usd) in totales.items():
        AnexoOT.objects.filter(pk=anexo_id).update(importe_mn=mn, importe_usd=usd)


class Migration(migrations.Migration):
    dependencies = [("precios", "0008_concepto_activo")]

    operations = [
        migrations.AddField(
            model_name="anexoot",
            name="importe_mn",
            field=models.DecimalField(
                decimal_places=2, default=Decimal("0"), editable=False, max_digits=18
            ),
        ),
        migrations.AddField(
            model_name="anexoot",
            name="importe_usd",
            field=models.DecimalField(
                decimal_places=2, default=Decimal("0"), editable=False, max_digits=18
            ),
        ),
        migrations.RunPython(calcular_importes, migrations.RunPython.noop, elidable=True),
    ]
