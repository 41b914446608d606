"""OT statuses move to the codes the client's own system uses.

Old code → new code, by what each state meant:

* 1 Por iniciar  → 5 ASIGNADA: the order is assigned to us and work has not begun; the
  client's "Diferida (sin iniciar)" (16) means postponed before starting, which the old
  state never said.
* 2 En proceso   → 8 EN EJECUCION.
* 3 Terminada    → 10 TERMINADA. `fecha_termino_real` is left as it was: the date a past OT
  finished is unknown, and stamping the migration's date would invent one.
* 4 Cancelada    → 6 CANCELADA.
* 9 Suspendida   → 9 SUSPENDIDA (the same code in both lists).

No new code is an old one being moved (5, 6, 8, 10 against 1, 2, 3, 4), so the updates cannot
step on each other. Going back maps each new code to its old one and the three states the old
list lacked to their nearest: 7 DIFERIDA and 11 POR CANCELAR (work stopped, the order still
alive) → 9 Suspendida, 16 DIFERIDA (SIN INICIAR) → 1 Por iniciar.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations, models

ADELANTE = {1: 5, 2: 8, 3: 10, 4: 6}
ATRAS = {5: 1, 8: 2, 10: 3, 6: 4, 7: 9, 11: 9, 16: 1}


def _mover(mapa: dict[int, int]) -> Any:
    def mover(apps: Any, schema_editor: Any) -> None:
        OT = apps.get_model("ots", "OT")
        for viejo, nuevo in mapa.items():
            OT._base_manager.filter(estatus=viejo).update(estatus=nuevo)

    return mover


class Migration(migrations.Migration):
    dependencies = [("ots", "0001_initial")]

    operations = [
        migrations.RunPython(_mover(ADELANTE), _mover(ATRAS)),
        migrations.AlterField(
            model_name="ot",
            name="estatus",
            field=models.PositiveSmallIntegerField(
                choices=[
                    (5, "Asignada"),
                    (6, "Cancelada"),
                    (7, "Diferida"),
                    (8, "En ejecución"),
                    (9, "Suspendida"),
                    (10, "Terminada"),
                    (11, "Por cancelar"),
                    (16, "Diferida (sin iniciar)"),
                ],
                default=5,
            ),
        ),
    ]
