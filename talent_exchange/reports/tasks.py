"""Background work of the reports app: writing a large report or a full history export, and
checking (a dry run) or committing an import. A slow report, export or import never runs in
a web request; its page follows the progress."""

from __future__ import annotations

from django_tasks import task


@task()
def run_export(export_id: int) -> str:
    """Write one export and e-mail its link (services.execute_export)."""
    from .services import execute_export

    return execute_export(export_id)


@task()
def run_import(import_id: int) -> str:
    """Check an uploaded file row by row, or import it in one transaction, according to its
    status (services.execute_import)."""
    from .services import execute_import

    return execute_import(import_id)
