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
user); it must cost a fixed number of queries (no query per row). Its template is included
with the section's context as ``ctx``. The order of the dashboard is ``SECTION_ORDER`` below,
the one place to declare it: registering a key that is not listed is an error, and a test
checks that every listed key is registered.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.exceptions import ImproperlyConfigured

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


SectionBuilder = Callable[[Any, Any, date], "Section | list[Section] | None"]
CycleLinks = Callable[[Any, Any], list[tuple[str, str]]]

_sections: dict[str, SectionBuilder] = {}
_cycle_links: dict[str, CycleLinks] = {}


def section(key: str) -> Callable[[SectionBuilder], SectionBuilder]:
    """Register a dashboard section builder under a key listed in SECTION_ORDER."""

    def register(builder: SectionBuilder) -> SectionBuilder:
        _register(_sections, SECTION_ORDER, key, builder, "SECTION_ORDER")
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


def sections_for(user, roles, today: date) -> list[Section]:
    """The dashboard of this user, in the declared order."""
    shown: list[Section] = []
    for key in registered_sections():
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
