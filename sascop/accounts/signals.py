"""Keep the user cache honest: any change to a user revokes its cached row."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from sascop.accounts.models import User
from sascop.accounts.selectors import forget_user, refresh_user


@receiver(post_save, sender=User, dispatch_uid="accounts.forget_saved_user")
def forget_saved_user(
    sender: Any,
    instance: User,
    created: bool = False,
    update_fields: frozenset[str] | None = None,
    **kwargs: Any,
) -> None:
    if created:
        return  # a new row was never cached
    if update_fields is not None and set(update_fields) <= {"last_login"}:
        # Every login stamps last_login; nothing that decides access reads it.
        refresh_user(instance.pk)
        return
    forget_user_in_transaction(instance.pk)


@receiver(post_delete, sender=User, dispatch_uid="accounts.forget_deleted_user")
def forget_deleted_user(sender: Any, instance: User, **kwargs: Any) -> None:
    forget_user_in_transaction(instance.pk)


def forget_user_in_transaction(user_id: Any) -> None:
    """Revoke now (a failure undoes the change: 503), and again once the change commits, in
    case the transaction outlived the revocation and a reader cached the old row meanwhile."""
    forget_user(user_id)
    transaction.on_commit(lambda: forget_user(user_id, durable=False))
