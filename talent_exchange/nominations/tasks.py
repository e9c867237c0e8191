"""Background work of the nominations app: mail goes out through the task worker."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django_tasks import task


@task()
def send_notification(subject: str, body: str, recipients: list[str]) -> int:
    """Send one plain-text e-mail. Enqueued inside the service's transaction, so with the
    database task backend it goes out only if the change it reports was committed."""
    return send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)


@task()
def run_import(job_id: int) -> str:
    """Check and import one uploaded spreadsheet of nominations (see importer.py)."""
    from .importer import execute_import

    return execute_import(job_id)
