"""Production on anexo lines, step 1 of 3: the new columns (see 0003)."""

from decimal import Decimal

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("produccion", "0001_initial"),
        ("precios", "0005_lineas_ejecutado"),
        ("catalogos", "0001_initial"),
        ("ots", "0003_una_ot_por_pte_oficio_unico"),
    ]

    operations = [
        migrations.AddField(
            model_name="produccion",
            name="partida_anexo",
            field=models.ForeignKey(
                null=True,
                on_delete=models.deletion.PROTECT,
                related_name="produccion",
                to="precios.partidaanexoot",
                verbose_name="partida del anexo",
            ),
        ),
        migrations.AddField(
            model_name="produccion",
            name="excedente",
            field=models.DecimalField(
                decimal_places=4, default=Decimal("0"), editable=False, max_digits=16
            ),
        ),
    ]
