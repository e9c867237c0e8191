"""``talent-exchange recover_tasks``: tasks whose worker stopped (killed, crashed) are marked
failed with that reason, and each is retried or its work marked failed (recovery.py).
Scheduled every five minutes; safe to run as often as you like."""

from django.core.management.base import BaseCommand

from talent_exchange.operations.recovery import recover_lost_tasks


class Command(BaseCommand):
    help = "Recover the tasks of task workers that stopped."

    def handle(self, *args, **options):
        recovered = recover_lost_tasks()
        for line in recovered:
            self.stdout.write(line)
        self.stdout.write(f"{len(recovered)} task(s) recovered.")
