"""The worker's part of the notification path (services.notify)."""

from __future__ import annotations

from django_tasks import task

from . import services


@task()
def deliver_notification(notification_id: int) -> bool:
    """Send one stored message (nothing if it went out already)."""
    return services.deliver(notification_id)
