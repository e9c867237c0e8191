"""Placement reminders sent before the outbox existed are not sent again after the upgrade."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [
    ("placements", "0002_no_overlapping_running_placements"),
    ("notifications", "0001_initial"),
]
AFTER = [("placements", "0003_outbox_replaces_sent_reminders")]


@pytest.mark.django_db(transaction=True)
def test_sent_reminders_become_sent_notifications():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    old.get_model("placements", "SentReminder").objects.create(
        key="checkin:12:overdue", recipients="ada@example.org"
    )
    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    executor.loader.build_graph()
    new = executor.loader.project_state(AFTER).apps
    notification = new.get_model("notifications", "Notification").objects.get()
    assert notification.key == "placements:checkin:12:overdue"
    assert notification.sent_at is not None and notification.sent_at <= timezone.now()
    executor.migrate(executor.loader.graph.leaf_nodes())  # back to today's schema
