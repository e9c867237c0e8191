"""Real concurrent transactions for tests: ``race`` runs actions at the same moment in
threads with their own connections; the ``concurrent_db`` fixture (registered in the root
conftest) points those connections at a database that allows real concurrency. Why SQLite
needs a file for that is explained in talent_exchange/matches/tests/test_concurrency.py."""

from __future__ import annotations

import sqlite3
import threading

import pytest
from django.db import connection, connections

from talent_exchange.core.exceptions import ActionRefused


@pytest.fixture
def concurrent_db(tmp_path):
    """Make new connections (the threads') reach a database that allows real concurrency;
    yields ``after(fn)``, which runs ``fn`` on such a connection (for the assertions)."""
    original = connections.settings["default"]
    swapped = connection.vendor == "sqlite" and connection.is_in_memory_db()
    if swapped:
        connection.ensure_connection()
        path = tmp_path / "concurrency.sqlite3"
        target = sqlite3.connect(path)
        connection.connection.backup(target)
        target.close()
        connections.settings["default"] = {**original, "NAME": str(path)}

    def after(fn):
        return race(fn)[0][1]

    yield after
    connections.settings["default"] = original


def race(*actions):
    """Run the actions at the same moment in threads; return each one's outcome."""
    barrier = threading.Barrier(len(actions))
    outcomes: list = [None] * len(actions)

    def worker(i, action):
        try:
            connection.ensure_connection()  # connect first, so that both really start together
            barrier.wait()
            outcomes[i] = ("ok", action())
        except ActionRefused as refusal:
            outcomes[i] = ("refused", refusal.message)
        except Exception as error:
            outcomes[i] = ("error", f"{type(error).__name__}: {error}")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i, a)) for i, a in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes
