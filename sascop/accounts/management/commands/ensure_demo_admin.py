from __future__ import annotations

import os
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from sascop.accounts.models import User


class Command(BaseCommand):
    help = (
        "Create the demo administrator if it does not exist and print its credentials; "
        "an existing one is left as it is (its password included)."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--username", default=os.environ.get("DEMO_ADMIN_USER", "admin"))
        parser.add_argument(
            "--password", default=os.environ.get("DEMO_ADMIN_PASSWORD", "sascop-demo-2026")
        )

    def handle(self, *args: Any, username: str, password: str, **options: Any) -> None:
        if settings.PRODUCTION:
            raise CommandError("The demo administrator is for development only.")
        if User.objects.filter(username__iexact=username).exists():
            # Every `dev.py run` calls this: a password changed since must survive restarts.
            self.stdout.write(
                f"Demo administrator {username!r} already exists; left unchanged "
                "(its password too)."
            )
            return
        User.objects.create_superuser(
            username=username, email=f"{username}@sascop.local", password=password
        )
        self.stdout.write(
            f"Created demo administrator -> usuario: {username}  contraseña: {password}"
        )
