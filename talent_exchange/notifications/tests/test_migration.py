"""Placement reminders sent before the outbox existed are not sent again after the upgrade.

The migration runs in a scratch database of its own (in memory on SQLite, a database on
PostgreSQL), migrated from empty to just before it and then through it. The test database
is not touched, so no test waits for today's schema to be unwound and rebuilt (that cost
the suite a minute and a half on SQLite).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [
    ("placements", "0002_no_overlapping_running_placements"),
    ("notifications", "0001_initial"),
]
AFTER = [("placements", "0003_outbox_replaces_sent_reminders")]
SCRATCH = "scratch"


@contextmanager
def scratch_database() -> Iterator[BaseDatabaseWrapper]:
    """A connection to a new, empty database of the test database's kind, dropped after
    (in memory on SQLite)."""
    settings_dict = dict(connection.settings_dict)
    on_sqlite = connection.vendor == "sqlite"
    if on_sqlite:
        settings_dict["NAME"] = "file:scratch?mode=memory&cache=shared"
    else:
        settings_dict["NAME"] = f"{settings_dict['NAME']}_scratch"
        with connection._nodb_cursor() as cursor:  # the server's maintenance database
            cursor.execute(f'DROP DATABASE IF EXISTS "{settings_dict["NAME"]}"')
            cursor.execute(f'CREATE DATABASE "{settings_dict["NAME"]}"')
    connections.settings[SCRATCH] = settings_dict
    try:
        yield connections[SCRATCH]
    finally:
        connections[SCRATCH].close()
        del connections[SCRATCH]
        del connections.settings[SCRATCH]
        if not on_sqlite:
            with connection._nodb_cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{settings_dict["NAME"]}"')


def test_sent_reminders_become_sent_notifications(django_db_blocker):
    # Not a django_db test: it never touches the test database, and a database test case
    # would refuse the scratch connection; the blocker is lifted for this test alone.
    with django_db_blocker.unblock(), scratch_database() as scratch:
        executor = MigrationExecutor(scratch)
        executor.migrate(BEFORE)
        old = executor.loader.project_state(BEFORE).apps
        old.get_model("placements", "SentReminder").objects.using(SCRATCH).create(
            key="checkin:12:overdue", recipients="ada@example.org"
        )
        executor = MigrationExecutor(scratch)
        executor.migrate(AFTER)
        new = executor.loader.project_state(AFTER).apps
        notification = new.get_model("notifications", "Notification").objects.using(SCRATCH).get()
    assert notification.key == "placements:checkin:12:overdue"
    assert notification.sent_at is not None and notification.sent_at <= timezone.now()
