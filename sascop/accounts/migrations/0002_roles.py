"""The four roles, as Django groups with model permissions (SPEC §1)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

READ = {
    "catalogos": ["tipo", "cliente", "responsableproyecto", "paso", "pasoot", "frente", "sitio",
                  "unidadmedida", "partida"],
    "ptes": ["pte", "ptedetalle"],
    "ots": ["ot", "otdetalle"],
    "produccion": ["produccion"],
}

ROLES = {
    "Consulta": [],
    "Captura de producción": [
        "produccion.add_produccion",
        "produccion.change_produccion",
        "produccion.delete_produccion",
    ],
    "Ingeniería": [
        "ptes.add_pte", "ptes.change_pte", "ptes.delete_pte", "ptes.change_ptedetalle",
        "ots.add_ot", "ots.change_ot", "ots.delete_ot", "ots.change_otdetalle",
    ],
    "Administración": [
        "ptes.add_pte", "ptes.change_pte", "ptes.delete_pte", "ptes.change_ptedetalle",
        "ots.add_ot", "ots.change_ot", "ots.delete_ot", "ots.change_otdetalle",
        "produccion.add_produccion", "produccion.change_produccion",
        "produccion.delete_produccion",
        "actividad.view_registroactividad",
        "accounts.view_user", "accounts.add_user", "accounts.change_user",
        "auth.view_group",
        *(
            f"catalogos.{action}_{model}"
            for model in READ["catalogos"]
            for action in ("add", "change")
        ),
    ],
}


def crear_roles(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    lectura = [f"{app}.view_{model}" for app, models in READ.items() for model in models]
    for name, extra in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        wanted = set(lectura) | set(extra)
        for perm in wanted:
            app_label, codename = perm.split(".")
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )


def borrar_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("catalogos", "0001_initial"),
        ("ptes", "0001_initial"),
        ("ots", "0001_initial"),
        ("produccion", "0001_initial"),
        ("actividad", "0001_initial"),
    ]

    operations = [migrations.RunPython(crear_roles, borrar_roles)]
