"""Administración may see and end anybody's sessions (everybody may see and end their own)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

PERMISOS = ["view_sesion", "delete_sesion"]


def dar_permisos(apps, schema_editor):
    # Permissions are normally created after all migrations ran; the role needs them now.
    app_config = apps.get_app_config("accounts")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="Administración")
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="accounts", codename__in=PERMISOS)
    )


def quitar_permisos(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    for group in apps.get_model("auth", "Group").objects.filter(name="Administración"):
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label="accounts", codename__in=PERMISOS)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_sesiones"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(dar_permisos, quitar_permisos)]
