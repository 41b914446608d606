"""Estimaciones in the roles: everyone reads them; project engineers (Ingeniería) and
Administración draw them up, move them through their states and delete drafts."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

LECTURA = ["view_estimacion"]
ESCRITURA = [*LECTURA, "add_estimacion", "change_estimacion", "delete_estimacion"]
ROLES = {
    "Consulta": LECTURA,
    "Captura de producción": LECTURA,
    "Ingeniería": ESCRITURA,
    "Administración": ESCRITURA,
}


def dar_permisos(apps, schema_editor):
    # Permissions are normally created after all migrations ran; the roles need them now.
    app_config = apps.get_app_config("estimaciones")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for nombre, codigos in ROLES.items():
        group, _ = Group.objects.get_or_create(name=nombre)
        group.permissions.add(
            *Permission.objects.filter(
                content_type__app_label="estimaciones", codename__in=codigos
            )
        )


def quitar_permisos(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    for group in apps.get_model("auth", "Group").objects.filter(name__in=ROLES):
        group.permissions.remove(
            *Permission.objects.filter(
                content_type__app_label="estimaciones", codename__in=ESCRITURA
            )
        )


class Migration(migrations.Migration):
    dependencies = [("estimaciones", "0001_estimaciones"), ("accounts", "0002_roles")]

    operations = [migrations.RunPython(dar_permisos, quitar_permisos)]
