"""The order of the suite and how pytest-xdist shares it out (``--dist loadgroup``).

- The browser tests run first, a module at a time on whichever worker is free (each worker
  has its own Chromium and live server): they are the longest tests, and one worker running
  them all (as before) was the suite's critical path — 125 of the 140 seconds that the
  issue-9 tests take, say. A module stays on one worker, in its own order.
- A module with a module-scoped fixture (the probe world) runs on one worker, so that world
  is built once, not once per worker — except the ``world``'s rows (``_world_rows``, see
  tests/shared_world.py): they are cheap enough for each worker to build its own, and
  grouping the 80 modules that use them would leave the workers unevenly loaded.
- The tests that read the session's demo (``seeded_demo``) run last, on one worker: the demo
  is seeded once, and no other test ever sees its rows.

Without xdist (``-n 0``) the same order holds; the groups only matter to the scheduler.

xdist 3.8 tells its scheduler an item's group by appending ``@group`` to the item's node id,
which it does by setting ``item._nodeid``; pytest 9.2 keeps the id in ``item._id``, so the
suffix was silently lost and every test was scheduled on its own (pytest-xdist#1386): the
browser tests ran on both workers, the probe world was built on both, the demo seeded on
both. ``Order`` puts the suffix where pytest keeps the id, until xdist does it itself.
"""

from __future__ import annotations

import pytest

BROWSER, DEMO = "browser", "demo"
PER_WORKER = {"_world_rows"}  # wider-scoped fixtures each worker may build for itself


def _group(item) -> str | None:
    fixtures = getattr(item, "fixturenames", ())
    if "seeded_demo" in fixtures:
        return DEMO
    if item.get_closest_marker("browser") is not None:
        return f"{BROWSER}.{item.module.__name__}"
    defs = getattr(getattr(item, "_fixtureinfo", None), "name2fixturedefs", {})
    if any(
        d.scope in ("module", "class", "package")
        for name, ds in defs.items()
        if name not in PER_WORKER
        for d in ds
    ):
        return item.module.__name__
    return None


def _rank(item) -> int:
    group = _group(item) or ""
    if group.startswith(BROWSER + "."):
        return 0
    return 2 if group == DEMO else 1


@pytest.hookimpl(tryfirst=True)  # before xdist reads the groups
def pytest_collection_modifyitems(config, items) -> None:
    for item in items:
        group = _group(item)
        if group is not None:
            item.add_marker(pytest.mark.xdist_group(group))


class Order:
    """The order, set after every other plugin's (pytest-django sorts by kind of database
    use: plain tests, then transactional ones, then those without a database); the sort is
    stable, so the middle keeps pytest-django's order."""

    @pytest.hookimpl(trylast=True)
    def pytest_collection_modifyitems(self, config, items) -> None:
        items.sort(key=_rank)
        if getattr(config.option, "loadgroup", False):  # an xdist worker with --dist loadgroup
            for item in items:
                _name_the_group_in_the_node_id(item)


def _name_the_group_in_the_node_id(item) -> None:
    """What xdist's worker means to do (``<node id>@<group>``), where pytest 9.2 keeps the id."""
    from _pytest.nodeid import coerce_node_id

    marks = item.iter_markers("xdist_group")
    names = sorted({str(m.args[0] if m.args else m.kwargs.get("name", "default")) for m in marks})
    suffix = "@" + "_".join(names)
    if names and not item.nodeid.endswith(suffix) and hasattr(item, "_id"):
        item._id = coerce_node_id(item.nodeid + suffix)


def pytest_configure(config) -> None:
    config.pluginmanager.register(Order(), "tests-ordering")
