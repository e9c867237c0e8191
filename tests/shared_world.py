"""The ``world`` fixture's rows, built once for a module's tests rather than once per test.

Building the world costs about 0.1 CPU-s and 96 queries, and some 1,500 tests ask for it. So
when a test of a module first asks for it, its rows are built inside a transaction that stays
open while the module's next tests ask for it too; each test's own transaction is then a
savepoint inside it, so what a test writes is undone after it, and the rows are rolled back
after the module. Each test gets its own copy of the objects (``copy.deepcopy``, as Django's
``setUpTestData`` does), so what one test changes in memory never reaches the next.

The rows are shared only between tests that would have seen the same database. Before any
other test that uses the database (one of the module's tests that expects empty tables, a
transactional test — it commits, its threads and processes have their own connections, it
flushes the tables — or a reader of the session's demo) the transaction is rolled back, and
the module's next test that asks for the world builds it again. Transactional tests and the
demo's readers build their own world, as before.

The module's fixture (``_world_rows`` in the root conftest) is set up before any test's
database fixture, as pytest sets up wider scopes first; the switch between tests is made in
``pytest_runtest_setup``, before the next test's fixtures.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from typing import Any

from django.db import transaction

_current: SharedWorld | None = None  # the module's rows, while its fixture is set up
_item = None  # the test being set up


class SharedWorld:
    def __init__(self, module: str, blocker, build: Callable[[], Any]) -> None:
        self.module = module
        self._blocker = blocker
        self._build = build
        self._atomic: transaction.Atomic | None = None
        self._world: Any = None

    @property
    def is_open(self) -> bool:
        return self._atomic is not None

    def open(self) -> None:
        if self._atomic is not None:
            return
        with self._blocker.unblock():
            atomic = transaction.atomic()
            atomic.__enter__()
            try:
                self._world = self._build()
            except BaseException:
                transaction.set_rollback(True)
                atomic.__exit__(None, None, None)
                raise
        self._atomic = atomic

    def close(self) -> None:
        if self._atomic is None:
            return
        atomic, self._atomic, self._world = self._atomic, None, None
        with self._blocker.unblock():
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)

    def copy(self) -> Any:
        """The objects as they were built, for one test."""
        return copy.deepcopy(self._world)


def for_module(module: str, blocker, build: Callable[[], Any]) -> Iterator[SharedWorld]:
    """The body of the module-scoped fixture."""
    global _current
    shared = _current = SharedWorld(module, blocker, build)
    if _item is not None and wants_it(_item):
        shared.open()
    try:
        yield shared
    finally:
        shared.close()
        _current = None


def before_setup(item) -> None:
    """Called before each test's fixtures: keep, build again or roll back the module's rows."""
    global _item
    _item = item
    if _current is None:
        return
    if wants_it(item) and _current.module == _module_of(item):
        _current.open()
    elif _uses_database(item):
        _current.close()


def wants_it(item) -> bool:
    """The test takes the root conftest's ``world`` and runs inside a rolled-back transaction."""
    defs = getattr(getattr(item, "_fixtureinfo", None), "name2fixturedefs", {}).get("world")
    if not defs or defs[-1].baseid != "":  # not asked for, or a module's own ``world``
        return False
    return not _transactional(item) and "seeded_demo" not in item.fixturenames


def _module_of(item) -> str:
    return getattr(getattr(item, "module", None), "__name__", "")


def _transactional(item) -> bool:
    """What pytest-django counts as a transactional test (it sorts them after the others)."""
    from django.test import TestCase, TransactionTestCase

    cls = getattr(item, "cls", None)
    if cls is not None and issubclass(cls, TransactionTestCase):
        return not issubclass(cls, TestCase)
    marker = item.get_closest_marker("django_db")
    if marker is not None and _flushes(*marker.args, **marker.kwargs):
        return True
    return bool({"transactional_db", "live_server"} & set(item.fixturenames))


def _flushes(transaction=False, reset_sequences=False, *_args, **_kwargs) -> bool:
    """``django_db``'s arguments: a transactional test, or one that resets the sequences."""
    return bool(transaction or reset_sequences)


def _uses_database(item) -> bool:
    from django.test import TransactionTestCase

    cls = getattr(item, "cls", None)
    if cls is not None and issubclass(cls, TransactionTestCase):
        return True
    names = set(getattr(item, "fixturenames", ()))
    return (
        item.get_closest_marker("django_db") is not None
        or bool({"db", "transactional_db", "live_server", "django_db_blocker"} & names)
        or _transactional(item)
    )
