"""Background work of the nominations app: the spreadsheet import. (Mail goes through the
notification path, talent_exchange.notifications.)"""

from __future__ import annotations

from django_tasks import task


@task()
def run_import(job_id: int) -> str:
    """Check and import one uploaded spreadsheet of nominations (see importer.py)."""
    from .importer import execute_import

    return execute_import(job_id)
