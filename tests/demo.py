"""The demo data, seeded once per test session for the tests that only read it.

Seeding the whole demo takes about a second; dozens of tests read it. ``seeded_demo`` seeds
and commits it once per session (per xdist worker), and each test still runs in its own
transaction, rolled back, so a test that writes leaves the next one the same demo.
"""

from __future__ import annotations

from datetime import date

import pytest
from django.test import override_settings

DEMO_TODAY = date(2026, 11, 22)


@pytest.fixture(scope="session")
def _demo_seeded_once(django_db_setup, django_db_blocker, tmp_path_factory):
    from talent_exchange.nonprod.demo_data import seed

    mail = tmp_path_factory.mktemp("demo-mail")
    with django_db_blocker.unblock(), override_settings(DEMO_MAIL_DIR=mail):
        _ids_from_one()
        return seed(today=DEMO_TODAY)


def _ids_from_one() -> None:
    """Empty tables number their rows from 1 again, as on a fresh database, so the demo has
    the same ids in every run whatever the tests before it inserted and rolled back or
    flushed (pages addressed by id, like ``/…/1/``, then show the same rows)."""
    from django.core.management.color import no_style
    from django.db import connection

    with connection.cursor() as cursor:
        empty = [
            sequence
            for sequence in connection.introspection.sequence_list()
            if not _has_rows(cursor, connection.ops.quote_name(sequence["table"]))
        ]
        for statement in connection.ops.sequence_reset_by_name_sql(no_style(), empty):
            cursor.execute(statement)


def _has_rows(cursor, table: str) -> bool:
    cursor.execute(f"SELECT 1 FROM {table} LIMIT 1")  # noqa: S608 (a quoted table name)
    return cursor.fetchone() is not None


@pytest.fixture
def seeded_demo(_demo_seeded_once, db):
    """The demo data as `make demo` loads it on DEMO_TODAY (its summary is returned).

    Tests that use it run after every other test (tests/ordering.py), so no other test
    ever sees the demo rows. They must not flush the database (no ``transaction=True``)."""
    return _demo_seeded_once
