"""Background tasks: the session reminders, for deployments that schedule through the worker."""

from django.utils import timezone
from django_tasks import task

from .reminders import send_session_reminders


@task()
def send_session_reminders_task() -> int:
    return send_session_reminders(timezone.now())
