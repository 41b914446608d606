from __future__ import annotations

import os
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from sascop.accounts.models import User


class Command(BaseCommand):
    help = "Create (or reset) the demo administrator and print its credentials."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--username", default=os.environ.get("DEMO_ADMIN_USER", "admin"))
        parser.add_argument(
            "--password", default=os.environ.get("DEMO_ADMIN_PASSWORD", "sascop-demo-2026")
        )

    def handle(self, *args: Any, username: str, password: str, **options: Any) -> None:
        if settings.PRODUCTION:
            raise CommandError("The demo administrator is for development only.")
        user, created = User.objects.get_or_create(
            username=username, defaults={"email": f"{username}@sascop.local"}
        )
        user.is_staff = user.is_superuser = user.is_active = True
        user.set_password(password)
        user.save()
        verb = "Created" if created else "Reset"
        self.stdout.write(
            f"{verb} demo administrator -> usuario: {username}  contraseña: {password}"
        )
