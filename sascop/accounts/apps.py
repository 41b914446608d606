from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "sascop.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from sascop.accounts import mfa, signals  # noqa: F401  (connect their receivers)
