"""The probe world, built once per test module and rolled back at its end (the sweeps ask
thousands of questions of the same rows; building them per test would cost most of the run)."""

from __future__ import annotations

import pytest
from django.db import transaction

from .world import ProbeWorld, build_probe_world


@pytest.fixture(scope="module")
def probe_world(django_db_setup, django_db_blocker) -> ProbeWorld:
    from conftest import build_world

    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield build_probe_world(build_world())
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def probe(probe_world, db) -> ProbeWorld:
    """The probe world inside the test's own transaction (what a test changes is undone)."""
    return probe_world
