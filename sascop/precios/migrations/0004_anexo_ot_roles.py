"""The OTs' anexos in the roles: everyone reads them and the exchange rates; Ingeniería and
Administración import anexos; Administración keeps the exchange rates."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

LECTURA = ["view_anexoot", "view_partidaanexoot", "view_programadiario", "view_tipocambio"]
ROLES = {
    "Consulta": LECTURA,
    "Captura de producción": LECTURA,
    "Ingeniería": [*LECTURA, "add_anexoot"],
    "Administración": [*LECTURA, "add_anexoot", "add_tipocambio", "change_tipocambio"],
}
TODOS = sorted({codigo for codigos in ROLES.values() for codigo in codigos})


def dar_permisos(apps, schema_editor):
    # Permissions are normally created after all migrations ran; the roles need them now.
    app_config = apps.get_app_config("precios")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for nombre, codigos in ROLES.items():
        group, _ = Group.objects.get_or_create(name=nombre)
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="precios", codename__in=codigos)
        )


def quitar_permisos(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    for group in apps.get_model("auth", "Group").objects.filter(name__in=ROLES):
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label="precios", codename__in=TODOS)
        )


class Migration(migrations.Migration):
    dependencies = [("precios", "0003_anexo_ot")]

    operations = [migrations.RunPython(dar_permisos, quitar_permisos)]
