"""Administración reads everybody's login history (everybody reads their own)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations


def dar_permiso(apps, schema_editor):
    app_config = apps.get_app_config("accounts")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="Administración")
    group.permissions.add(
        Permission.objects.get(content_type__app_label="accounts", codename="view_eventoacceso")
    )


def quitar_permiso(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    for group in apps.get_model("auth", "Group").objects.filter(name="Administración"):
        group.permissions.remove(
            *Permission.objects.filter(
                content_type__app_label="accounts", codename="view_eventoacceso"
            )
        )


class Migration(migrations.Migration):
    dependencies = [("accounts", "0006_historial_accesos"), ("accounts", "0005_sesiones_administracion")]

    operations = [migrations.RunPython(dar_permiso, quitar_permiso)]
