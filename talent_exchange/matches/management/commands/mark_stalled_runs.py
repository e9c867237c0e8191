"""Mark match runs whose worker stopped as failed, and unanswered offers past their deadline
as expired. Safe to run as often as you like (e.g. every few minutes from cron)."""

from django.core.management.base import BaseCommand

from talent_exchange.matches.services import expire_offers, mark_stalled_runs


class Command(BaseCommand):
    help = "Fail match runs whose worker stopped; expire offers past their deadline."

    def handle(self, *args, **options):
        runs = mark_stalled_runs()
        offers = expire_offers()
        self.stdout.write(f"{runs} stalled run(s) marked failed; {offers} offer(s) expired.")
