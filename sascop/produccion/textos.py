"""The texts the production pages' shared script (static produccion/comun.js) writes for
people while it saves a grid or a form, in the page's language: each page's own texts add
to these."""

from __future__ import annotations

from django.utils.translation import gettext


def textos_de_guardado() -> dict[str, str]:
    """Saving, saved, why nothing was saved, and the count of changes not saved yet."""
    return {
        "sin_cambios": gettext("No unsaved changes."),
        "un_cambio": gettext("1 unsaved change."),
        "cambios": gettext("%(n)s unsaved changes."),
        "guardando": gettext("Saving…"),
        "guardado": gettext("Saved."),
        "firmados": gettext("Nothing was saved: a signed-off (FIRMADO) day cannot change."),
        "no_guardado": gettext("Nothing was saved:"),
        "sin_red": gettext("Nothing was saved: the server could not be reached."),
    }
