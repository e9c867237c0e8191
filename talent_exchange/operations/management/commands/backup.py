"""``talent-exchange backup DIRECTORY``: a consistent back-up of the database (pg_dump's
custom format) and its manifest (row counts, audit-trail checksum)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from talent_exchange.operations.backup import BackupError, take


class Command(BaseCommand):
    help = "Back up the database into a new directory (database.dump and manifest.json)."

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path)

    def handle(self, *args, directory: Path, **options):
        try:
            manifest = take(directory)
        except BackupError as error:
            raise CommandError(str(error)) from error
        rows = sum(manifest["tables"].values())
        self.stdout.write(
            f"Backed up {len(manifest['tables'])} tables ({rows} rows) into {directory}; "
            f"audit trail checksum {manifest['audit_checksum'][:16]}…"
        )
