import secrets

import django.utils.timezone
from django.db import migrations, models


def crear_identidad(apps, schema_editor):
    Instalacion = apps.get_model("core", "Instalacion")
    Instalacion.objects.using(schema_editor.connection.alias).create(
        pk=1, clave=secrets.token_hex(16)
    )


class Migration(migrations.Migration):
    initial = True

    dependencies = []

    operations = [
        migrations.CreateModel(
            name="Instalacion",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("clave", models.CharField(max_length=32)),
                ("creada_en", models.DateTimeField(default=django.utils.timezone.now)),
            ],
            options={"verbose_name": "instalación", "verbose_name_plural": "instalación"},
        ),
        migrations.RunPython(crear_identidad, migrations.RunPython.noop),
    ]
