"""``talent-exchange purge_expired_records``: apply every program's retention period (daily;
safe to run as often as you like)."""

from django.core.management.base import BaseCommand

from talent_exchange.privacy.services import purge_expired


class Command(BaseCommand):
    help = "Remove personal details of placements past their program's retention period."

    def handle(self, *args, **options):
        self.stdout.write(f"{purge_expired()} placement(s) purged under the retention schedule.")
