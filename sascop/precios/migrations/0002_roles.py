"""The price book in the roles of accounts/0002_roles: every role reads it; Administración
imports and edits it and authorises extraordinary concepts (PUE)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

MODELOS = ["contrato", "anexo", "concepto"]
ROLES = {
    "Consulta": [f"view_{m}" for m in MODELOS],
    "Captura de producción": [f"view_{m}" for m in MODELOS],
    "Ingeniería": [f"view_{m}" for m in MODELOS],
    "Administración": [
        *(f"{accion}_{m}" for m in MODELOS for accion in ("view", "add", "change")),
        "autorizar_concepto",
    ],
}


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
        group.permissions.remove(*Permission.objects.filter(content_type__app_label="precios"))


class Migration(migrations.Migration):
    dependencies = [
        ("precios", "0001_initial"),
        ("accounts", "0002_roles"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(dar_permisos, quitar_permisos)]
