"""Mark match runs whose worker stopped as failed, queue again publications whose worker
stopped (they resume where they were), and expire unanswered offers past their deadline.
Safe to run as often as you like (e.g. every few minutes from cron)."""

from django.core.management.base import BaseCommand

from talent_exchange.matches.services import (
    expire_offers,
    mark_stalled_runs,
    resume_stalled_publishing,
)


class Command(BaseCommand):
    help = (
        "Fail match runs whose worker stopped; resume stalled publications; expire offers "
        "past their deadline."
    )

    def handle(self, *args, **options):
        runs = mark_stalled_runs()
        publications = resume_stalled_publishing()
        offers = expire_offers()
        self.stdout.write(
            f"{runs} stalled run(s) marked failed; {publications} publication(s) resumed; "
            f"{offers} offer(s) expired."
        )
