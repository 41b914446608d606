from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from sascop.core.signals import data_changed
from sascop.estadisticas.selectors import invalidar


@receiver(data_changed, dispatch_uid="estadisticas.invalidar")
def on_data_changed(sender: Any, **kwargs: Any) -> None:
    invalidar()
