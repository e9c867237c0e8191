"""A program's whole history in and out: the **history format** (docs/history-format.md,
JSON Schema in docs/history-format.schema.json).

The file is JSON Lines: one JSON object per line. The first line is the header (format name,
version, program, exporter, time); then one line per record, in the order of the sections
(``sections()``: declared in ``registry.HISTORY_ORDER``, each app adding its own from its
``reports.py``; what a record refers to always comes before it); the last line is the end
mark with the count of records per section, so a truncated file is refused. Writing and
reading go one line at a time: memory stays bounded however large the program. The import
writes a batch of a section's records at a time (``_Importer``).

A record is ``{"section": ..., "ref": "<section>/<n>", "key": {...}, "fields": {...}}``.
``ref`` numbers the records of a section in the exporting database's order; a reference to
another record is its ``ref``; a reference to an account is its e-mail address. ``key`` holds
the fields that identify the record in any deployment (an organisation by name, a person by
work e-mail, a cycle by its program and name, a nomination by its cycle and person…): the
import matches existing rows by it and never duplicates.

Scoping: each section is read through its model's ``visible_to(exporter)`` where it has one,
so an export holds only what the exporter may see (a coordinator's holds their
organisations' people); a record whose required reference was left out is left out too.
"""

from __future__ import annotations

import base64
import functools
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from decimal import Decimal
from typing import IO, Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import DataError, IntegrityError, connections, models, transaction
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime, parse_time
from django.utils.translation import gettext as _

from talent_exchange.core.history import attribute_to, visible_history

from .registry import (
    Section,
    history_organizations,
    history_people,
    history_sections,
    registered_history_sections,
)

FORMAT = "talent-exchange-history"
VERSION = 1


def _q(**lookups: Any) -> Callable[[Any], Q]:
    return lambda program: Q(**dict.fromkeys(lookups.values(), program))


def _org_scope(program: Any) -> Q:
    ids = set(program.participating_organizations.values_list("pk", flat=True))
    ids.add(program.administering_organization_id)
    Placement = apps.get_model("placements", "Placement")
    for home, host in (
        Placement.objects.filter(program=program)
        .values_list("home_organization_id", "host_organization_id")
        .distinct()
    ):
        ids.update((home, host))
    Person = apps.get_model("people", "Person")
    people = Person.objects.filter(_people_scope(program))
    ids.update(people.values_list("organization_id", flat=True).distinct())
    Organization = apps.get_model("organizations", "Organization")
    ids.update(
        Organization.objects.filter(history_organizations(program)).values_list("pk", flat=True)
    )
    return Q(pk__in=ids)


def _people_scope(program: Any) -> Q:
    nominated = Q(nominations__cycle__program=program)
    placed = (
        Q(placements__program=program)
        | Q(coached_placements__program=program)
        | Q(supervised_placements__program=program)
    )
    involved = nominated | placed | history_people(program)
    Person = apps.get_model("people", "Person")
    supervisors = Person.objects.filter(involved).exclude(supervisor=None).values("supervisor_id")
    return involved | Q(pk__in=supervisors)


def _refresh_search(pks: list[int]) -> None:
    from talent_exchange.people.search import refresh_search_vectors

    refresh_search_vectors(pks)


def _store_result_rows(pks: list[int]) -> None:
    """A run's result rows are kept in blocks too (derived from its result, not in the file)."""
    MatchRun = apps.get_model("matches", "MatchRun")
    ResultBlock = apps.get_model("matches", "ResultBlock")
    for run in MatchRun.objects.filter(pk__in=pks).exclude(result_data=None).iterator():
        result = run.result
        if result is not None:
            ResultBlock.objects.replace(run.pk, result)


# The reports app's own sections (the apps that came before the registry); the order of all
# sections is declared in registry.HISTORY_ORDER.
CORE_SECTIONS: tuple[Section, ...] = (
    Section("organizations", "organizations.Organization", _org_scope, ("name",)),
    Section("skills", "people.Skill", lambda p: Q(), ("name",)),
    Section("designations", "people.Designation", lambda p: Q(), ("name",)),
    Section(
        "people",
        "people.Person",
        _people_scope,
        ("work_email",),
        exclude=("user", "search_vector", "updated_at"),
        m2m=("skills", "designations"),
        after_write=_refresh_search,
    ),
    Section(
        "mobility_records",
        "people.MobilityRecord",
        lambda p: Q(person__in=apps.get_model("people", "Person").objects.filter(_people_scope(p))),
        ("person", "started_on", "title"),
    ),
    Section(
        "programs",
        "programs.Program",
        lambda p: Q(pk=p.pk),
        ("name",),
        exclude=("rules_reviewed_at",),
        m2m=("participating_organizations",),
    ),
    Section("rubric", "interviews.RubricCriterion", _q(a="program"), ("program", "order", "name")),
    Section(
        "endorsement_steps", "nominations.EndorsementStep", _q(a="program"), ("program", "order")
    ),
    Section("agreement_templates", "placements.AgreementTemplate", _q(a="program"), ("program",)),
    Section("cycles", "programs.Cycle", _q(a="program"), ("program", "name")),
    Section("cycle_phases", "programs.CyclePhase", _q(a="cycle__program"), ("cycle", "phase")),
    Section(
        "opportunities",
        "opportunities.Opportunity",
        _q(a="cycle__program"),
        ("cycle", "host_organization", "title", "created_at"),
        m2m=("skills_required", "skills_developed"),
    ),
    Section("nominations", "nominations.Nomination", _q(a="cycle__program"), ("cycle", "person")),
    Section(
        "endorsements",
        "nominations.Endorsement",
        _q(a="nomination__cycle__program"),
        ("nomination", "order"),
        exclude=("token",),
    ),
    Section(
        "conflicts",
        "nominations.ConflictOfInterest",
        _q(a="nomination__cycle__program"),
        ("nomination", "organization"),
    ),
    Section(
        "participant_rankings",
        "preferences.ParticipantRanking",
        _q(a="nomination__cycle__program"),
        ("nomination", "opportunity"),
    ),
    Section(
        "host_rankings",
        "preferences.HostRanking",
        _q(a="opportunity__cycle__program"),
        ("opportunity", "nomination"),
    ),
    Section(
        "panels", "interviews.Panel", _q(a="cycle__program"), ("cycle", "name"), m2m=("members",)
    ),
    Section(
        "panel_assignments",
        "interviews.PanelAssignment",
        _q(a="panel__cycle__program"),
        ("panel", "nomination"),
    ),
    Section(
        "scores",
        "interviews.Score",
        _q(a="assignment__panel__cycle__program"),
        ("assignment", "panelist", "criterion"),
    ),
    Section("weight_formulas", "matches.WeightFormula", _q(a="cycle__program"), ("cycle",)),
    Section(
        "match_runs",
        "matches.MatchRun",
        _q(a="cycle__program"),
        ("cycle", "round", "created_at"),
        exclude=("task_id", "heartbeat_at", "publish_heartbeat_at", "source_run"),
        after_write=_store_result_rows,
    ),
    Section(
        "pair_constraints",
        "matches.PairConstraint",
        _q(a="cycle__program"),
        ("nomination", "opportunity"),
    ),
    Section(
        "offers", "matches.Offer", _q(a="run__cycle__program"), ("run", "nomination", "opportunity")
    ),
    Section("placements", "placements.Placement", _q(a="program"), ("offer",)),
    Section("agreements", "placements.Agreement", _q(a="placement__program"), ("placement",)),
    Section(
        "signatures",
        "placements.Signature",
        _q(a="agreement__placement__program"),
        ("agreement", "version", "party"),
        immutable=True,  # Signature.save refuses a change
    ),
    Section(
        "objectives",
        "placements.Objective",
        _q(a="placement__program"),
        ("placement", "created_at", "description"),
    ),
    Section("checkins", "placements.CheckIn", _q(a="placement__program"), ("placement", "due_on")),
    Section(
        "evaluations",
        "placements.Evaluation",
        _q(a="placement__program"),
        ("placement", "stage", "respondent"),
    ),
    Section(
        "outcomes", "placements.Outcome", _q(a="placement__program"), ("placement", "months_after")
    ),
    Section(
        "cycle_transitions",
        "programs.CycleTransition",
        _q(a="cycle__program"),
        ("cycle", "at", "to_state"),
    ),
    Section(
        "opportunity_transitions",
        "opportunities.OpportunityTransition",
        _q(a="opportunity__cycle__program"),
        ("opportunity", "at", "to_status"),
    ),
    Section(
        "nomination_transitions",
        "nominations.NominationTransition",
        _q(a="nomination__cycle__program"),
        ("nomination", "at", "to_state"),
    ),
    Section(
        "offer_transitions",
        "matches.OfferTransition",
        _q(a="offer__run__cycle__program"),
        ("offer", "at", "to_state"),
    ),
    Section(
        "placement_transitions",
        "placements.PlacementTransition",
        _q(a="placement__program"),
        ("placement", "at", "to_state"),
    ),
)
history_sections("reports", *CORE_SECTIONS)


def sections() -> tuple[Section, ...]:
    """Every section of the format, in file order (the apps' own from their reports.py)."""
    return registered_history_sections()


def by_name() -> dict[str, Section]:
    return {s.name: s for s in sections()}


# The audit trail (simple-history rows of the program's records) is exported after the data
# for reading; it is not imported: the importing deployment's own trail records the import.
AUDIT_SECTION = "audit_trail"
AUDIT_MODELS = (
    "people.Person",
    "programs.Program",
    "programs.Cycle",
    "placements.Placement",
    "placements.Outcome",
    "nominations.Nomination",
    "matches.Offer",
)


def _model(section: Section) -> type[models.Model]:
    return apps.get_model(section.model)


@functools.cache
def _fields(model: type[models.Model], section: Section) -> list[models.Field]:
    out = []
    for f in model._meta.concrete_fields:
        if f.primary_key or f.name in section.exclude or getattr(f, "auto_now", False):
            continue
        out.append(f)
    return out


def _is_user_fk(f: models.Field) -> bool:
    return f.is_relation and f.related_model is get_user_model()


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat().replace("+00:00", "Z")
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, memoryview | bytes):
        return base64.b64encode(bytes(value)).decode("ascii")
    return value


# ---------------------------------------------------------------------------------------------
# Export
# ---------------------------------------------------------------------------------------------


@dataclass
class ExportResult:
    counts: dict[str, int] = field(default_factory=dict)
    lines: int = 0


def _dump(obj: dict) -> str:
    return json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n"


def export_history(
    program: Any,
    user: Any,
    out: IO[str],
    *,
    audit: bool = True,
    now: datetime | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> ExportResult:
    """Write ``program``'s history as seen by ``user`` to ``out``, one line at a time."""
    all_sections = sections()
    header = {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": _plain(now or timezone.now()),
        "program": program.name,
        "exported_by": getattr(user, "email", "") or "",
        "sections": [s.name for s in all_sections] + ([AUDIT_SECTION] if audit else []),
    }
    out.write(_dump(header))
    result = ExportResult()
    refs: dict[str, dict[int, str]] = {}  # model label -> pk -> ref
    for index, section in enumerate(all_sections):
        model = _model(section)
        label = model._meta.label
        refs.setdefault(label, {})
        rows = model._default_manager.filter(section.scope(program))
        if hasattr(rows, "visible_to"):
            rows = rows.visible_to(user)
        rows = rows.order_by("pk").distinct()
        concrete = _fields(model, section)
        m2m_values: dict[str, dict[int, list[Any]]] = {}
        for name in section.m2m:
            m2m_field = model._meta.get_field(name)
            through = m2m_field.remote_field.through  # type: ignore[union-attr]
            source = m2m_field.m2m_field_name()  # type: ignore[union-attr]
            target = m2m_field.m2m_reverse_field_name()  # type: ignore[union-attr]
            by_user = m2m_field.related_model is get_user_model()
            target_value = f"{target}__email" if by_user else f"{target}_id"
            m2m_values[name] = {}
            pairs = (
                through.objects.filter(**{f"{source}__in": rows.values("pk")})
                .order_by(f"{source}_id", f"{target}_id")
                .values_list(f"{source}_id", target_value)
            )
            for owner, value in pairs.iterator(chunk_size=5000):
                m2m_values[name].setdefault(owner, []).append(value)
        # refs are numbered by position in the section, known before writing (a person's
        # supervisor, an organisation's parent may come later in the section)
        own = {
            pk: f"{section.name}/{i}" for i, pk in enumerate(rows.values_list("pk", flat=True), 1)
        }
        refs[label] = own
        # Read as tuples (no model instances): an account as its e-mail, a reference as the
        # target's ref (None when the target was left out), a value as plain JSON.
        columns: list[str] = []
        kinds: list[tuple[str, str, dict[int, str] | None, bool]] = []
        for f in concrete:
            if _is_user_fk(f):
                columns.append(f"{f.name}__email")
                kinds.append((f.name, "account", None, True))
            elif f.is_relation:
                columns.append(f.attname)
                targets = refs.setdefault(f.related_model._meta.label, {})  # type: ignore[union-attr]
                kinds.append((f.name, "ref", targets, f.null))
            else:
                columns.append(f.attname)
                kinds.append((f.name, "value", None, True))
        n = 0
        for pk, *row in rows.values_list("pk", *columns).iterator(chunk_size=2000):
            values: dict[str, Any] = {}
            skip = False
            for (name, kind, known, nullable), value in zip(kinds, row, strict=True):
                if kind == "value":
                    values[name] = _plain(value)
                elif kind == "account" or value is None:
                    values[name] = value
                else:
                    ref = known.get(value)  # type: ignore[union-attr]
                    if ref is None and not nullable:
                        skip = True  # what it belongs to was left out (not visible)
                        break
                    values[name] = ref
            if skip:
                own.pop(pk, None)
                continue
            for name in section.m2m:
                target_model = model._meta.get_field(name).related_model
                found = m2m_values[name].get(pk, [])
                if target_model is get_user_model():
                    values[name] = sorted(found)
                else:
                    target_refs = refs.get(target_model._meta.label, {})  # type: ignore[union-attr]
                    values[name] = sorted(
                        (target_refs[t] for t in found if t in target_refs), key=_ref_order
                    )
            n += 1
            ref = own[pk]
            key = {k: values.get(k) for k in section.key}
            out.write(_dump({"section": section.name, "ref": ref, "key": key, "fields": values}))
        result.counts[section.name] = n
        result.lines += n
        if progress:
            progress(index + 1, len(all_sections) + 1)
    if audit:
        n = 0
        for label in AUDIT_MODELS:
            model = apps.get_model(label)
            known = refs.get(model._meta.label, {})
            trail = (
                visible_history(model, user)
                .filter(id__in=list(known))
                .order_by("history_date", "history_id")
            )
            for row in trail.select_related("history_user").iterator(chunk_size=2000):
                n += 1
                out.write(
                    _dump(
                        {
                            "section": AUDIT_SECTION,
                            "ref": f"{AUDIT_SECTION}/{n}",
                            "key": {},
                            "fields": {
                                "record": known.get(row.id),
                                "action": row.history_type,
                                "at": _plain(row.history_date),
                                "by": row.history_user.email if row.history_user else None,
                                "reason": row.history_change_reason or "",
                            },
                        }
                    )
                )
        result.counts[AUDIT_SECTION] = n
        result.lines += n
    out.write(_dump({"section": "end", "counts": result.counts}))
    return result


def _ref_order(ref: str) -> tuple[str, int]:
    name, _sep, n = ref.partition("/")
    return name, int(n) if n.isdigit() else 0


# ---------------------------------------------------------------------------------------------
# Import
# ---------------------------------------------------------------------------------------------


@dataclass
class RowFate:
    line: int
    section: str
    ref: str
    fate: str  # created, updated, unchanged, error
    reason: str = ""


@dataclass
class ImportResult:
    fates: list[RowFate] = field(default_factory=list)
    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    errors: list[RowFate] = field(default_factory=list)
    committed: bool = False

    def note(self, fate: RowFate, keep_rows: bool) -> None:
        by = self.counts.setdefault(fate.section, {})
        by[fate.fate] = by.get(fate.fate, 0) + 1
        if fate.fate == "error":
            self.errors.append(fate)
        if keep_rows:
            self.fates.append(fate)

    @property
    def ok(self) -> bool:
        return not self.errors


class _DryRun(Exception):
    pass


class FormatError(Exception):
    """The file is not a history export this version can read."""


def _parse_value(f: models.Field, value: Any) -> Any:
    if value is None:
        return None
    if isinstance(f, models.DateTimeField):
        parsed = parse_datetime(value)
        if parsed is None:
            raise ValueError(_("not a date and time"))
        return parsed
    if isinstance(f, models.DateField):
        parsed_date = parse_date(value)
        if parsed_date is None:
            raise ValueError(_("not a date"))
        return parsed_date
    if isinstance(f, models.TimeField):
        parsed_time = parse_time(value)
        if parsed_time is None:
            raise ValueError(_("not a time of day"))
        return parsed_time
    if isinstance(f, models.DecimalField):
        return Decimal(value)
    if isinstance(f, models.BinaryField):
        return base64.b64decode(value)
    return value


def read_lines(stream: Iterable[str | bytes]) -> Iterator[tuple[int, dict]]:
    for number, line in enumerate(stream, start=1):
        if isinstance(line, bytes):
            try:
                line = line.decode("utf-8")
            except UnicodeDecodeError:
                raise FormatError(
                    _("Line %(line)s is not UTF-8 text.") % {"line": number}
                ) from None
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except json.JSONDecodeError as error:
            raise FormatError(
                _("Line %(line)s is not JSON (%(reason)s).") % {"line": number, "reason": error.msg}
            ) from None
        if not isinstance(data, dict):
            raise FormatError(_("Line %(line)s is not a JSON object.") % {"line": number})
        yield number, data


def import_history(
    stream: Iterable[str | bytes],
    actor: Any,
    *,
    dry_run: bool = True,
    keep_rows: bool = True,
    progress: Callable[[int], None] | None = None,
    program: str | None = None,
) -> ImportResult:
    """Import a history file: every record is created, updated, left unchanged, or reported
    with its line and reason. All or nothing: with any error, or on a dry run, the whole
    transaction is rolled back."""
    result = ImportResult()
    lines = read_lines(stream)
    first = next(lines, None)
    if first is None:
        raise FormatError(_("The file is empty."))
    _line, header = first
    if header.get("format") != FORMAT:
        raise FormatError(_("This is not a Talent Exchange history file."))
    if header.get("version") != VERSION:
        raise FormatError(
            _(
                "This file is in version %(found)s of the history format; this site reads "
                "version %(v)s."
            )
            % {"found": header.get("version"), "v": VERSION}
        )
    listed = header.get("sections")
    known = by_name()
    unknown = [
        name
        for name in (listed if isinstance(listed, list) else [])
        if not isinstance(name, str) or (name not in known and name != AUDIT_SECTION)
    ]
    if unknown:
        raise FormatError(
            _(
                "This file holds sections this site does not know (%(names)s): it was written "
                "by a newer version of Talent Exchange."
            )
            % {"names": ", ".join(str(n) for n in unknown[:5])}
        )
    if program is not None and header.get("program") != program:
        raise FormatError(
            _("This file holds the history of “%(found)s”, not of “%(program)s”.")
            % {"found": header.get("program"), "program": program}
        )
    try:
        with transaction.atomic():
            ended = _import_records(lines, actor, result, keep_rows, progress)
            if not ended:
                raise FormatError(_("The file ends before its end mark: it was cut short."))
            if dry_run or result.errors:
                raise _DryRun
            result.committed = True
    except _DryRun:
        pass
    # a batch notes its records' fates after writing them: give them in the file's order
    result.fates.sort(key=lambda fate: fate.line)
    result.errors.sort(key=lambda fate: fate.line)
    return result


# Records written per batch: one query finds the batch's rows already in the database, one
# inserts the new ones and one their history rows, one updates the changed ones; so the
# number of queries grows with the number of batches, not of records.
BATCH = 1000


def _import_records(lines, actor, result: ImportResult, keep_rows: bool, progress) -> bool:
    importer = _Importer(actor, result, keep_rows, progress)
    known = by_name()
    current: Section | None = None
    batch: list[tuple[int, dict]] = []
    in_batch: set[str] = set()  # the refs of the batch's records
    for number, record in lines:
        name = record.get("section")
        section = known.get(name) if isinstance(name, str) else None
        if current is not None and section is not current:
            importer.write(current, batch)
            importer.finish(current)
            batch, in_batch, current = [], set(), None
        if name == "end":
            return True
        if name == AUDIT_SECTION:
            continue
        ref = str(record.get("ref", ""))
        if section is None:
            importer.note(number, str(name), ref, "error", _("Unknown section."))
            continue
        shape = _shape_error(record)
        if shape:
            importer.note(number, section.name, ref, "error", shape)
            continue
        current = section
        # A record that refers to an earlier one of the same batch waits for it to be written
        if batch and (len(batch) >= BATCH or importer.refers_to(section, record, in_batch)):
            importer.write(section, batch)
            batch, in_batch = [], set()
        batch.append((number, record))
        in_batch.add(ref)
    return False


def _shape_error(record: dict) -> str:
    """What is wrong with a record's outline (its key and fields), or "" (a hostile file
    is reported row by row, never an error of the importer)."""
    key, fields = record.get("key"), record.get("fields")
    if not isinstance(key, dict) or not isinstance(fields, dict):
        return str(_("A record needs a key and fields, each a JSON object."))
    if any(not isinstance(v, str | int | float | bool | None) for v in key.values()):
        return str(_("A key's values must be plain values (text, numbers, true or false)."))
    return ""


def _validation_reason(error: ValidationError) -> str:
    if hasattr(error, "error_dict"):
        return "; ".join(
            f"{name}: {' '.join(str(m) for m in messages)}"
            for name, messages in error.message_dict.items()
        )
    return " ".join(str(m) for m in error.messages)


@dataclass
class _Row:
    """One record of the file, read: its values by column (references resolved to local
    ids), its forward references, its many-to-many targets and its key."""

    number: int
    ref: str
    values: dict[str, Any]
    deferred: dict[str, str]  # attname -> ref of a later record of the same section
    m2m: dict[str, list[int]]
    key: tuple


@dataclass
class _Planned:
    row: _Row
    obj: Any
    fate: str
    new: bool
    changed: set[str] = field(default_factory=set)  # field names to update
    m2m: dict[str, list[int]] = field(default_factory=dict)  # m2m fields to write again


def _immutable_changed() -> str:
    return _(
        "This record is never changed once written (a workflow move, a signature, a ledger "
        "entry), and the file differs from it."
    )


_ROW_ERRORS = (ValueError, TypeError, KeyError, LookupError, IntegrityError, DataError)


class _Importer:
    """Writes the records of a history file a batch at a time (bulk inserts and updates with
    their history rows in bulk); a batch the database refuses is written again record by
    record, each in a savepoint, to name the records at fault."""

    def __init__(self, actor: Any, result: ImportResult, keep_rows: bool, progress) -> None:
        self.actor = actor
        self.result = result
        self.keep_rows = keep_rows
        self.progress = progress
        self.User = get_user_model()
        self.refs: dict[str, int] = {}  # ref -> local pk
        self.users: dict[str, int] = {}  # e-mail as in the file -> account pk
        # forward references within a section: (line, ref, pk, attname, target ref)
        self.pending: list[tuple[int, str, int, str, str]] = []
        self.seen = 0
        self.reason = _("Imported from a history file")
        # per section whose table was empty at its first batch: the keys written since (its
        # later batches look for existing rows only when one of their keys is among them)
        self.fresh: dict[str, set[tuple] | None] = {}

    def note(self, number: int, section: str, ref: str, fate: str, reason: str = "") -> None:
        self.result.note(RowFate(number, section, ref, fate, reason), self.keep_rows)

    # --- reading -----------------------------------------------------------------------------

    def refers_to(self, section: Section, record: dict, refs: set[str]) -> bool:
        data = record.get("fields")
        if not isinstance(data, dict):
            return False
        return any(
            isinstance(data.get(name), str) and data[name] in refs for name in _self_refs(section)
        )

    def _load_users(self, section: Section, batch: list[tuple[int, dict]]) -> None:
        """The accounts the batch names, found by e-mail (any case) in one query; an unknown
        one is made without a password (its owner chooses one through the password reset)."""
        model = _model(section)
        names = [f.name for f in _fields(model, section) if _is_user_fk(f)]
        names += [n for n in section.m2m if model._meta.get_field(n).related_model is self.User]
        wanted: set[str] = set()
        for _number, record in batch:
            data = record.get("fields")
            if not isinstance(data, dict):
                continue
            for name in names:
                raw = data.get(name)
                for email in raw if isinstance(raw, list) else [raw]:
                    if isinstance(email, str) and email and email not in self.users:
                        wanted.add(email)
        if not wanted:
            return
        found: dict[str, int] = {}
        accounts = (
            self.User._default_manager.annotate(lowered=Lower("email"))
            .filter(lowered__in={e.lower() for e in wanted})
            .order_by("pk")
            .values_list("pk", "lowered")
        )
        for pk, lowered in accounts:
            found.setdefault(lowered, pk)
        for email in sorted(wanted):
            if email.lower() not in found:
                account = self.User(username=email[:150], email=email)
                account.set_unusable_password()
                account.save()
                found[email.lower()] = account.pk
            self.users[email] = found[email.lower()]

    def _user(self, email: Any) -> int | None:
        if not email:
            return None
        if email not in self.users:
            raise LookupError(_("Unknown account: %(email)s") % {"email": email})
        return self.users[email]

    def _read(self, section: Section, model: Any, number: int, record: dict) -> _Row:
        data = record.get("fields")
        if not isinstance(data, dict):
            raise ValueError(_("The record has no fields."))
        ref = str(record.get("ref", ""))
        values: dict[str, Any] = {}
        deferred: dict[str, str] = {}
        for f, kind in _reading(model, section):
            if f.name not in data:
                continue
            raw = data[f.name]
            if kind == "value":
                values[f.attname] = raw if raw is None else _parse_value(f, raw)
            elif kind == "account":
                values[f.attname] = self._user(raw)
            elif kind == "ref":
                if raw is None:
                    values[f.attname] = None
                elif raw in self.refs:
                    values[f.attname] = self.refs[raw]
                elif f.related_model is model and f.null:
                    values[f.attname] = None  # set once its target is in (later in the section)
                    deferred[f.attname] = raw
                else:
                    raise LookupError(
                        _(
                            "Field “%(field)s” refers to %(ref)s, which is not in the file "
                            "before it."
                        )
                        % {"field": f.name, "ref": raw}
                    )
        m2m: dict[str, list[int]] = {}
        for name in section.m2m:
            targets = data.get(name) or []
            if model._meta.get_field(name).related_model is self.User:
                ids = [self._user(email) for email in targets]
            else:
                missing = [t for t in targets if t not in self.refs]
                if missing:
                    raise LookupError(
                        _("Unknown references: %(refs)s") % {"refs": ", ".join(missing[:5])}
                    )
                ids = [self.refs[t] for t in targets]
            m2m[name] = sorted({i for i in ids if i is not None})
        key = tuple(_comparable(values.get(column)) for column in _key_columns(model, section))
        return _Row(number, ref, values, deferred, m2m, key)

    # --- writing a batch ---------------------------------------------------------------------

    def write(self, section: Section, batch: list[tuple[int, dict]]) -> None:
        if not batch:
            return
        model = _model(section)
        self._load_users(section, batch)
        rows: list[_Row] = []
        for number, record in batch:
            try:
                rows.append(self._read(section, model, number, record))
            except _ROW_ERRORS as error:
                self.note(number, section.name, str(record.get("ref", "")), "error", str(error))
            except ValidationError as error:
                reason = _validation_reason(error)
                self.note(number, section.name, str(record.get("ref", "")), "error", reason)
        planned = self._plan(section, model, rows)
        try:
            with transaction.atomic():
                self._save(section, model, planned)
        except (*_ROW_ERRORS, ValidationError):
            # A rule the database checks (a unique pair, a check constraint) refused the
            # batch: write it again one record at a time to name the records at fault.
            for plan in planned:
                self._one(section, model, plan.row)
        else:
            for plan in planned:
                self._done(section, plan.row, plan.obj.pk, plan.fate)
        fresh = self.fresh.get(section.name)
        if fresh is not None:
            fresh.update(plan.row.key for plan in planned)
        self.seen += len(batch)
        if self.progress:
            self.progress(self.seen)

    def _plan(self, section: Section, model: Any, rows: list[_Row]) -> list[_Planned]:
        """Decide each record's fate: created (a new object), updated or unchanged (the row
        with the same key). Nothing is written yet."""
        existing = self._existing(section, model, rows)
        current_m2m = self._current_m2m(section, model, [o.pk for o in existing.values()])
        relations = [f.name for f in model._meta.concrete_fields if f.is_relation]
        attnames = {f.attname: f.name for f in model._meta.concrete_fields}
        immutable = section.immutable or issubclass(model, _transition_base())
        new_by_key: dict[tuple, _Planned] = {}
        planned: list[_Planned] = []
        for row in rows:
            known = existing.get(row.key)
            earlier = new_by_key.get(row.key)
            try:
                if known is None and earlier is None:
                    obj = model(**row.values)
                    obj.clean_fields(
                        exclude=relations
                        + [
                            f.name
                            for f in model._meta.concrete_fields
                            if f.null and row.values.get(f.attname) is None
                        ]
                    )
                    plan = _Planned(row, obj, "created", True, m2m=dict(row.m2m))
                    new_by_key[row.key] = plan
                    planned.append(plan)
                    continue
                obj = known if known is not None else earlier.obj  # type: ignore[union-attr]
                changed = {
                    k: v
                    for k, v in row.values.items()
                    if k not in row.deferred and _comparable(getattr(obj, k)) != _comparable(v)
                }
                if changed and immutable:
                    raise ValueError(_immutable_changed())
                for k, v in changed.items():
                    setattr(obj, k, v)
                if earlier is not None and known is None:  # twice in the file: the last wins
                    earlier.m2m.update(row.m2m)
                    plan = _Planned(row, obj, "updated" if changed else "unchanged", False)
                    planned.append(plan)
                    continue
                m2m = {
                    name: ids
                    for name, ids in row.m2m.items()
                    if set(ids) != current_m2m.get(name, {}).get(obj.pk, set())
                }
                fate = "updated" if changed or m2m else "unchanged"
                planned.append(_Planned(row, obj, fate, False, {attnames[k] for k in changed}, m2m))
            except _ROW_ERRORS as error:
                self.note(row.number, section.name, row.ref, "error", str(error))
            except ValidationError as error:
                self.note(row.number, section.name, row.ref, "error", _validation_reason(error))
        return planned

    def _existing(self, section: Section, model: Any, rows: list[_Row]) -> dict[tuple, Any]:
        """The batch's records already in the database, by key, in one query (each key
        column among the batch's values; the exact keys are then matched here)."""
        if not rows:
            return {}
        if section.name not in self.fresh:
            self.fresh[section.name] = None if model._default_manager.exists() else set()
        fresh = self.fresh[section.name]
        if fresh is not None and not any(row.key in fresh for row in rows):
            return {}  # an empty table at the section's start, and none of its keys since
        columns = _key_columns(model, section)
        where = Q()
        for i, column in enumerate(columns):
            values = {row.key[i] for row in rows}
            known = [v for v in values if v is not None]
            part = Q(**{f"{column}__in": known}) if known else Q(pk__in=[])
            if None in values:
                part |= Q(**{f"{column}__isnull": True})
            where &= part
        found: dict[tuple, Any] = {}
        for obj in model._default_manager.filter(where).order_by("pk").iterator(chunk_size=2000):
            found.setdefault(tuple(_comparable(getattr(obj, c)) for c in columns), obj)
        return found

    def _current_m2m(self, section: Section, model: Any, pks: list[int]) -> dict:
        current: dict[str, dict[int, set[int]]] = {}
        for name in section.m2m:
            current[name] = {}
            if not pks:
                continue
            through, source, target = _through(model, name)
            pairs = through.objects.filter(**{f"{source}__in": pks}).values_list(source, target)
            for owner, value in pairs.iterator(chunk_size=5000):
                current[name].setdefault(owner, set()).add(value)
        return current

    def _save(self, section: Section, model: Any, planned: list[_Planned]) -> None:
        manager = model._default_manager
        new = [p for p in planned if p.new]
        copied = False  # the new rows' history rows written with them
        if new:
            objs = [p.obj for p in new]
            copied = _copy_as_read(model, objs, _history_manager(model), self.actor, self.reason)
            if not copied:
                _insert_as_read(model, objs)
        changed = [p for p in planned if not p.new and p.changed]
        if changed:
            names = sorted(set().union(*(p.changed for p in changed)))
            unique = list({id(p.obj): p.obj for p in changed}.values())
            manager.bulk_update(unique, names)
        for name in section.m2m:
            through, source, target = _through(model, name)
            again = {p.obj.pk: p.m2m[name] for p in planned if name in p.m2m}
            stale = [p.obj.pk for p in planned if not p.new and name in p.m2m]
            if stale:
                through.objects.filter(**{f"{source}__in": stale}).delete()
            through.objects.bulk_create(
                through(**{source: owner, target: value})
                for owner, ids in again.items()
                for value in ids
            )
        history = _history_manager(model)
        if history is not None:
            created = [p.obj for p in new]
            touched = list({id(p.obj): p.obj for p in planned if p.fate == "updated"}.values())
            created_ids = {id(o) for o in created}
            touched = [o for o in touched if id(o) not in created_ids]
            if created and not copied:
                history.bulk_history_create(
                    created, default_user=self.actor, default_change_reason=self.reason
                )
            if touched and not _copy_history(model, history, touched, "~", self.actor, self.reason):
                history.bulk_history_create(
                    touched,
                    update=True,
                    default_user=self.actor,
                    default_change_reason=self.reason,
                )
        if section.after_write is not None:
            written = sorted({p.obj.pk for p in planned if p.fate != "unchanged"})
            if written:
                section.after_write(written)

    def _done(self, section: Section, row: _Row, pk: int, fate: str) -> None:
        self.refs[row.ref] = pk
        for attname, target in row.deferred.items():
            self.pending.append((row.number, row.ref, pk, attname, target))
        self.note(row.number, section.name, row.ref, fate)

    # --- one record at a time (a batch the database refused) ---------------------------------

    def _one(self, section: Section, model: Any, row: _Row) -> None:
        try:
            with transaction.atomic():
                obj, fate = self._write_one(section, model, row)
        except _ROW_ERRORS as error:
            self.note(
                row.number, section.name, row.ref, "error", str(error) or type(error).__name__
            )
        except ValidationError as error:
            self.note(row.number, section.name, row.ref, "error", _validation_reason(error))
        else:
            self._done(section, row, obj.pk, fate)

    def _write_one(self, section: Section, model: Any, row: _Row) -> tuple[Any, str]:
        columns = _key_columns(model, section)
        lookup = {column: row.values.get(column) for column in columns}
        existing = model._default_manager.filter(**lookup).order_by("pk").first()
        if existing is None:
            obj = model(**row.values)
            _attribute(obj, self.actor, self.reason)
            obj.clean_fields(
                exclude=[
                    f.name
                    for f in model._meta.concrete_fields
                    if f.is_relation or (f.null and row.values.get(f.attname) is None)
                ]
            )
            obj.save()
            fixed = {
                f.attname: row.values[f.attname]
                for f in model._meta.concrete_fields
                if getattr(f, "auto_now_add", False) and row.values.get(f.attname) is not None
            }
            if fixed:
                model._default_manager.filter(pk=obj.pk).update(**fixed)
            fate = "created"
        else:
            obj = existing
            changed = {
                k: v
                for k, v in row.values.items()
                if k not in row.deferred and _comparable(getattr(obj, k)) != _comparable(v)
            }
            if changed and (section.immutable or isinstance(obj, _transition_base())):
                raise ValueError(_immutable_changed())
            if changed:
                for k, v in changed.items():
                    setattr(obj, k, v)
                _attribute(obj, self.actor, self.reason)
                obj.save()
            fate = "updated" if changed else "unchanged"
        for name, ids in row.m2m.items():
            manager = getattr(obj, name)
            if set(manager.values_list("pk", flat=True)) != set(ids):
                manager.set(ids)
                if fate == "unchanged":
                    fate = "updated"
        return obj, fate

    # --- the end of a section: its forward references ----------------------------------------

    def finish(self, section: Section) -> None:
        if self.fresh.get(section.name) is not None:
            self.fresh[section.name] = None  # its keys matter within the section only
        if not self.pending:
            return
        model = _model(section)
        names_of = {f.attname: f.name for f in model._meta.concrete_fields}
        objs = model._default_manager.in_bulk([pk for _n, _r, pk, _a, _t in self.pending])
        changed: dict[int, Any] = {}
        names: set[str] = set()
        for number, ref, pk, attname, target in self.pending:
            if target not in self.refs:
                self.note(
                    number,
                    section.name,
                    ref,
                    "error",
                    _("%(ref)s refers to %(target)s, which is not in the file.")
                    % {"ref": ref, "target": target},
                )
                continue
            obj = objs[pk]
            if getattr(obj, attname) != self.refs[target]:
                setattr(obj, attname, self.refs[target])
                changed[pk] = obj
                names.add(names_of[attname])
        self.pending.clear()
        if changed:
            model._default_manager.bulk_update(list(changed.values()), sorted(names))
            history = _history_manager(model)
            if history is not None:
                history.bulk_history_create(
                    list(changed.values()),
                    update=True,
                    default_user=self.actor,
                    default_change_reason=self.reason,
                )


@functools.cache
def _reading(model: Any, section: Section) -> tuple[tuple[models.Field, str], ...]:
    """The fields a record of ``section`` may hold, each with how it is read: "account" (an
    e-mail), "ref" (another record's ref) or "value"."""
    return tuple(
        (f, "account" if _is_user_fk(f) else "ref" if f.is_relation else "value")
        for f in _fields(model, section)
    )


@functools.cache
def _self_refs(section: Section) -> tuple[str, ...]:
    """The fields by which a record of ``section`` refers to another of the same section."""
    model = _model(section)
    return tuple(
        f.name for f in _fields(model, section) if f.is_relation and f.related_model is model
    )


def _stamp(model: Any, objs: list[Any]) -> None:
    """What ``pre_save`` would have stamped and the file does not hold (``updated_at``)."""
    now = timezone.now()
    stamped = [
        f
        for f in model._meta.concrete_fields
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
    ]
    for obj in objs:
        for f in stamped:
            if getattr(f, "auto_now", False) or getattr(obj, f.attname) is None:
                value = now if isinstance(f, models.DateTimeField) else now.date()
                setattr(obj, f.attname, value)


def _insert_as_read(model: Any, objs: list[Any]) -> None:
    """``bulk_create`` without the fields' ``pre_save``, as ``loaddata`` saves (``raw``): a
    time of creation (``auto_now_add``) stays the file's, not the import's, with no second
    query to put it back. What ``pre_save`` would have stamped and the file does not hold
    (``updated_at``) is stamped here."""
    _stamp(model, objs)
    queryset = model._default_manager.all()
    # This queryset only (not the model, not other threads): its inserts are raw.
    queryset._insert = functools.partial(queryset._insert, raw=True)
    created = queryset.bulk_create(objs)
    if any(o.pk is None for o in created):  # pragma: no cover (SQLite before 3.35)
        raise IntegrityError("the database did not return the new rows' ids")


# Values PostgreSQL's COPY takes as they are (psycopg adapts them by type); any other field's
# value goes through the field's get_db_prep_save (a JSON value, a search vector, a date and
# time: one without a time zone is read in the site's, as an insert reads it).
_PLAIN_TYPES = frozenset(
    {
        "AutoField",
        "BigAutoField",
        "SmallAutoField",
        "BigIntegerField",
        "IntegerField",
        "SmallIntegerField",
        "PositiveIntegerField",
        "PositiveBigIntegerField",
        "PositiveSmallIntegerField",
        "CharField",
        "TextField",
        "SlugField",
        "BooleanField",
        "DateField",
        "TimeField",
        "DecimalField",
        "ForeignKey",
        "OneToOneField",
        "UUIDField",
    }
)


def _copying(model: Any) -> Any:
    """The connection to COPY ``model``'s rows through, or None where COPY is not used (not
    PostgreSQL, or a primary key the database does not number)."""
    connection = connections[model._default_manager.db]
    if connection.vendor != "postgresql":
        return None
    if not isinstance(
        model._meta.pk, models.AutoField | models.BigAutoField | models.SmallAutoField
    ):
        return None
    return connection


def _prepare(f: models.Field, connection: Any) -> Callable[[Any], Any] | None:
    if f.get_internal_type() in _PLAIN_TYPES:
        return None
    return lambda value: f.get_db_prep_save(value, connection)


def _copy_rows(connection: Any, table: str, columns: list[str], rows: Iterable[tuple]) -> None:
    quote = connection.ops.quote_name
    sql = f"COPY {quote(table)} ({', '.join(quote(c) for c in columns)}) FROM STDIN"
    # psycopg's errors become Django's (IntegrityError, DataError): the batch is then written
    # again record by record, to name the records at fault
    with (
        connection.cursor() as cursor,
        connection.wrap_database_errors,
        cursor.cursor.copy(sql) as copy,
    ):
        for row in rows:
            copy.write_row(row)


def _copy_as_read(model: Any, objs: list[Any], history: Any, actor: Any, reason: str) -> bool:
    """On PostgreSQL, write new rows as read (as ``_insert_as_read``) with ``COPY``: their ids
    are drawn from the table's sequence first (in the file's order), then the rows and their
    history rows go in one COPY each. Returns False (nothing written) where COPY is not used;
    True when the rows and, if the model keeps history, their history rows are written."""
    connection = _copying(model)
    if connection is None or (history is not None and _history_columns(history.model) is None):
        return False
    _stamp(model, objs)
    pk = model._meta.pk
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [model._meta.db_table, pk.column, len(objs)],
        )
        ids = sorted(row[0] for row in cursor.fetchall())
    for obj, pk_value in zip(objs, ids, strict=True):
        obj.pk = pk_value
        obj._state.adding = False
        obj._state.db = connection.alias
    fields = [f for f in model._meta.concrete_fields if not f.generated]
    prepared = [(f.attname, _prepare(f, connection)) for f in fields]
    _copy_rows(
        connection,
        model._meta.db_table,
        [f.column for f in fields],
        (
            tuple(
                getattr(obj, attname) if prep is None else prep(getattr(obj, attname))
                for attname, prep in prepared
            )
            for obj in objs
        ),
    )
    if history is not None:
        _copy_history(model, history, objs, "+", actor, reason)
    return True


_HISTORY_OWN = (
    "history_date",
    "history_change_reason",
    "history_type",
    "history_user",
    "history_relation",
)


@functools.cache
def _history_columns(history_model: Any) -> list[tuple[str, str, Any]] | None:
    """The columns of a simple-history table as (column, what, field): ``what`` names the
    history's own value (date, user, reason, type, relation) or "tracked" (the record's
    field's value). None when the table has a column this does not know how to fill."""
    tracked = {f.attname: f for f in history_model.tracked_fields}
    out: list[tuple[str, str, Any]] = []
    for f in history_model._meta.concrete_fields:
        if f.primary_key:
            continue
        if f.name in _HISTORY_OWN:
            out.append((f.column, f.name, None))
        elif f.attname in tracked:
            out.append((f.column, "tracked", tracked[f.attname]))
        else:
            return None
    return out


def _copy_history(
    model: Any, history: Any, objs: list[Any], kind: str, actor: Any, reason: str
) -> bool:
    """The history rows of ``objs`` (``kind`` "+" created, "~" changed) as
    ``bulk_history_create`` makes them, written with one COPY; False where COPY is not used."""
    connection = _copying(model)
    columns = _history_columns(history.model) if connection is not None else None
    if connection is None or columns is None or not objs:
        return False
    user = actor or history.model.get_default_history_user(objs[0])
    own = {
        "history_date": timezone.now(),
        "history_change_reason": reason,
        "history_type": kind,
        "history_user": getattr(user, "pk", None),
    }
    getters: list[Callable[[Any], Any]] = []
    for _column, what, f in columns:
        if what == "tracked":
            prep = _prepare(f, connection)
            if prep is None:
                getters.append(functools.partial(lambda a, obj: getattr(obj, a), f.attname))
            else:
                getters.append(
                    functools.partial(lambda a, p, obj: p(getattr(obj, a)), f.attname, prep)
                )
        elif what == "history_relation":
            getters.append(lambda obj: obj.pk)
        else:
            getters.append(functools.partial(lambda v, obj: v, own[what]))
    _copy_rows(
        connection,
        history.model._meta.db_table,
        [column for column, _what, _f in columns],
        (tuple(get(obj) for get in getters) for obj in objs),
    )
    return True


def _key_columns(model: Any, section: Section) -> list[str]:
    columns = []
    for name in section.key:
        key_field = model._meta.get_field(name)
        columns.append(key_field.attname if key_field.is_relation else name)
    return columns


def _through(model: Any, name: str) -> tuple[Any, str, str]:
    m2m_field = model._meta.get_field(name)
    through = m2m_field.remote_field.through
    return through, f"{m2m_field.m2m_field_name()}_id", f"{m2m_field.m2m_reverse_field_name()}_id"


def _history_manager(model: Any) -> Any:
    attribute = getattr(model._meta, "simple_history_manager_attribute", None)
    return getattr(model, attribute) if attribute else None


def _transition_base() -> type:
    from talent_exchange.core.models import TransitionRecord

    return TransitionRecord


def _comparable(value: Any) -> Any:
    if isinstance(value, memoryview):
        return bytes(value)
    if isinstance(value, datetime):
        return value.astimezone(UTC)
    return value


def _attribute(obj: models.Model, actor: Any, reason: str) -> None:
    if hasattr(type(obj), "history"):
        attribute_to(obj, actor, reason=reason)


# ---------------------------------------------------------------------------------------------
# The JSON Schema of one line (docs/history-format.schema.json is this, written out)
# ---------------------------------------------------------------------------------------------


def _field_schema(f: models.Field) -> dict[str, Any]:
    if _is_user_fk(f):
        kind: dict[str, Any] = {"type": "string", "description": "an account's e-mail address"}
    elif f.is_relation:
        target = next(
            (s.name for s in sections() if _model(s) is f.related_model), str(f.related_model)
        )
        kind = {"type": "string", "pattern": f"^{target}/[0-9]+$"}
    elif isinstance(f, models.DateTimeField):
        kind = {"type": "string", "format": "date-time"}
    elif isinstance(f, models.DateField):
        kind = {"type": "string", "format": "date"}
    elif isinstance(f, models.TimeField):
        kind = {"type": "string", "format": "time"}
    elif isinstance(f, models.DecimalField):
        kind = {"type": "string", "pattern": "^-?[0-9]+(\\.[0-9]+)?$"}
    elif isinstance(f, models.BinaryField):
        kind = {"type": "string", "contentEncoding": "base64"}
    elif isinstance(f, models.BooleanField):
        kind = {"type": "boolean"}
    elif isinstance(f, models.IntegerField):
        kind = {"type": "integer"}
    elif isinstance(f, models.JSONField):
        kind = {}
    else:
        kind = {"type": "string"}
        if f.choices:
            kind["enum"] = [value for value, _label in f.flatchoices]
            if f.blank and "" not in kind["enum"]:
                kind["enum"].append("")
    if f.null and kind:
        kind = {"anyOf": [kind, {"type": "null"}]}
    return kind


def json_schema() -> dict[str, Any]:
    """The JSON Schema of one line of a history file (every line is one of these)."""
    records = []
    for section in sections():
        model = _model(section)
        properties = {f.name: _field_schema(f) for f in _fields(model, section)}
        for name in section.m2m:
            properties[name] = {"type": "array", "items": {"type": "string"}}
        records.append(
            {
                "title": section.name,
                "description": f"{model._meta.verbose_name_plural}: key {', '.join(section.key)}",
                "type": "object",
                "required": ["section", "ref", "key", "fields"],
                "additionalProperties": False,
                "properties": {
                    "section": {"const": section.name},
                    "ref": {"type": "string", "pattern": f"^{section.name}/[0-9]+$"},
                    "key": {"type": "object", "required": list(section.key)},
                    "fields": {
                        "type": "object",
                        "additionalProperties": False,
                        "properties": properties,
                    },
                },
            }
        )
    header = {
        "title": "header (the first line)",
        "type": "object",
        "required": ["format", "version", "exported_at", "program", "sections"],
        "properties": {
            "format": {"const": FORMAT},
            "version": {"const": VERSION},
            "exported_at": {"type": "string", "format": "date-time"},
            "program": {"type": "string"},
            "exported_by": {"type": "string"},
            "sections": {"type": "array", "items": {"type": "string"}},
        },
    }
    audit = {
        "title": AUDIT_SECTION,
        "type": "object",
        "required": ["section", "ref", "fields"],
        "properties": {
            "section": {"const": AUDIT_SECTION},
            "ref": {"type": "string"},
            "key": {"type": "object"},
            "fields": {
                "type": "object",
                "properties": {
                    "record": {"type": "string"},
                    "action": {"enum": ["+", "~", "-"]},
                    "at": {"type": "string", "format": "date-time"},
                    "by": {"type": ["string", "null"]},
                    "reason": {"type": ["string", "null"]},
                },
            },
        },
    }
    end = {
        "title": "end (the last line)",
        "type": "object",
        "required": ["section", "counts"],
        "properties": {
            "section": {"const": "end"},
            "counts": {"type": "object", "additionalProperties": {"type": "integer"}},
        },
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://talent-exchange.example/schemas/history-v1.json",
        "title": f"Talent Exchange history format, version {VERSION}: one line",
        "description": "A history file is JSON Lines: a header, records, the end mark. "
        "See docs/history-format.md.",
        "oneOf": [header, *records, audit, end],
    }


# ---------------------------------------------------------------------------------------------
# The same history as a workbook, for people who read it in Excel
# ---------------------------------------------------------------------------------------------


def history_workbook(lines: Iterable[str], target: Any) -> int:
    """Write a history file (its lines, read one at a time) as an Excel workbook: one sheet
    per section, a column per field (``ref`` first), typed cells. Returns the records
    written. For reading only: the import reads the JSON Lines file."""
    from .registry import Column
    from .writers import write_xlsx_sheets

    def sheets() -> Iterator[tuple[str, list[Column], Iterator[tuple]]]:
        stream = iter(read_lines(lines))
        pending: dict | None = None
        for _number, record in stream:
            if "section" in record and record["section"] != "end":
                pending = record
                break
        while pending is not None:
            name = pending["section"]
            names = ["ref", *sorted(pending.get("fields", {}))]
            columns = [Column(n, n, width=24 if n != "ref" else 18) for n in names]
            first = pending
            pending = None

            def rows(first: dict = first, name: str = name, names: list[str] = names):
                nonlocal pending
                record = first
                while True:
                    fields = record.get("fields", {})
                    yield tuple(
                        [record.get("ref")] + [_cell_value(fields.get(n)) for n in names[1:]]
                    )
                    following = next(stream, None)
                    if following is None:
                        return
                    record = following[1]
                    if record.get("section") != name:
                        if record.get("section") != "end":
                            pending = record
                        return

            yield name, columns, rows()

    return write_xlsx_sheets(target, sheets())


def _cell_value(value: Any) -> Any:
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    if isinstance(value, str) and len(value) == 10 and value[4:5] == "-" and value[7:8] == "-":
        parsed = parse_date(value)
        return parsed if parsed is not None else value
    return value
