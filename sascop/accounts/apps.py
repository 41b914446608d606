from __future__ import annotations

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "sascop.accounts"
    label = "accounts"
    verbose_name = "Cuentas"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from sascop.accounts import signals  # noqa: F401  (connects the receivers)

        # Django's own receiver saves last_login at once; ours (signals.stamp_last_login) lets
        # a login send it with its other rows (core.escrituras).
        user_logged_in.disconnect(dispatch_uid="update_last_login")
