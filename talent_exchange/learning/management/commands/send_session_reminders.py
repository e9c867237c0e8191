"""``talent-exchange send_session_reminders``: e-mail everyone coming to a session in the next
24 hours, once. Safe to run as often as you like (the scheduler runs it every five minutes)."""

from datetime import UTC, datetime

from django.core.management.base import BaseCommand
from django.utils import timezone

from talent_exchange.learning.reminders import send_session_reminders


class Command(BaseCommand):
    help = "Send reminders of learning sessions starting within 24 hours."

    def add_arguments(self, parser):
        parser.add_argument(
            "--now", type=datetime.fromisoformat, help="Pretend it is YYYY-MM-DDTHH:MM (UTC)."
        )

    def handle(self, *args, now=None, **options):
        when = now.replace(tzinfo=UTC) if now and now.tzinfo is None else now
        sent = send_session_reminders(when or timezone.now())
        self.stdout.write(f"Sent {sent} session reminder(s).\n")
