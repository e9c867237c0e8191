"""The audit trail: every create, update and delete of tracked data, with who, when and what
changed, read from django-simple-history's historical tables.

Each tracked model has its own history table; a page reads one model at a time (so it
paginates in the database), and finds each row's predecessor in one extra query per page, not
one per row. What a user may read is decided once, in ``core.history.visible_history``: the
history of the objects they can see (auditors: all), never a secret field.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import FieldDoesNotExist
from django.db import connection
from django.db.models import Model, QuerySet
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from talent_exchange.core.history import is_secret_field, sees_all_history, visible_history

# Personnel data first; then every other model of ours that keeps history, in app order.
_FIRST = ["person", "mobilityrecord", "rolegrant", "organization", "program", "cycle"]


def _tracked() -> dict[str, tuple[Any, StrOrPromise]]:
    from django.apps import apps
    from simple_history.models import HistoricalChanges

    found: dict[str, tuple[Any, StrOrPromise]] = {}
    for model in apps.get_models():
        history = getattr(model, "history", None)
        if (
            not model.__module__.startswith("talent_exchange.")
            or issubclass(model, HistoricalChanges)
            or history is None
            or not hasattr(history, "model")
        ):
            continue
        found[model._meta.label_lower.split(".")[1]] = (
            model,
            capfirst(model._meta.verbose_name_plural or model.__name__),
        )
    ordered = {key: found[key] for key in _FIRST if key in found}
    ordered.update((key, found[key]) for key in found if key not in ordered)
    return ordered


# model -> (the model (its ``history`` manager is simple-history's, untyped), its label)
TRACKED: dict[str, tuple[Any, StrOrPromise]] = _tracked()

ACTIONS = {"+": _("Created"), "~": _("Changed"), "-": _("Deleted")}
IGNORED_FIELDS = {"updated_at", "created_at"}

# What each kind's name (``__str__``) reads from related rows, loaded with the page's records
# in one query rather than one per row.
LABEL_RELATED: dict[str, tuple[str, ...]] = {
    "rolegrant": ("user", "program", "organization", "cycle__program"),
    "factorreset": ("user",),
    "cycle": ("program",),
    "programinvitation": ("organization", "program"),
    "opportunity": ("host_organization",),
    "nomination": ("person", "cycle__program"),
    "conflictofinterest": ("nomination__person", "organization"),
    "participantranking": ("nomination__person", "opportunity__host_organization"),
    "hostranking": ("nomination__person", "opportunity__host_organization"),
    "panelassignment": ("panel", "nomination__person"),
    "score": ("criterion",),
    "matchrun": ("cycle__program",),
    "pairconstraint": ("nomination__person", "opportunity__host_organization"),
    "offer": ("nomination__person", "opportunity__host_organization"),
    "agreementtemplate": ("program",),
    "placement": ("person", "host_organization"),
    "agreement": ("placement__person", "placement__host_organization"),
    "outcome": ("placement__person",),
}


@dataclass(frozen=True)
class Change:
    field: str
    old: str
    new: str
    label: str = ""  # the field's verbose name, in the reader's language


@dataclass(frozen=True)
class Entry:
    at: datetime
    actor: str
    kind: str
    kind_label: str
    object_id: int | None
    object_label: str
    action: str
    changes: tuple[Change, ...]
    reason: str


def history_of(kind: str, user) -> QuerySet:
    """The history of one kind of record that ``user`` may read, newest first."""
    model, _label = TRACKED[kind]
    return (
        visible_history(model, user)
        .select_related("history_user")
        .order_by("-history_date", "-history_id")
    )


def _shown(field_name: str) -> bool:
    return field_name not in IGNORED_FIELDS and not is_secret_field(field_name)


def entries(kind: str, records: Iterable) -> list[Entry]:
    """Turn a page of historical rows of one model into entries with their changes.

    The queries are bounded per page: the page, the rows before them, and for each
    many-to-many field one query for the snapshot rows and one for the names.
    """
    records = list(records)
    model, label = TRACKED[kind]
    # simple-history builds a new manager, methods and all, on each ``model.history``.
    history_model = model.history.model
    previous = _predecessors(model, records)
    labels = _labels(kind, model, {record.id for record in records})
    m2m_fields = list(getattr(history_model, "_history_m2m_fields", []))
    snapshots = _m2m_snapshots(
        history_model, m2m_fields, records + [p for p in previous.values() if p is not None]
    )
    m2m_names = [f.name for f in m2m_fields]
    created_fields = [f.attname for f in history_model.tracked_fields if _shown(f.attname)]
    field_labels: dict[str, str] = {}

    def field_label(name: str) -> str:
        if name not in field_labels:
            field_labels[name] = _field_label(model, name)
        return field_labels[name]

    result = []
    for record in records:
        before = previous.get(record.history_id)
        changes: list[Change] = []
        if record.history_type == "~" and before is not None:
            delta = record.diff_against(before, excluded_fields=m2m_names)
            changes = [
                Change(c.field, _show(c.old), _show(c.new))
                for c in delta.changes
                if _shown(c.field)
            ]
            for name in m2m_names:
                old = snapshots[name].get(before.history_id, "")
                new = snapshots[name].get(record.history_id, "")
                if old != new:
                    changes.append(Change(name, old, new))
        elif record.history_type == "+":
            changes = [
                Change(name, "", _show(getattr(record, name)))
                for name in created_fields
                if getattr(record, name) not in ("", None)
            ]
        result.append(
            Entry(
                at=record.history_date,
                actor=_actor(record.history_user),
                kind=kind,
                kind_label=str(label),
                object_id=getattr(record, "id", None),
                object_label=labels.get(record.id, f"#{record.id}"),
                action=str(ACTIONS.get(record.history_type, record.history_type)),
                changes=tuple(replace(c, label=field_label(c.field)) for c in changes),
                reason=record.history_change_reason or "",
            )
        )
    return result


def _field_label(model: type[Model], name: str) -> str:
    try:
        field = model._meta.get_field(name)  # the name or the attname
    except FieldDoesNotExist:
        return name
    return str(getattr(field, "verbose_name", name))  # a relation's reverse side has none


def _labels(kind: str, model: type[Model], ids: set[int]) -> dict[int, str]:
    """Each record's object by its current name, in one query; a deleted object has none
    and is shown by its number."""
    related = LABEL_RELATED.get(kind, ())
    live = model._default_manager.select_related(*related).in_bulk(ids)
    return {pk: str(obj) for pk, obj in live.items()}


def _m2m_snapshots(history_model, m2m_fields, records) -> dict[str, dict[int, str]]:
    """For each many-to-many field, the names it held at each historical row."""
    history_ids = [r.history_id for r in records]
    result: dict[str, dict[int, str]] = {}
    for field in m2m_fields:
        snapshot_model = next(
            rel.related_model
            for rel in history_model._meta.related_objects
            if rel.related_model.__name__.endswith(f"_{field.name}")
        )
        target = field.m2m_reverse_field_name()
        pairs = list(
            snapshot_model.objects.filter(history_id__in=history_ids).values_list(
                "history_id", f"{target}_id"
            )
        )
        names = field.related_model.objects.in_bulk({target_id for _h, target_id in pairs})
        held: dict[int, list[str]] = {}
        for history_id, target_id in pairs:
            held.setdefault(history_id, []).append(str(names.get(target_id, f"#{target_id}")))
        result[field.name] = {h: ", ".join(sorted(v)) for h, v in held.items()}
    return result


def recent_changes(user, limit: int = 10) -> list[Entry]:
    """The latest changes to personnel and program records that ``user`` may read, newest
    first, with what changed (the audit trail page reaches every kind)."""
    merged = []
    for kind in _FIRST:
        merged.extend(entries(kind, history_of(kind, user)[:limit]))
    merged.sort(key=lambda e: e.at, reverse=True)
    return merged[:limit]


def latest_changes(user, limit: int = 10) -> list[Entry]:
    """The dashboard's digest: who changed which personnel or program record, and when,
    newest first — without the fields changed, which the audit trail page shows.

    For a reader of the whole history (an auditor) it costs a fixed few queries: one
    statement for the latest rows of all kinds (``_latest_rows_sql``), one for their actors,
    one per kind shown for the records' names; instead of ``recent_changes``' three or more
    per kind (the rows, their predecessors, the names, the many-to-many snapshots). Anyone
    else reads ``recent_changes``, which applies ``visible_history``."""
    if not sees_all_history(user):
        return [replace(e, changes=()) for e in recent_changes(user, limit)]
    with connection.cursor() as cursor:
        cursor.execute(_latest_rows_sql(connection.vendor), {"limit": limit})
        rows = cursor.fetchall()
    actors = get_user_model()._default_manager.in_bulk({row[4] for row in rows if row[4]})
    by_kind: dict[str, set[int]] = {}
    for row in rows:
        by_kind.setdefault(row[0], set()).add(row[2])
    names = {
        kind: _labels(kind, TRACKED[kind][0], object_ids) for kind, object_ids in by_kind.items()
    }
    return [
        Entry(
            at=_aware(at),
            actor=_actor(actors.get(actor_id)),
            kind=kind,
            kind_label=str(TRACKED[kind][1]),
            object_id=object_id,
            object_label=names[kind].get(object_id, f"#{object_id}"),
            action=str(ACTIONS.get(action, action)),
            changes=(),
            reason=reason or "",
        )
        for kind, at, object_id, action, actor_id, reason, _history_id in rows
    ]


@functools.cache
def _latest_rows_sql(vendor: str) -> str:
    """The latest ``%(limit)s`` rows of each of ``_FIRST``'s history tables, merged newest
    first, in one statement written once per process from the history models' names (each
    part walks its table's ``history_date`` index, never the whole history)."""
    quote = connection.ops.quote_name
    parts = []
    for kind in _FIRST:
        meta = TRACKED[kind][0].history.model._meta
        columns = ", ".join(
            quote(meta.get_field(name).column)
            for name in (
                "history_date",
                "id",
                "history_type",
                "history_user",
                "history_change_reason",
                "history_id",
            )
        )
        # Names from the models, the kind a constant of ours, the one value a parameter.
        parts.append(
            f"SELECT '{kind}' AS kind, * FROM (SELECT {columns} "  # noqa: S608
            f"FROM {quote(meta.db_table)} ORDER BY {quote('history_date')} DESC, "
            f"{quote('history_id')} DESC LIMIT %(limit)s) AS {quote('latest_' + kind)}"
        )
    union = " UNION ALL ".join(parts)
    return f"SELECT * FROM ({union}) AS merged ORDER BY 2 DESC, 7 DESC LIMIT %(limit)s"  # noqa: S608


def _aware(moment):
    """SQLite answers a raw statement's time as text, PostgreSQL as an aware datetime."""
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment, UTC)
    return moment


def _predecessors(model: Any, records: list[Any]) -> dict[int, Any]:
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


def _actor(user) -> str:
    if user is None:
        return str(_("system"))
    full = user.get_full_name()
    return f"{full} ({user.username})" if full else user.username


def _show(value) -> str:
    return "" if value is None else str(value)
