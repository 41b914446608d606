from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from sascop.accounts import history


class Command(BaseCommand):
    help = (
        "Delete login-history events older than LOGIN_HISTORY_DAYS (run daily, like clearsessions)."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--days", type=int, default=None, help="override LOGIN_HISTORY_DAYS")

    def handle(self, *args: Any, days: int | None, **options: Any) -> None:
        deleted = history.prune(days=days)
        self.stdout.write(f"Deleted {deleted} login-history events.")
