"""Each user's columns per list ("Configurar tabla"), read once per page."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sascop.core.pages.models import PreferenciaTabla


def columnas_de(usuario: Any, tabla: str) -> list[str] | None:
    """The columns `usuario` chose for `tabla`, in order (None: the list's own)."""
    if not getattr(usuario, "is_authenticated", False):
        return None
    fila = (
        PreferenciaTabla.objects.filter(usuario_id=usuario.pk, tabla=tabla)
        .values_list("columnas", flat=True)
        .first()
    )
    return list(fila) if fila else None


def guardar_columnas(*, usuario: Any, tabla: str, columnas: Sequence[str]) -> None:
    """Remember `columnas` for `usuario`'s `tabla`; none means back to the list's own."""
    if not columnas:
        PreferenciaTabla.objects.filter(usuario_id=usuario.pk, tabla=tabla).delete()
        return
    PreferenciaTabla.objects.update_or_create(
        usuario_id=usuario.pk, tabla=tabla, defaults={"columnas": list(columnas)}
    )
