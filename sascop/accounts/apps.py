from __future__ import annotations

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "sascop.accounts"
    label = "accounts"
    verbose_name = "Cuentas"
