"""Background tasks: the reminder run, for deployments that schedule through the worker."""

from django.utils import timezone
from django_tasks import task

from .reminders import send_reminders


@task()
def send_reminders_task() -> int:
    return send_reminders(timezone.localdate())
