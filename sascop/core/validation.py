from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models

from sascop.core.errors import InvalidInput


def validated(instance: models.Model) -> models.Model:
    """Run the model's own validation; its messages become a 400 with `fields`."""
    try:
        instance.full_clean()
    except ValidationError as exc:
        raise InvalidInput(fields=exc.message_dict) from exc
    return instance
