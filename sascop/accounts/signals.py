"""Keep the user cache honest: any save or delete of a user drops its cached row."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from sascop.accounts.models import User
from sascop.accounts.selectors import forget_user


@receiver(post_save, sender=User, dispatch_uid="accounts.forget_saved_user")
@receiver(post_delete, sender=User, dispatch_uid="accounts.forget_deleted_user")
def forget_changed_user(sender: Any, instance: User, **kwargs: Any) -> None:
    forget_user(instance.pk)
    # A request running meanwhile may cache the old row again before this transaction
    # commits; forgetting once more after the commit closes that window.
    transaction.on_commit(lambda: forget_user(instance.pk))
