"""The registry through which apps add to shared pages: dashboard sections and cycle links.

``core`` owns the pages and the order; each domain app contributes what it knows in its own
``<app>/dashboard.py``, which ``CoreConfig.ready()`` imports (``autodiscover_modules``)::

    # talent_exchange/nominations/dashboard.py
    from talent_exchange.core.dashboard import Section, cycle_links, section

    @section("nominations.to_endorse")
    def to_endorse(user, roles, today) -> Section | None:
        rows = list(Endorsement.objects.waiting_for(user)[:20])
        if rows:
            return Section(_("Nominations waiting for your endorsement"),
                           "nominations/dashboard_endorser.html", {"endorsements": rows})
        return None

    @cycle_links("nominations")
    def nomination_links(cycle, user) -> list[tuple[str, str]]:
        ...

A section builder returns a ``Section``, a list of them, or None (nothing to show to this
user); it must cost a fixed number of queries (no query per row). A box that many users see
on every visit may read with a query compiled once per process (``core/compiled.py``:
``CompiledQuery`` and ``instance``), as a participant's and a coordinator's boxes do.

Most sections show nothing to most users, yet building one costs an ORM query (1.5–3.5 ms of
CPU, mostly Django compiling the SQL). So a section may declare a **relevance test**: the
rows whose existence it needs, as querysets written with a ``Probe`` (the user's id, their
talent profile's id, today, now)::

    @section(
        "nominations.to_endorse",
        relevant=lambda probe: Endorsement.objects.current().filter(endorser_id=probe.user_id),
    )

The registry compiles every test once per process, with stand-in values, into one statement
(``SELECT EXISTS(...), EXISTS(...), ...``) and asks it once per dashboard with the user's
values; a builder whose test finds no row is not called. A test may return several
querysets (relevant if any has a row). **A test must find a row whenever its builder would
show something** (a superset: it may answer yes for nothing, never no for something), and
must use the probe's values as they are — compare a column with them, never with a value
computed from them in Python (the stand-in would be computed on, not replaced).
``core/tests/test_dashboard_relevance.py`` checks that every user of the demo, on several
dates, sees the same dashboard with and without the tests. Its template is included
with the section's context as ``ctx``. The order of the dashboard is ``SECTION_ORDER`` below,
the one place to declare it: registering a key that is not listed is an error, and a test
checks that every listed key is registered.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.db.models import QuerySet
from django.utils import timezone

from talent_exchange.accounts.models import RoleGrant

from .compiled import Slots, adapted, bound, parameter_slots, stand_ins

# Top to bottom. Keys are "<app label>.<name>".
SECTION_ORDER: list[str] = [
    "programs.getting_started",
    "programs.invitations",
    "programs.your_cycles",
    "nominations.to_endorse",
    "preferences.rank_opportunities",
    "placements.own",
    "interviews.own",
    "learning.next_sessions",
    "interviews.to_score",
    "nominations.own",
    "placements.to_sign",
    "placements.checkins_due",
    "opportunities.to_approve",
    "preferences.rank_candidates",
    "matches.own_offer",
    "opportunities.to_finish",
    "interviews.progress",
    "matches.runs",
    "nominations.awaiting_endorsement",
    "placements.attention",
    "finance.signed_not_invoiced",
    "finance.backfill_missing",
    "matches.host_offers",
    "programs.cycles_you_run",
    "people.your_organisation",
    "people.own_profile",
    "people.reports",
    "development.plans",
    "interviews.panels",
    "development.mobility_due",
    "development.interchange_reports",
    "audit.latest_changes",
]

# The links on a cycle's page, left to right, by contributing app.
CYCLE_LINK_ORDER: list[str] = [
    "opportunities",
    "nominations",
    "preferences",
    "interviews",
    "matches",
    "placements",
    "learning",
]


@dataclass
class Section:
    """One box of the dashboard, built for one user."""

    title: str
    template: str
    context: dict = field(default_factory=dict)
    # a stable hook for browser tests (data-testid), when a journey needs one
    testid: str = ""


@dataclass(frozen=True)
class Probe:
    """What a relevance test may compare with: the signed-in user's id, their talent
    profile's id (None without one: a comparison with it finds nothing), today and now."""

    user_id: Any
    person_id: Any
    today: Any
    now: Any

    def grants(self, role: str) -> QuerySet:
        """The user's active grants of one role (``.values("organization")`` for the
        organisations they coordinate, ``.values("program")`` for the programs they run)."""
        return RoleGrant.objects.active().filter(user_id=self.user_id, role=role)


SectionBuilder = Callable[[Any, Any, date], "Section | list[Section] | None"]
RelevanceTest = Callable[[Probe], "QuerySet | Iterable[QuerySet]"]
CycleLinks = Callable[[Any, Any], list[tuple[str, str]]]

_sections: dict[str, SectionBuilder] = {}
_relevance_tests: dict[str, RelevanceTest] = {}
_cycle_links: dict[str, CycleLinks] = {}


def section(
    key: str, relevant: RelevanceTest | None = None
) -> Callable[[SectionBuilder], SectionBuilder]:
    """Register a dashboard section builder under a key listed in SECTION_ORDER, with its
    relevance test if it has one (see the module's docstring)."""

    def register(builder: SectionBuilder) -> SectionBuilder:
        _register(_sections, SECTION_ORDER, key, builder, "SECTION_ORDER")
        if relevant is not None:
            _relevance_tests[key] = relevant
        return builder

    return register


def cycle_links(app: str) -> Callable[[CycleLinks], CycleLinks]:
    """Register an app's (label, url) links for a cycle's page; the app is in CYCLE_LINK_ORDER."""

    def register(builder: CycleLinks) -> CycleLinks:
        _register(_cycle_links, CYCLE_LINK_ORDER, app, builder, "CYCLE_LINK_ORDER")
        return builder

    return register


def _register(registry: dict, order: list[str], key: str, builder, where: str) -> None:
    if key not in order:
        raise ImproperlyConfigured(f"{key!r} is not declared in core.dashboard.{where}")
    known = registry.get(key)
    if known is not None and known.__qualname__ != builder.__qualname__:
        raise ImproperlyConfigured(f"{key!r} is registered twice")
    registry[key] = builder


def registered_sections() -> list[str]:
    return [key for key in SECTION_ORDER if key in _sections]


def registered_cycle_links() -> list[str]:
    return [key for key in CYCLE_LINK_ORDER if key in _cycle_links]


# Stand-ins for the probe's values while the statement is written (core/compiled.py); no
# real id or date is one of them. A parameter equal to a stand-in is replaced by the user's
# value on each run.
_PROBE_KINDS = {"user_id": int, "person_id": int, "today": date, "now": datetime}
_STAND_INS = Probe(**stand_ins(_PROBE_KINDS))


@functools.cache
def _relevance_statement(vendor: str) -> tuple[list[str], str, Slots]:
    """The keys with a relevance test, the one statement that answers them all, and its
    parameters (``core.compiled.parameter_slots``).

    Written once per process: compiling a dozen ORM queries costs more than the dashboard's
    sections that follow, which is the cost this saves."""
    keys = [key for key in registered_sections() if key in _relevance_tests]
    by_value = {adapted(getattr(_STAND_INS, name)): name for name in _PROBE_KINDS}
    columns: list[str] = []
    slots: Slots = []
    for key in keys:
        found = _relevance_tests[key](_STAND_INS)
        querysets = [found] if isinstance(found, QuerySet) else list(found)
        tests = []
        for queryset in querysets:
            query = queryset.query.exists()
            sql, params = query.get_compiler(using=queryset.db).as_sql()
            tests.append(f"EXISTS({sql})")
            slots.extend(parameter_slots(params, by_value))
        columns.append("(" + " OR ".join(tests) + ")")
    return keys, "SELECT " + ", ".join(columns), slots


def relevant_sections(user, roles, today: date) -> dict[str, bool]:
    """For each section with a relevance test, whether it may show something to this user:
    one statement, whatever the number of sections."""
    keys, sql, slots = _relevance_statement(connection.vendor)
    if not keys:
        return {}
    probe = Probe(user.pk, roles.person_id, today, timezone.now())
    params = bound(slots, {name: adapted(getattr(probe, name)) for name in _PROBE_KINDS})
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        answers = cursor.fetchone()
    return {key: bool(answer) for key, answer in zip(keys, answers, strict=True)}


def sections_for(user, roles, today: date, *, skip_irrelevant: bool = True) -> list[Section]:
    """The dashboard of this user, in the declared order. Sections whose relevance test
    finds nothing are not built (``skip_irrelevant=False`` builds them all: the tests compare
    both ways)."""
    relevant = relevant_sections(user, roles, today) if skip_irrelevant else {}
    shown: list[Section] = []
    for key in registered_sections():
        if not relevant.get(key, True):
            continue
        built = _sections[key](user, roles, today)
        if built is None:
            continue
        shown.extend(built if isinstance(built, list) else [built])
    return shown


def links_for_cycle(cycle, user) -> list[tuple[str, str]]:
    """The links a cycle's page shows this user, in the declared order."""
    links: list[tuple[str, str]] = []
    for key in registered_cycle_links():
        links.extend(_cycle_links[key](cycle, user))
    return links
