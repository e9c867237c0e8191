"""Background work of the reports app: writing a large report or a full history export."""

from __future__ import annotations

from django_tasks import task


@task()
def run_export(export_id: int) -> str:
    """Write one export and e-mail its link (services.execute_export)."""
    from .services import execute_export

    return execute_export(export_id)
