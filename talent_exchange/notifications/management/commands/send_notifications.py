"""``talent-exchange send_notifications``: deliver the messages still waiting (one lost on its
way to the worker). Scheduled every five minutes; safe to run as often as you like."""

from django.core.management.base import BaseCommand

from talent_exchange.notifications.services import deliver_pending


class Command(BaseCommand):
    help = "Deliver e-mails that were stored but not yet sent."

    def handle(self, *args, **options):
        self.stdout.write(f"{deliver_pending()} waiting e-mail(s) delivered.\n")
