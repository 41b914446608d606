"""Superintendents and guard cycles in the roles: everyone reads them (the guard calendar and
the site board show them); Administración keeps them, as every catalog."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

LECTURA = ["view_superintendente", "view_cicloguardia"]
ROLES = {
    "Consulta": LECTURA,
    "Captura de producción": LECTURA,
    "Ingeniería": LECTURA,
    "Administración": [
        *LECTURA,
        "add_superintendente",
        "change_superintendente",
        "add_cicloguardia",
        "change_cicloguardia",
    ],
}
TODOS = sorted({codigo for codigos in ROLES.values() for codigo in codigos})


def dar_permisos(apps, schema_editor):
    # Permissions are normally created after all migrations ran; the roles need them now.
    app_config = apps.get_app_config("catalogos")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for nombre, codigos in ROLES.items():
        group, _ = Group.objects.get_or_create(name=nombre)
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="catalogos", codename__in=codigos)
        )


def quitar_permisos(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    for group in apps.get_model("auth", "Group").objects.filter(name__in=ROLES):
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label="catalogos", codename__in=TODOS)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("catalogos", "0003_superintendentes_y_guardias"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(dar_permisos, quitar_permisos)]
