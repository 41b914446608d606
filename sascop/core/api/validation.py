from __future__ import annotations

from collections.abc import Collection

from django.core.exceptions import ValidationError
from django.db import models

from sascop.core.errors import InvalidInput


def validated(
    instance: models.Model, *, check_unique: bool = True, exclude: Collection[str] = ()
) -> models.Model:
    """Run the model's own validation; its messages become a 400 with `fields`.

    `check_unique=False` skips the uniqueness and constraint checks (one query each), for
    callers that check a whole batch at once. `exclude`: fields not validated, for callers
    that set them from rows they have just read (a foreign key's check is a query each).
    """
    try:
        instance.full_clean(
            exclude=exclude, validate_unique=check_unique, validate_constraints=check_unique
        )
    except ValidationError as exc:
        raise InvalidInput(fields=exc.message_dict) from exc
    return instance
