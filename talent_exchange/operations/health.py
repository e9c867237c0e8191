"""Readiness: may a load balancer send this server traffic? Yes when the database answers,
the task queue's table can be read and every migration this code knows is applied (during
an upgrade a new server stays out of rotation until ``migrate`` has run)."""

from __future__ import annotations

from collections.abc import Callable

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor

_migrated = False


def database() -> None:
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute("SELECT 1")


def queue() -> None:
    """The task backend is configured and its queue can be read."""
    from django_tasks import task_backends
    from django_tasks_db.models import DBTaskResult

    task_backends["default"]  # raises for a misconfigured backend
    DBTaskResult.objects.filter(status="READY").exists()


def migrations() -> None:
    global _migrated
    if _migrated:  # applied migrations are never unapplied under a running server
        return
    executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if plan:
        raise RuntimeError(f"{len(plan)} migration(s) not applied")
    _migrated = True


CHECKS: dict[str, Callable[[], None]] = {
    "database": database,
    "queue": queue,
    "migrations": migrations,
}


def readiness() -> dict[str, str]:
    """Each check's outcome: "ok", or the kind of failure (never its details: the endpoint
    is public to the load balancer)."""
    outcome = {}
    for name, check in CHECKS.items():
        try:
            check()
        except Exception as failure:
            outcome[name] = type(failure).__name__
        else:
            outcome[name] = "ok"
    return outcome
