"""``talent-exchange restore DIRECTORY [--database-url URL]``: load a back-up into an empty
database (DATABASE_URL's, or the one named) and check it against the back-up's manifest."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from talent_exchange.operations.backup import BackupError, Database, restore


class Command(BaseCommand):
    help = "Restore a back-up into an empty database and verify every table and the audit trail."

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path)
        parser.add_argument(
            "--database-url", default="", help="the empty database (default: DATABASE_URL's)"
        )

    def handle(self, *args, directory: Path, database_url: str, **options):
        try:
            target = Database.from_url(database_url) if database_url else Database.default()
            found = restore(directory, target)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Restored {len(found['tables'])} tables into {target.name}; every row count and "
            "the audit trail's checksum match the back-up."
        )
