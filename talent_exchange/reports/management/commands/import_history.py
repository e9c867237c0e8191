"""Check (by default) or import a history file (docs/history-format.md)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from talent_exchange.reports.history import FormatError, import_history


class Command(BaseCommand):
    help = "Import a history file: a dry run unless --commit; all or nothing."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file")
        parser.add_argument(
            "--as", dest="as_user", default="", help="the account the audit trail names"
        )
        parser.add_argument("--commit", action="store_true", help="write (otherwise only check)")

    def handle(self, *args: Any, **options: Any) -> None:
        User = get_user_model()
        actor = (
            User.objects.filter(email__iexact=options["as_user"]).first()
            if options["as_user"]
            else None
        )
        try:
            with open(options["file"], "rb") as stream:
                result = import_history(
                    stream, actor, dry_run=not options["commit"], keep_rows=False
                )
        except FormatError as error:
            raise CommandError(str(error)) from None
        for section, counts in result.counts.items():
            self.stdout.write(
                f"{section}: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items()))
            )
        for fate in result.errors[:200]:
            self.stdout.write(f"line {fate.line} ({fate.section} {fate.ref}): {fate.reason}")
        if result.errors:
            raise CommandError(f"{len(result.errors)} records have errors; nothing was imported.")
        self.stdout.write(
            "Imported." if result.committed else "Checked: nothing was written (use --commit)."
        )
