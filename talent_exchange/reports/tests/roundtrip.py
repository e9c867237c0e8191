"""Helpers of the round-trip tests: a program's history as text, and a database emptied of
everything the history format holds."""

from __future__ import annotations

import io

from django.apps import apps

from talent_exchange.reports import history


def export_text(program, user) -> str:
    out = io.StringIO()
    history.export_history(program, user, out, audit=False)
    return out.getvalue()


def without_header(text: str) -> list[str]:
    """The lines that must match: all but the header (it carries the export's time)."""
    return text.splitlines()[1:]


# What the format leaves out on purpose (a person's own tools, not a program's history); a
# new deployment has none of it either.
LEFT_OUT = ("learning.CalendarFeed", "development.SavedSearch")
# Derived from what the format holds, written again by the import (Section.after_write)
DERIVED = ("matches.ResultBlock",)


def empty_database() -> None:
    """Remove every row the format holds (latest sections first), as in a new deployment;
    accounts stay (the import finds them by e-mail or makes them)."""
    from django.db import transaction

    from talent_exchange.accounts.models import RoleGrant

    with transaction.atomic():
        _empty(RoleGrant)


def _empty(RoleGrant) -> None:
    from talent_exchange.programs.models import ProgramInvitation
    from talent_exchange.reports.models import Export, HistoryImport

    for label in LEFT_OUT + DERIVED:
        model = apps.get_model(label)
        model._default_manager.all()._raw_delete(model._default_manager.db)
    RoleGrant.objects.all()._raw_delete(RoleGrant.objects.db)
    Export.objects.all().delete()
    HistoryImport.objects.all().delete()
    ProgramInvitation.objects.all()._raw_delete(ProgramInvitation.objects.db)
    for section in reversed(history.sections()):
        model = apps.get_model(section.model)
        for name in section.m2m:
            through = model._meta.get_field(name).remote_field.through
            through.objects.all()._raw_delete(through.objects.db)
        model._default_manager.all()._raw_delete(model._default_manager.db)
