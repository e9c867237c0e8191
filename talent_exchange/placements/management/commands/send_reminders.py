"""``talent-exchange send_reminders``: the scheduled run (cron, or the task worker through
``placements.tasks.send_reminders_task``). Safe to run as often as you like."""

from datetime import date

from django.core.management.base import BaseCommand
from django.utils import timezone

from talent_exchange.placements.reminders import send_reminders


class Command(BaseCommand):
    help = "Send placement reminders that are due (signatures, check-ins, evaluations, outcomes)."

    def add_arguments(self, parser):
        parser.add_argument("--today", type=date.fromisoformat, help="Pretend today is YYYY-MM-DD.")

    def handle(self, *args, today=None, **options):
        sent = send_reminders(today or timezone.localdate())
        self.stdout.write(f"Sent {sent} reminder(s).\n")
