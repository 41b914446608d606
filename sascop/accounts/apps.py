from __future__ import annotations

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "sascop.accounts"
    label = "accounts"
    verbose_name = "Cuentas"

    def ready(self) -> None:
        from sascop.accounts import mfa, signals  # noqa: F401  (connect their receivers)
