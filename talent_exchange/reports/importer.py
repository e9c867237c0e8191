"""Profiles and past placements from a spreadsheet (.xlsx or .csv), for programs coming from
Excel. Built on the nominations importer's design and its reading code
(``nominations.importer.read_table``: openpyxl's ``load_workbook`` in read-only mode or
``csv.reader``, within bounds of size, rows, columns and cells; formulas, non-UTF-8 text and
broken files refused with a reason). tests/test_probe_importers.py sends it every hostile
file.

Columns (first row; case and spaces do not matter):
    work_email          identifies the person (required); a new address makes a profile
    first_name, last_name, organization, position_title, classification, years_of_service
                        the profile (required for a new person; organisation by its name)
    placement_title, placement_type, host_organization, started_on, ended_on
                        one past placement (optional): recorded in the person's mobility
                        history, matched by person, start date and title

Every row's fate is reported (created, updated, unchanged, or an error with its line, column
and reason); nothing is written unless every row is valid, and importing the same file again
changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models.functions import Lower
from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

from talent_exchange.core.history import attribute_to
from talent_exchange.nominations.importer import MAX_BYTES, PROGRESS_EVERY, read_table
from talent_exchange.organizations.models import Organization
from talent_exchange.people.models import AssignmentType, MobilityRecord, Person

__all__ = ["MAX_BYTES", "import_spreadsheet"]

PROFILE = (
    "first_name",
    "last_name",
    "organization",
    "position_title",
    "classification",
    "years_of_service",
)
PLACEMENT = ("placement_title", "placement_type", "host_organization", "started_on", "ended_on")
COLUMNS = ("work_email", *PROFILE, *PLACEMENT)


@dataclass
class RowResult:
    line: int
    fate: str  # created, updated, unchanged, error
    what: str = ""
    column: str = ""
    reason: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "line": self.line,
            "column": self.column,
            "fate": self.fate,
            "section": self.what,
            "reason": self.reason,
        }


@dataclass
class SheetResult:
    rows: list[RowResult] = field(default_factory=list)
    committed: bool = False

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for row in self.rows:
            out[row.fate] = out.get(row.fate, 0) + 1
        return out

    @property
    def ok(self) -> bool:
        return all(r.fate != "error" for r in self.rows)


class _Rollback(Exception):
    pass


def _column(header: list[str], name: str) -> str:
    return get_column_letter(header.index(name) + 1) if name in header else ""


def _parse_date(text: str) -> date:
    return date.fromisoformat(text[:10])


def import_spreadsheet(
    upload: Any,
    program: Any,
    actor: Any,
    *,
    dry_run: bool = True,
    progress: Callable[[int, int], None] | None = None,
) -> SheetResult:
    """Every row's fate; with ``dry_run=False`` and no error, every row written, in one
    transaction. ``progress(rows done, rows)`` is called as the rows are gone through."""
    table = read_table(upload)
    result = SheetResult()
    for error in table.errors:
        result.rows.append(RowResult(error.line, "error", reason=error.reason))
    if table.errors:
        return result
    header = list(table.rows[0][1].keys()) if table.rows else []
    allowed_orgs = {
        program.administering_organization_id,
        *program.participating_organizations.values_list("pk", flat=True),
    }
    orgs = {name.lower(): pk for pk, name in Organization.objects.values_list("pk", "name")}
    emails = [values.get("work_email", "").lower() for _line, values in table.rows]
    people = {
        p.work_email.lower(): p
        for p in Person.objects.annotate(e=Lower("work_email")).filter(e__in=emails)
    }
    types = set(AssignmentType.values)
    type_by_label = {str(label).lower(): value for value, label in AssignmentType.choices}
    try:
        with transaction.atomic():
            spans: dict[int, list[tuple[date, date | None, int]]] = {}
            for done, (line, values) in enumerate(table.rows):
                if progress and done % PROGRESS_EVERY == 0:
                    progress(done, len(table.rows))
                result.rows.append(
                    _row(
                        line,
                        values,
                        header,
                        program,
                        actor,
                        allowed_orgs,
                        orgs,
                        people,
                        types,
                        type_by_label,
                        spans,
                    )
                )
            if dry_run or not result.ok:
                raise _Rollback
            result.committed = True
    except _Rollback:
        pass
    return result


def _row(
    line, values, header, program, actor, allowed_orgs, orgs, people, types, type_by_label, spans
) -> RowResult:
    def error(column: str, reason: str) -> RowResult:
        return RowResult(
            line, "error", column=_column(header, column), reason=f"{column}: {reason}"
        )

    email = values.get("work_email", "").strip()
    if "@" not in email:
        return error("work_email", _("not an e-mail address"))
    person = people.get(email.lower())
    profile = {k: values.get(k, "").strip() for k in PROFILE if values.get(k, "").strip()}
    org_id: int | None = None
    if "organization" in profile:
        org_id = orgs.get(profile["organization"].lower())
        if org_id is None:
            return error("organization", _("no organisation has this name"))
        if org_id not in allowed_orgs:
            return error("organization", _("this organisation does not take part in the program"))
    if person is not None and person.organization_id not in allowed_orgs:
        return error("work_email", _("this person belongs to an organisation outside the program"))
    if "years_of_service" in profile:
        try:
            years = int(float(profile["years_of_service"]))
        except ValueError:
            return error("years_of_service", _("not a number"))
        if not 0 <= years <= 70:
            return error("years_of_service", _("between 0 and 70"))
        profile["years_of_service"] = years
    fate = "unchanged"
    with transaction.atomic():
        if person is None:
            for needed in ("first_name", "last_name", "organization", "position_title"):
                if needed not in profile:
                    return error(needed, _("required for a new person"))
            assert org_id is not None  # the organisation was named (checked above)
            person = Person(
                work_email=email,
                first_name=profile["first_name"][:100],
                last_name=profile["last_name"][:100],
                organization_id=org_id,
                position_title=profile["position_title"][:200],
                classification=str(profile.get("classification", ""))[:60],
                years_of_service=profile.get("years_of_service", 0),
            )
            attribute_to(person, actor, reason=_("Imported from a spreadsheet"))
            person.save()
            people[email.lower()] = person
            fate = "created"
        else:
            changes = {}
            for key, value in profile.items():
                if key == "organization":
                    if person.organization_id != org_id:
                        changes["organization_id"] = org_id
                elif getattr(person, key) != value:
                    changes[key] = value
            if changes:
                for key, value in changes.items():
                    setattr(person, key, value)
                attribute_to(person, actor, reason=_("Imported from a spreadsheet"))
                person.save()
                fate = "updated"
        title = values.get("placement_title", "").strip()
        if not title:
            return RowResult(line, fate, what=_("profile"))
        kind = values.get("placement_type", "").strip().lower() or AssignmentType.EXCHANGE
        kind = type_by_label.get(kind, kind)
        if kind not in types:
            return error("placement_type", _("not an assignment type"))
        try:
            started = _parse_date(values.get("started_on", ""))
        except ValueError:
            return error("started_on", _("not a date (write it as 2024-03-31)"))
        ended = None
        if values.get("ended_on", "").strip():
            try:
                ended = _parse_date(values["ended_on"])
            except ValueError:
                return error("ended_on", _("not a date (write it as 2024-03-31)"))
            if ended < started:
                return error("ended_on", _("before the start date"))
        host_name = values.get("host_organization", "").strip()
        host_id = orgs.get(host_name.lower()) if host_name else None
        existing = MobilityRecord.objects.filter(
            person=person, started_on=started, title=title[:200]
        ).first()
        others = [
            (s, e)
            for s, e in MobilityRecord.objects.filter(person=person)
            .exclude(pk=getattr(existing, "pk", None))
            .values_list("started_on", "ended_on")
        ] + [(s, e) for s, e, _line in spans.get(person.pk, [])]
        for s, e in others:
            if s <= (ended or date.max) and started <= (e or date.max):
                return error("started_on", _("overlaps another placement of this person"))
        spans.setdefault(person.pk, []).append((started, ended, line))
        wanted = {
            "assignment_type": kind,
            "host_organization_id": host_id,
            "host_name": "" if host_id else host_name[:200],
            "ended_on": ended,
        }
        if existing is None:
            record = MobilityRecord(person=person, title=title[:200], started_on=started, **wanted)
            attribute_to(record, actor, reason=_("Imported from a spreadsheet"))
            record.save()
            fate = "updated" if fate == "updated" else "created"
        else:
            changed = {k: v for k, v in wanted.items() if getattr(existing, k) != v}
            if changed:
                for k, v in changed.items():
                    setattr(existing, k, v)
                attribute_to(existing, actor, reason=_("Imported from a spreadsheet"))
                existing.save()
                fate = "updated" if fate == "unchanged" else fate
        return RowResult(line, fate, what=_("profile and placement"))
