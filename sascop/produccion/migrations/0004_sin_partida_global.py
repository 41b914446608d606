"""Production on anexo lines, step 3 of 3: the catalog partida, the unit and the client's
`es_excedente` go; every row now has its anexo line."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("produccion", "0003_filas_a_lineas")]

    operations = [
        migrations.RemoveConstraint(model_name="produccion", name="produccion_unica"),
        migrations.RemoveField(model_name="produccion", name="partida"),
        migrations.RemoveField(model_name="produccion", name="unidad"),
        migrations.RemoveField(model_name="produccion", name="es_excedente"),
        migrations.AlterField(
            model_name="produccion",
            name="partida_anexo",
            field=models.ForeignKey(
                on_delete=models.deletion.PROTECT,
                related_name="produccion",
                to="precios.partidaanexoot",
                verbose_name="partida del anexo",
            ),
        ),
        migrations.AddConstraint(
            model_name="produccion",
            constraint=models.UniqueConstraint(
                fields=("ot", "partida_anexo", "fecha_produccion", "tipo_tiempo", "sitio"),
                name="produccion_unica",
                violation_error_message=(
                    "Ya hay producción de esa partida para esa OT, fecha, tipo de tiempo y sitio."
                ),
            ),
        ),
        migrations.AddIndex(
            model_name="produccion",
            index=models.Index(fields=["ot", "fecha_produccion"], name="produccion_ot_fecha"),
        ),
    ]
