"""What the import commands (`importar_precios`, `importar_ots`) do alike: the user the
activity log records, and the workbook opened, either stopping the command with the reason."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from django.core.management.base import CommandError
from django.utils.translation import gettext

from sascop.accounts.models import User


def usuario_de(nombre: str | None) -> User | None:
    """The user named by `--usuario` (None when not given); an unknown one stops the command."""
    if not nombre:
        return None
    usuario = User.objects.filter(username=nombre).first()
    if usuario is None:
        raise CommandError(gettext("There is no user %(user)r.") % {"user": nombre})
    return usuario


@contextlib.contextmanager
def abierto(archivo: Path) -> Iterator[IO[bytes]]:
    """The workbook at `archivo`, open for reading; a file that cannot be read (then or while
    it is read) stops the command."""
    try:
        with archivo.open("rb") as datos:
            yield datos
    except OSError as exc:
        raise CommandError(
            gettext("%(file)s cannot be read: %(reason)s.")
            % {"file": archivo, "reason": exc.strerror}
        ) from exc
