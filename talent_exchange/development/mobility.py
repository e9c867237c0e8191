"""Reads for mobility compliance and the yearly rotation data call, in a fixed number of
queries whatever the program's size: the people, their assignments and their approved
exceptions are read once each, and ``compliance.mobility_status`` decides in Python."""

from __future__ import annotations

import hashlib
from array import array
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal

from django.core.cache import cache
from django.db import connection
from django.db.models import Max, Q
from django.utils import timezone

from talent_exchange.organizations.models import Kind, Organization
from talent_exchange.people.models import MobilityRecord, Person
from talent_exchange.programs.models import Program

from .compliance import Exemption, Rule, Status, Stint, Verdict, counts, mobility_status
from .models import DevelopmentPlan, MobilityException, MobilityRule

# Organisations that are government, for the data call's "outside government" column.
GOVERNMENT_KINDS = frozenset(
    {
        Kind.GOVERNMENT,
        Kind.MINISTRY,
        Kind.DEPARTMENT,
        Kind.BRANCH,
        Kind.AGENCY,
        Kind.CITY,
        Kind.COUNTY,
        Kind.SPECIAL_DISTRICT,
        Kind.TRIBAL_GOVERNMENT,
    }
)


def rule_for(program: Program) -> MobilityRule:
    """The program's rule (unsaved defaults when it has none yet)."""
    try:
        return program.mobility_rule
    except MobilityRule.DoesNotExist:
        return MobilityRule(program=program)


def as_rule(rule: MobilityRule) -> Rule:
    return Rule(
        interval_years=rule.interval_years,
        min_days=rule.min_days,
        counted_types=frozenset(rule.counted_types),
        due_within_months=rule.due_within_months,
        min_moves=rule.min_moves,
        max_moves=rule.max_moves,
        moves_period_years=rule.moves_period_years,
    )


def organization_ids(program: Program) -> set[int]:
    return Program.organization_ids_by_program([program.pk]).get(program.pk, set())


def executives(program: Program):
    return Person.objects.filter(organization_id__in=organization_ids(program))


@dataclass
class Row:
    person: Person
    verdict: Verdict


@dataclass
class Compliance:
    rows: list[Row]
    by_status: dict[Status, list[Row]] = field(default_factory=dict)

    def count(self, status: Status) -> int:
        return len(self.by_status.get(status, []))


def compliance_of(program: Program, today: date, people=None) -> Compliance:
    """Every executive of ``program`` (or ``people``) with their verdict: four queries."""
    org_ids = organization_ids(program) if people is None else set()
    chosen = Person.objects.filter(organization_id__in=org_ids) if people is None else people
    # the whole program: joined by organisation, not a list of 10,000 ids in the SQL
    mine = Q(person__organization_id__in=org_ids) if people is None else None
    people = list(
        chosen.select_related("organization").defer("search_vector")  # derived, never shown
    )
    if mine is None:
        mine = Q(person_id__in=[p.pk for p in people])
    verdicts = _verdicts(program, [p.pk for p in people], mine, today)
    rows = [Row(p, verdicts[p.pk]) for p in people]
    result = Compliance(rows)
    for row in rows:
        result.by_status.setdefault(row.verdict.status, []).append(row)
    return result


def _verdicts(program: Program, person_ids: list[int], mine: Q, today: date) -> dict[int, Verdict]:
    """The verdict of each person: their assignments and approved exceptions (``mine``
    selects them) read in two queries, ``compliance.mobility_status`` decides."""
    rule = as_rule(rule_for(program))
    stints: dict[int, list[Stint]] = defaultdict(list)
    for person_id, kind, start, end in MobilityRecord.objects.filter(mine).values_list(
        "person_id", "assignment_type", "started_on", "ended_on"
    ):
        stints[person_id].append(Stint(kind, start, end))
    exemptions: dict[int, list[Exemption]] = defaultdict(list)
    for person_id, start, end in (
        MobilityException.objects.approved()
        .filter(mine, program=program)
        .values_list("person_id", "starts_on", "ends_on")
    ):
        exemptions[person_id].append(Exemption(start, end))
    return {pk: mobility_status(rule, stints[pk], exemptions[pk], today) for pk in person_ids}


# ---------------------------------------------------------------------------------------------
# The program's statuses at scale: counted and ordered once per day and per change
# ---------------------------------------------------------------------------------------------

ALL = ""  # the key of the order of every executive in a ``StatusIndex``


@dataclass(frozen=True)
class StatusIndex:
    """How many executives of a program have each status, and their ids in the order the
    pages show them (overdue first, then by surname): enough to count, filter and page a
    program of 100,000 executives without reading them. Each page then reads its own rows
    and decides their verdicts afresh (``compliance_of`` with ``people``)."""

    counts: dict[str, int]
    order: dict[str, array]  # ALL or a status → person ids, in the pages' order

    def count(self, status: Status) -> int:
        return self.counts.get(status, 0)

    def due_or_overdue(self) -> array:
        """The dashboard's list: the overdue, then those due soon, each by surname."""
        return self.order.get(Status.OVERDUE, array("q")) + self.order.get(Status.DUE, array("q"))


# What a program's statuses and data calls are computed from, and every change to it leaves a
# history row (people, their assignments, exceptions, the rule and the organisations are
# audited): the newest history ids name the state of the inputs. The date counts too for the
# statuses: they move as days pass.
_INPUTS = (Person, MobilityRecord, MobilityException, MobilityRule, Organization)
_version_sql: str | None = None


def _inputs_version() -> tuple:
    global _version_sql
    if _version_sql is None:
        quote = connection.ops.quote_name
        tables = [quote(m.history.model._meta.db_table) for m in _INPUTS]
        # the models' own table names, no input
        newest = [f"(SELECT MAX(history_id) FROM {table})" for table in tables]  # noqa: S608
        _version_sql = "SELECT " + ", ".join(newest)
    with connection.cursor() as cursor:
        cursor.execute(_version_sql)
        return tuple(cursor.fetchone())


def _fingerprint(org_ids: set[int]) -> str:
    """The state of everything the program's figures are computed from."""
    state = repr((sorted(org_ids), _inputs_version())).encode()
    return hashlib.sha256(state).hexdigest()[:32]


def status_index(program: Program, today: date, *, head: bool = False) -> StatusIndex:
    """The program's ``StatusIndex`` for ``today``: from the shared cache while no person,
    assignment, exception, rule or member organisation has changed since it was computed
    (two small queries), else computed (seconds at 100,000 executives) and kept for the day.
    ``head``: only the first ``HEAD`` ids of each order, with the counts (the dashboard's
    box: a small entry to read, where the whole order of 100,000 is 1 MB)."""
    org_ids = organization_ids(program)
    key = f"development:status-index:{program.pk}:{today.isoformat()}:{_fingerprint(org_ids)}"
    found = cache.get(f"{key}:head" if head else key)
    if isinstance(found, StatusIndex):
        return found
    index = _compute_status_index(program, org_ids, today)
    shortened = StatusIndex(index.counts, {k: v[:HEAD] for k, v in index.order.items()})
    cache.set_many({key: index, f"{key}:head": shortened}, timeout=STATUS_INDEX_SECONDS)
    return shortened if head else index


STATUS_INDEX_SECONDS = 24 * 60 * 60
HEAD = 25


def _compute_status_index(program: Program, org_ids: set[int], today: date) -> StatusIndex:
    people = list(Person.objects.filter(organization_id__in=org_ids).values_list("pk", "last_name"))
    verdicts = _verdicts(
        program, [pk for pk, _name in people], Q(person__organization_id__in=org_ids), today
    )
    ranked = sorted(
        ((verdicts[pk].status, name, pk) for pk, name in people),
        key=lambda row: (row[0] != Status.OVERDUE, row[1], row[2]),
    )
    order: dict[str, array] = {ALL: array("q", (pk for _s, _n, pk in ranked))}
    for status in Status:
        order[status] = array("q", (pk for s, _n, pk in ranked if s == status))
    return StatusIndex({status: len(order[status]) for status in Status}, order)


def rows_in_order(program: Program, today: date, ids) -> list[Row]:
    """The executives with these ids, in this order, with their verdicts decided now."""
    wanted = list(ids)
    found = {
        row.person.pk: row
        for row in compliance_of(program, today, Person.objects.filter(pk__in=wanted)).rows
    }
    return [found[pk] for pk in wanted if pk in found]


def plans_not_reviewed(program: Program, today: date):
    """Plans of the current or last year not reviewed (by the board or an approval) in the
    last 12 months."""
    cutoff = date(today.year - 1, today.month, min(today.day, 28))
    latest = (
        DevelopmentPlan.objects.for_program(program)
        .values("person_id")
        .annotate(year=Max("year"))
        .values("person_id", "year")
    )
    pairs = {(r["person_id"], r["year"]) for r in latest}
    plans = (
        DevelopmentPlan.objects.for_program(program)
        .filter(Q(reviewed_on__isnull=True) | Q(reviewed_on__lt=cutoff))
        .select_related("person")
    )
    return [p for p in plans if (p.person_id, p.year) in pairs]


# ---------------------------------------------------------------------------------------------
# The yearly rotation data call
# ---------------------------------------------------------------------------------------------


def fiscal_year_of(day: date) -> int:
    """US fiscal year: FY 2027 runs from 1 October 2026 to 30 September 2027."""
    return day.year + 1 if day.month >= 10 else day.year


def fiscal_year_bounds(fiscal_year: int) -> tuple[date, date]:
    return date(fiscal_year - 1, 10, 1), date(fiscal_year, 9, 30)


INTERNAL, OTHER_AGENCY, OUTSIDE = "internal", "other_agency", "outside_government"
DESTINATIONS = (INTERNAL, OTHER_AGENCY, OUTSIDE)


@dataclass
class DataCall:
    fiscal_year: int
    on_roll: int  # executives on 1 October
    on_roll_estimated: bool  # the talent file did not exist yet on 1 October: today's count
    rotated: int
    by_type: Counter
    by_destination: Counter
    by_type_and_destination: Counter
    goal_share: Decimal

    @property
    def rate(self) -> Decimal | None:
        if not self.on_roll:
            return None
        return (Decimal(100) * self.rotated / self.on_roll).quantize(Decimal("0.1"))

    @property
    def meets_goal(self) -> bool:
        return self.rate is not None and self.rate >= self.goal_share


def on_roll(org_ids: set[int], day: date) -> tuple[int, bool]:
    """Executives in these organisations on ``day``, from the talent file's history; today's
    count (flagged as an estimate) when the file has no history that old."""
    moment = timezone.make_aware(datetime.combine(day, time.max))
    history = Person.history.filter(history_date__lte=moment)
    if not history.exists():
        return Person.objects.filter(organization_id__in=org_ids).count(), True
    as_of = Person.history.as_of(moment)
    return as_of.filter(organization_id__in=org_ids).count(), False


def data_call(program: Program, fiscal_year: int) -> DataCall:
    return data_calls(program, [fiscal_year])[0]


def data_calls(program: Program, fiscal_years: list[int]) -> list[DataCall]:
    """Executives rotated in each fiscal year for at least the rule's minimum, by type and
    destination, against the executives on 1 October: the assignments are read once for all
    the years, then two queries a year for the denominator. Kept in the shared cache until
    what they count changes (a tenth of a second at 100,000 executives)."""
    org_ids = organization_ids(program)
    years = ",".join(str(year) for year in fiscal_years)
    key = f"development:data-calls:{program.pk}:{years}:{_fingerprint(org_ids)}"
    found = cache.get(key)
    if isinstance(found, list):
        return found
    calls = _data_calls(program, org_ids, fiscal_years)
    cache.set(key, calls, timeout=STATUS_INDEX_SECONDS)
    return calls


def _data_calls(program: Program, org_ids: set[int], fiscal_years: list[int]) -> list[DataCall]:
    stored = rule_for(program)
    rule = as_rule(stored)
    first, _ignored = fiscal_year_bounds(min(fiscal_years))
    _ignored, last = fiscal_year_bounds(max(fiscal_years))
    records = list(
        MobilityRecord.objects.filter(person__organization_id__in=org_ids, started_on__lte=last)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=first))
        .values_list(
            "person_id",
            "person__organization_id",
            "assignment_type",
            "started_on",
            "ended_on",
            "host_organization_id",
            "host_organization__kind",
        )
    )
    return [_data_call(stored, rule, org_ids, records, year) for year in fiscal_years]


def _data_call(stored: MobilityRule, rule: Rule, org_ids: set[int], records, fiscal_year: int):
    start, end = fiscal_year_bounds(fiscal_year)
    by_type: Counter = Counter()
    by_destination: Counter = Counter()
    both: Counter = Counter()
    rotated: set[int] = set()
    for person_id, home_id, kind, begun, ended, host_id, host_kind in records:
        stint = Stint(kind, begun, ended)
        # counted in the fiscal year in which it reaches the minimum length
        if not counts(rule, stint, end) or person_id in rotated:
            continue
        reached = date.fromordinal(begun.toordinal() + rule.min_days - 1)
        if not (start <= reached <= end):
            continue
        rotated.add(person_id)
        if host_id is not None and host_id == home_id:
            destination = INTERNAL
        elif host_id is not None and host_kind in GOVERNMENT_KINDS:
            destination = OTHER_AGENCY
        else:
            destination = OUTSIDE
        by_type[kind] += 1
        by_destination[destination] += 1
        both[(kind, destination)] += 1
    count, estimated = on_roll(org_ids, start)
    return DataCall(
        fiscal_year=fiscal_year,
        on_roll=count,
        on_roll_estimated=estimated,
        rotated=len(rotated),
        by_type=by_type,
        by_destination=by_destination,
        by_type_and_destination=both,
        goal_share=stored.goal_share,
    )
