"""Write a program's whole history in the history format (docs/history-format.md)."""

from __future__ import annotations

import sys
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from talent_exchange.programs.models import Program
from talent_exchange.reports.history import export_history


class Command(BaseCommand):
    help = "Export a program's whole history (JSON Lines, history format v1)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("program", help="the program's id or exact name")
        parser.add_argument(
            "--as",
            dest="as_user",
            required=True,
            help="the exporter's e-mail or user name: the file holds what they may see",
        )
        parser.add_argument("--output", "-o", default="-", help="a file (default: standard output)")
        parser.add_argument("--no-audit", action="store_true", help="leave the audit trail out")

    def handle(self, *args: Any, **options: Any) -> None:
        value = options["program"]
        program = (
            Program.objects.filter(pk=int(value)).first()
            if value.isdigit()
            else Program.objects.filter(name=value).first()
        )
        if program is None:
            raise CommandError(f"No program {value!r}.")
        User = get_user_model()
        user = (
            User.objects.filter(email__iexact=options["as_user"]).first()
            or User.objects.filter(username=options["as_user"]).first()
        )
        if user is None or not user.has_perm("reports.export_history", program):
            raise CommandError("That account may not export this program.")
        from django.utils import timezone

        from talent_exchange.core.history import attribute_to
        from talent_exchange.reports.models import HISTORY, Export, ExportFormat, ExportStatus

        if options["output"] == "-":
            result = export_history(program, user, sys.stdout, audit=not options["no_audit"])
        else:
            with open(options["output"], "w", encoding="utf-8") as out:
                result = export_history(program, user, out, audit=not options["no_audit"])
        record = Export(
            program=program,
            report=HISTORY,
            format=ExportFormat.JSON,
            requested_by=user,
            status=ExportStatus.DONE,
            progress=100,
            rows_written=result.lines,
            finished_at=timezone.now(),
        )
        attribute_to(record, user, reason="export_history command")
        record.save()
        self.stderr.write(f"{result.lines} records written.")
