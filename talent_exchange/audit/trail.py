"""The audit trail: every create, update and delete of tracked data, with who, when and what
changed, read from django-simple-history's historical tables.

Each tracked model has its own history table; a page reads one model at a time (so it
paginates in the database), and finds each row's predecessor in one extra query per page, not
one per row.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Model, QuerySet
from django.utils.translation import gettext_lazy as _

from talent_exchange.accounts.models import RoleGrant
from talent_exchange.organizations.models import Organization
from talent_exchange.people.models import MobilityRecord, Person
from talent_exchange.programs.models import Cycle, Program

# key → (model, label). Personnel data first.
TRACKED: dict[str, tuple[type[Model], str]] = {
    "person": (Person, _("People")),
    "mobilityrecord": (MobilityRecord, _("Mobility history")),
    "rolegrant": (RoleGrant, _("Role grants")),
    "organization": (Organization, _("Organisations")),
    "program": (Program, _("Programs")),
    "cycle": (Cycle, _("Cycles")),
}

ACTIONS = {"+": _("Created"), "~": _("Changed"), "-": _("Deleted")}
IGNORED_FIELDS = {"updated_at", "created_at"}


@dataclass(frozen=True)
class Change:
    field: str
    old: str
    new: str


@dataclass(frozen=True)
class Entry:
    at: datetime
    actor: str
    kind: str
    kind_label: str
    object_id: int
    object_label: str
    action: str
    changes: tuple[Change, ...]
    reason: str


def history_of(kind: str) -> QuerySet:
    model, _label = TRACKED[kind]
    return model.history.select_related("history_user").order_by("-history_date", "-history_id")


def entries(kind: str, records: Iterable) -> list[Entry]:
    """Turn a page of historical rows of one model into entries with their changes."""
    records = list(records)
    model, label = TRACKED[kind]
    previous = _predecessors(model, records)
    result = []
    for record in records:
        before = previous.get(record.history_id)
        changes: tuple[Change, ...] = ()
        if record.history_type == "~" and before is not None:
            delta = record.diff_against(before)
            changes = tuple(
                Change(c.field, _show(c.old), _show(c.new))
                for c in delta.changes
                if c.field not in IGNORED_FIELDS
            )
        elif record.history_type == "+":
            changes = tuple(
                Change(f.attname, "", _show(getattr(record, f.attname)))
                for f in model._meta.concrete_fields
                if f.attname not in IGNORED_FIELDS and getattr(record, f.attname) not in ("", None)
            )
        result.append(
            Entry(
                at=record.history_date,
                actor=str(record.history_user) if record.history_user else str(_("system")),
                kind=kind,
                kind_label=str(label),
                object_id=getattr(record, "id", None),
                object_label=str(record.instance)
                if record.history_type != "-"
                else f"#{getattr(record, 'id', '')}",
                action=str(ACTIONS.get(record.history_type, record.history_type)),
                changes=changes,
                reason=record.history_change_reason or "",
            )
        )
    return result


def recent_changes(limit: int = 10) -> list[Entry]:
    """The latest changes across every tracked model, newest first."""
    merged = []
    for kind in TRACKED:
        merged.extend(entries(kind, history_of(kind)[:limit]))
    merged.sort(key=lambda e: e.at, reverse=True)
    return merged[:limit]


def _predecessors(model: type[Model], records: list) -> dict[int, object]:
    if not records:
        return {}
    ids = {r.id for r in records}
    latest = max(r.history_date for r in records)
    earlier = model.history.filter(id__in=ids, history_date__lte=latest).order_by(
        "id", "history_date", "history_id"
    )
    by_object: dict[int, list] = {}
    for row in earlier:
        by_object.setdefault(row.id, []).append(row)
    result = {}
    for record in records:
        chain = by_object.get(record.id, [])
        before = None
        for row in chain:
            if row.history_id == record.history_id:
                break
            before = row
        result[record.history_id] = before
    return result


def _show(value) -> str:
    if value is None:
        return ""
    if isinstance(value, list):  # many-to-many: list of through-row dicts
        return ", ".join(sorted(str(_m2m_label(v)) for v in value))
    return str(value)


def _m2m_label(value) -> str:
    if isinstance(value, dict):
        items = [v for k, v in value.items() if k not in ("id", "person", "program")]
        return ",".join(str(i) for i in items)
    return str(value)
