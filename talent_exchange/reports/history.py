"""A program's whole history in and out: the **history format** (docs/history-format.md,
JSON Schema in docs/history-format.schema.json).

The file is JSON Lines: one JSON object per line. The first line is the header (format name,
version, program, exporter, time); then one line per record, in the order of ``SECTIONS``
(what a record refers to always comes before it); the last line is the end mark with the
count of records per section, so a truncated file is refused. Writing and reading go one line
at a time: memory stays bounded however large the program.

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
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import IO, Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from talent_exchange.core.history import attribute_to, visible_history

FORMAT = "talent-exchange-history"
VERSION = 1


@dataclass(frozen=True)
class Section:
    name: str
    model: str  # app_label.ModelName
    scope: Callable[[Any], Q]  # the records of one program
    key: tuple[str, ...]  # fields that identify a record in any deployment
    exclude: tuple[str, ...] = ()
    m2m: tuple[str, ...] = ()


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
    return Q(pk__in=ids)


def _people_scope(program: Any) -> Q:
    nominated = Q(nominations__cycle__program=program)
    placed = (
        Q(placements__program=program)
        | Q(coached_placements__program=program)
        | Q(supervised_placements__program=program)
    )
    involved = nominated | placed
    Person = apps.get_model("people", "Person")
    supervisors = Person.objects.filter(involved).exclude(supervisor=None).values("supervisor_id")
    return involved | Q(pk__in=supervisors)


# Order matters: a record only refers to records of earlier sections (or of its own, earlier).
SECTIONS: tuple[Section, ...] = (
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
BY_NAME = {s.name: s for s in SECTIONS}
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
    if isinstance(value, date):
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
    header = {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": _plain(now or timezone.now()),
        "program": program.name,
        "exported_by": getattr(user, "email", "") or "",
        "sections": [s.name for s in SECTIONS] + ([AUDIT_SECTION] if audit else []),
    }
    out.write(_dump(header))
    result = ExportResult()
    refs: dict[str, dict[int, str]] = {}  # model label -> pk -> ref
    for index, section in enumerate(SECTIONS):
        model = _model(section)
        label = model._meta.label
        refs.setdefault(label, {})
        rows = model._default_manager.filter(section.scope(program))
        if hasattr(rows, "visible_to"):
            rows = rows.visible_to(user)
        rows = rows.order_by("pk").distinct()
        concrete = _fields(model, section)
        user_fks = [f for f in concrete if _is_user_fk(f)]
        related = [f.name for f in user_fks]
        if related:
            rows = rows.select_related(*related)
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
        n = 0
        for obj in rows.iterator(chunk_size=2000):
            values: dict[str, Any] = {}
            skip = False
            for f in concrete:
                if _is_user_fk(f):
                    account = getattr(obj, f.name)
                    values[f.name] = account.email if account is not None else None
                elif f.is_relation:
                    target = getattr(obj, f.attname)
                    if target is None:
                        values[f.name] = None
                        continue
                    ref = refs.get(f.related_model._meta.label, {}).get(target)  # type: ignore[union-attr]
                    if ref is None and not f.null:
                        skip = True  # what it belongs to was left out (not visible)
                        break
                    values[f.name] = ref
                else:
                    values[f.name] = _plain(getattr(obj, f.attname))
            if skip:
                own.pop(obj.pk, None)
                continue
            for name in section.m2m:
                target_model = model._meta.get_field(name).related_model
                found = m2m_values[name].get(obj.pk, [])
                if target_model is get_user_model():
                    values[name] = sorted(found)
                else:
                    target_refs = refs.get(target_model._meta.label, {})  # type: ignore[union-attr]
                    values[name] = sorted(
                        (target_refs[t] for t in found if t in target_refs), key=_ref_order
                    )
            n += 1
            ref = own[obj.pk]
            key = {k: values.get(k) for k in section.key}
            out.write(_dump({"section": section.name, "ref": ref, "key": key, "fields": values}))
        result.counts[section.name] = n
        result.lines += n
        if progress:
            progress(index + 1, len(SECTIONS) + 1)
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
    return result


def _import_records(lines, actor, result: ImportResult, keep_rows: bool, progress) -> bool:
    User = get_user_model()
    refs: dict[str, int] = {}  # ref -> local pk
    users: dict[str, Any] = {}
    pending: list[tuple[Any, str, str, str]] = []  # forward references within a section
    seen = 0
    for number, record in lines:
        name = record.get("section")
        if pending and (
            name == "end"
            or (BY_NAME.get(name or "") is not None and _model(BY_NAME[name]) is not pending[0][0])
        ):
            _resolve(pending, refs, actor)
        if name == "end":
            return True
        if name == AUDIT_SECTION:
            continue
        section = BY_NAME.get(name or "")
        ref = str(record.get("ref", ""))
        if section is None:
            result.note(RowFate(number, str(name), ref, "error", _("Unknown section.")), keep_rows)
            continue
        seen += 1
        if progress and seen % 500 == 0:
            progress(seen)
        try:
            with transaction.atomic():
                fate = _import_one(section, record, refs, users, actor, User, pending)
        except (ValueError, TypeError, KeyError, IntegrityError, LookupError) as error:
            fate = ("error", str(error) or type(error).__name__)
        except ValidationError as error:
            fate = ("error", _validation_reason(error))
        result.note(RowFate(number, section.name, ref, fate[0], fate[1]), keep_rows)
    return False


def _validation_reason(error: ValidationError) -> str:
    if hasattr(error, "error_dict"):
        return "; ".join(
            f"{name}: {' '.join(str(m) for m in messages)}"
            for name, messages in error.message_dict.items()
        )
    return " ".join(str(m) for m in error.messages)


def _resolve(pending: list, refs: dict[str, int], actor: Any) -> None:
    for model, ref, attname, target in pending:
        if target not in refs:
            raise LookupError(
                _("%(ref)s refers to %(target)s, which is not in the file.")
                % {"ref": ref, "target": target}
            )
        obj = model._default_manager.get(pk=refs[ref])
        if getattr(obj, attname) != refs[target]:
            setattr(obj, attname, refs[target])
            _attribute(obj, actor)
            obj.save()
    pending.clear()


def _user(email: str | None, users: dict[str, Any], User: Any) -> Any:
    if not email:
        return None
    if email not in users:
        account = User.objects.filter(email__iexact=email).first()
        if account is None:
            # an account that signs in once it chooses a password (the password reset)
            account = User(username=email[:150], email=email)
            account.set_unusable_password()
            account.save()
        users[email] = account
    return users[email]


def _import_one(
    section: Section, record: dict, refs: dict[str, int], users, actor, User, pending: list
) -> tuple[str, str]:
    model = _model(section)
    data = record.get("fields")
    if not isinstance(data, dict):
        raise ValueError(_("The record has no fields."))
    values: dict[str, Any] = {}
    deferred: set[str] = set()
    for f in _fields(model, section):
        if f.name not in data:
            continue
        raw = data[f.name]
        if _is_user_fk(f):
            values[f.attname] = _user(raw, users, User).pk if raw else None
        elif f.is_relation:
            if raw is None:
                values[f.attname] = None
            elif raw in refs:
                values[f.attname] = refs[raw]
            elif f.related_model is model and f.null:
                values[f.attname] = None  # set once its target is in (later in the section)
                deferred.add(f.attname)
                pending.append((model, str(record.get("ref")), f.attname, raw))
            else:
                raise LookupError(
                    _("Field “%(field)s” refers to %(ref)s, which is not in the file before it.")
                    % {"field": f.name, "ref": raw}
                )
        else:
            values[f.attname] = _parse_value(f, raw)
    lookup = {}
    for name in section.key:
        key_field = model._meta.get_field(name)
        column = getattr(key_field, "attname", name) if key_field.is_relation else name
        lookup[column] = values.get(column)
    existing = model._default_manager.filter(**lookup).first()
    if existing is None:
        obj = model(**dict(values.items()))
        _attribute(obj, actor)
        obj.clean_fields(
            exclude=[
                f.name
                for f in model._meta.concrete_fields
                if f.is_relation or (f.null and values.get(f.attname) is None)
            ]
        )
        obj.save()
        fixed = {
            f.attname: values[f.attname]
            for f in model._meta.concrete_fields
            if getattr(f, "auto_now_add", False) and values.get(f.attname) is not None
        }
        if fixed:
            model._default_manager.filter(pk=obj.pk).update(**fixed)
        fate = "created"
    else:
        obj = existing
        changed = {
            k: v
            for k, v in values.items()
            if k not in deferred and _comparable(getattr(obj, k)) != _comparable(v)
        }
        if changed and isinstance(obj, _transition_base()):
            raise ValueError(_("A recorded transition differs from the file; it cannot change."))
        if changed:
            for k, v in changed.items():
                setattr(obj, k, v)
            _attribute(obj, actor)
            obj.save()
        fate = "updated" if changed else "unchanged"
    for name in section.m2m:
        targets = data.get(name) or []
        related = model._meta.get_field(name).related_model
        if related is User:
            ids = [_user(email, users, User).pk for email in targets]
        else:
            missing = [t for t in targets if t not in refs]
            if missing:
                raise LookupError(
                    _("Unknown references: %(refs)s") % {"refs": ", ".join(missing[:5])}
                )
            ids = [refs[t] for t in targets]
        manager = getattr(obj, name)
        current = set(manager.values_list("pk", flat=True))
        if current != set(ids):
            manager.set(ids)
            if fate == "unchanged":
                fate = "updated"
    refs[str(record.get("ref"))] = obj.pk
    return fate, ""


def _transition_base() -> type:
    from talent_exchange.core.models import TransitionRecord

    return TransitionRecord


def _comparable(value: Any) -> Any:
    if isinstance(value, memoryview):
        return bytes(value)
    if isinstance(value, datetime):
        return value.astimezone(UTC)
    return value


def _attribute(obj: models.Model, actor: Any) -> None:
    if actor is not None and hasattr(type(obj), "history"):
        attribute_to(obj, actor, reason=_("Imported from a history file"))


# ---------------------------------------------------------------------------------------------
# The JSON Schema of one line (docs/history-format.schema.json is this, written out)
# ---------------------------------------------------------------------------------------------


def _field_schema(f: models.Field) -> dict[str, Any]:
    if _is_user_fk(f):
        kind: dict[str, Any] = {"type": "string", "description": "an account's e-mail address"}
    elif f.is_relation:
        target = next(
            (s.name for s in SECTIONS if _model(s) is f.related_model), str(f.related_model)
        )
        kind = {"type": "string", "pattern": f"^{target}/[0-9]+$"}
    elif isinstance(f, models.DateTimeField):
        kind = {"type": "string", "format": "date-time"}
    elif isinstance(f, models.DateField):
        kind = {"type": "string", "format": "date"}
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
    for section in SECTIONS:
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
