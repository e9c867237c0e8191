"""``seed_demo``: load the demo programs, people and one account per role (idempotent)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from talent_exchange.nonprod.demo_data import seed


class Command(BaseCommand):
    help = "Load the demo data and print the demo logins. Safe to run again."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Seed even when DEMO_MODE is off (the demo accounts have a known password).",
        )

    def handle(self, *args, force: bool = False, **options):
        if not settings.DEMO_MODE and not force:
            raise CommandError(
                "DEMO_MODE is off: the demo accounts share a published password, so they are "
                "only created in demo mode. Use --force if you really mean it."
            )
        seed(stdout=self.stdout)
