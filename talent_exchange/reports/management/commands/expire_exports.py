"""``talent-exchange expire_exports``: remove the files of exports older than
``EXPORT_RETENTION_DAYS`` and mark them expired (daily; safe to run as often as you like)."""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from talent_exchange.reports.services import expire_exports


class Command(BaseCommand):
    help = "Remove export files older than the retention period; their pages offer them again."

    def handle(self, *args: Any, **options: Any) -> None:
        expired, strays = expire_exports()
        self.stdout.write(
            f"{expired} export(s) expired after {settings.EXPORT_RETENTION_DAYS} days; "
            f"{strays} stray file(s) removed."
        )
