"""The registry through which apps add to a program's reports: figures on the program
dashboard and downloadable reports (CSV and Excel).

The reports app owns the pages, the files and the order; each app contributes what it knows
in its own ``<app>/reports.py``, which ``ReportsConfig.ready()`` imports
(``autodiscover_modules("reports")``)::

    # talent_exchange/funding/reports.py
    from talent_exchange.reports.registry import Column, Figure, Report, figure, report

    @figure("funding.money")  # listed in FIGURE_ORDER
    def money(program, filters, user) -> Figure | None:
        rows = list(Invoice.objects.for_program(program).totals_by_organization())
        return Figure(_("Money in and out"), "funding/reports/money.html", {"rows": rows})

    @report("funding.ledger")  # listed in REPORT_ORDER
    def ledger() -> Report:
        return Report(
            title=_("Ledger per organisation"),
            columns=[Column("org", _("Organisation")), Column("amount", _("Amount"), "decimal")],
            rows=lambda program, filters, user: Ledger.objects.for_program(program).values_list(),
            count=lambda program, filters, user: Ledger.objects.for_program(program).count(),
        )

A figure builder costs a fixed number of queries (the dashboard asserts its total); a
report's ``rows`` yields tuples in column order, lazily (``.iterator()``), so a large report
streams. Registering a key that is not declared here raises ``ImproperlyConfigured``.

An app whose object downloads as a file too large to write in a web request (a match run's
input snapshot) declares it as a **download**: the export worker writes the bytes it gives,
gzip-compressed, in ``EXPORTS_DIR``, and the app's page serves the file once it is ready
(``services.request_export``, ``files.serve``)::

    # talent_exchange/matches/reports.py
    @download("matches.run_snapshot")  # listed in DOWNLOAD_ORDER
    def snapshot() -> Download:
        return Download(
            title=lambda filters: _("Input snapshot of run #%(id)s") % {"id": filters["run"]},
            filename=lambda filters: f"run-{filters['run']}-market.json",
            subject=lambda filters: MatchRun.objects.get(pk=filters["run"]),
            permission="matches.view_matchrun",
            chunks=lambda run, filters, progress: snapshot_chunks(stored_blob(run), progress),
        )

The same module is the registry of the **history format**'s sections (docs/history-format.md):
an app whose models belong to a program's history declares them in its ``reports.py``::

    # talent_exchange/funding/reports.py
    from talent_exchange.reports.registry import Section, history_sections

    history_sections(
        "funding",
        Section("ledger_lines", "funding.LedgerLine", lambda p: Q(program=p), ("program", "at")),
        people=lambda p: Q(pk__in=LedgerLine.objects.filter(program=p).values("payee_id")),
    )

Each section's name is declared first in ``HISTORY_ORDER``, where a section comes after every
section it refers to (the import resolves references in file order).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.core.exceptions import ImproperlyConfigured
from django.db.models import Q
from django_stubs_ext import StrOrPromise

# Top to bottom on the program dashboard. Keys are "<app label>.<name>".
FIGURE_ORDER: list[str] = [
    "reports.funnel",
    "reports.flow",
    "reports.reciprocity",
    "reports.cohorts",
    "reports.ratings",
    "learning.attendance",
    "finance.money",
    "development.compliance",
]

# The downloadable reports, in the order the reports page lists them.
REPORT_ORDER: list[str] = [
    "reports.participants",
    "reports.outcomes",
    "reports.organisations",
    "reports.lessons",
    "learning.attendance",
    "finance.invoices",
    "finance.ledger",
    "development.compliance",
    "development.data_call",
]


@dataclass
class Figure:
    """One figure of the dashboard: a title, a template (included with ``ctx``), and the
    sentence that says what it shows (read first by a screen reader, printed under it)."""

    title: StrOrPromise
    template: str
    context: dict = field(default_factory=dict)
    summary: StrOrPromise = ""
    key: str = ""


# The kinds of a column: how an Excel cell is typed and how wide the column is.
KINDS = ("text", "int", "decimal", "date", "datetime", "bool")


@dataclass(frozen=True)
class Column:
    name: str
    label: StrOrPromise
    kind: str = "text"
    width: int = 0  # characters; 0: from the kind

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ImproperlyConfigured(f"column {self.name!r}: unknown kind {self.kind!r}")


RowSource = Callable[[Any, dict, Any], Iterable[tuple]]
Counter = Callable[[Any, dict, Any], int]


@dataclass
class Report:
    title: StrOrPromise
    columns: list[Column]
    rows: RowSource  # (program, filters, user) -> rows, lazily
    count: Counter  # (program, filters, user) -> how many rows (to decide: now or later)
    description: StrOrPromise = ""
    key: str = ""


FigureBuilder = Callable[[Any, dict, Any], "Figure | None"]
ReportFactory = Callable[[], Report]

_figures: dict[str, FigureBuilder] = {}
_reports: dict[str, ReportFactory] = {}


def _register(registry: dict, order: list[str], key: str, builder: Any, where: str) -> None:
    if key not in order:
        raise ImproperlyConfigured(f"{key!r} is not declared in reports.registry.{where}")
    known = registry.get(key)
    if known is not None and known.__qualname__ != builder.__qualname__:
        raise ImproperlyConfigured(f"{key!r} is registered twice")
    registry[key] = builder


Builder = TypeVar("Builder", bound=Callable[..., Any])
Built = TypeVar("Built", "Report", "Download")


def _decorator(
    registry: dict, order: list[str], key: str, where: str
) -> Callable[[Builder], Builder]:
    def register(builder: Builder) -> Builder:
        _register(registry, order, key, builder, where)
        return builder

    return register


def _built(factories: dict[str, Callable[[], Built]], key: str) -> Built | None:
    """What the factory registered under ``key`` builds, told its key (None: no such key)."""
    factory = factories.get(key)
    if factory is None:
        return None
    built = factory()
    built.key = key
    return built


def figure(key: str) -> Callable[[FigureBuilder], FigureBuilder]:
    return _decorator(_figures, FIGURE_ORDER, key, "FIGURE_ORDER")


def report(key: str) -> Callable[[ReportFactory], ReportFactory]:
    return _decorator(_reports, REPORT_ORDER, key, "REPORT_ORDER")


def registered_figures() -> list[str]:
    return [key for key in FIGURE_ORDER if key in _figures]


def registered_reports() -> list[str]:
    return [key for key in REPORT_ORDER if key in _reports]


def figures_for(program: Any, filters: dict, user: Any) -> list[Figure]:
    shown = []
    for key in registered_figures():
        built = _figures[key](program, filters, user)
        if built is not None:
            built.key = key
            shown.append(built)
    return shown


def get_report(key: str) -> Report | None:
    return _built(_reports, key)


def all_reports() -> list[Report]:
    return [r for r in (get_report(key) for key in registered_reports()) if r is not None]


# The files other apps have written in the background (one export each, kept and shared).
DOWNLOAD_ORDER: list[str] = [
    "matches.run_snapshot",
    "matches.run_result",
    "matches.cycle_market",
]

Progress = Callable[[int, int], None]  # (done, total)


@dataclass
class Download:
    """A file of one object (``subject``, found from the export's ``filters``), written by
    the export worker from ``chunks`` and gzip-compressed. Whoever may ``permission`` the
    object may ask for it; the bytes do not depend on who asks, so once written the file
    serves everyone allowed (the app's own page checks that)."""

    title: Callable[[dict], StrOrPromise]  # (filters) -> what the file is
    filename: Callable[[dict], str]  # (filters) -> the name it is saved under
    subject: Callable[[dict], Any]  # (filters) -> the object
    permission: str  # asked of the object
    # (object, filters, progress) -> its bytes
    chunks: Callable[[Any, dict, Progress], Iterable[bytes]]
    key: str = ""


DownloadFactory = Callable[[], Download]
_downloads: dict[str, DownloadFactory] = {}


def download(key: str) -> Callable[[DownloadFactory], DownloadFactory]:
    return _decorator(_downloads, DOWNLOAD_ORDER, key, "DOWNLOAD_ORDER")


def get_download(key: str) -> Download | None:
    return _built(_downloads, key)


# ---------------------------------------------------------------------------------------------
# The sections of the history format
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Section:
    """One section of the history format: the records of one model that belong to a program.

    ``scope(program)`` selects them (the export also applies the model's ``visible_to``);
    ``key`` names the fields that identify a record in any deployment (the import matches
    existing rows by it); ``exclude`` leaves fields out (derived data, secrets, this
    deployment's own bookkeeping); ``m2m`` lists the many-to-many fields written as lists;
    ``immutable`` records (workflow transitions, ledger entries) may be found again but
    never changed; ``after_write(pks)`` keeps derived data current after a batch of the
    section's rows is written in bulk (no ``save()``, no signals)."""

    name: str
    model: str  # app_label.ModelName
    scope: Callable[[Any], Q]  # the records of one program
    key: tuple[str, ...]  # fields that identify a record in any deployment
    exclude: tuple[str, ...] = ()
    m2m: tuple[str, ...] = ()
    immutable: bool = False
    after_write: Callable[[list[int]], None] | None = None


# The file order of the sections. A section only refers to sections above it (or to earlier
# records of its own). The first block is the reports app's own (reports/history.py); then
# each app's, from its reports.py.
HISTORY_ORDER: list[str] = [
    # reports (history.CORE_SECTIONS)
    "organizations",
    "skills",
    "designations",
    "people",
    "mobility_records",
    "programs",
    "rubric",
    "endorsement_steps",
    "agreement_templates",
    "cycles",
    "cycle_phases",
    "opportunities",
    "nominations",
    "endorsements",
    "conflicts",
    "participant_rankings",
    "host_rankings",
    "panels",
    "panel_assignments",
    "scores",
    "weight_formulas",
    "match_runs",
    "pair_constraints",
    "offers",
    "placements",
    "agreements",
    "signatures",
    "objectives",
    "checkins",
    "evaluations",
    "outcomes",
    "cycle_transitions",
    "opportunity_transitions",
    "nomination_transitions",
    "offer_transitions",
    "placement_transitions",
    # learning
    "circles",
    "learning_series",
    "learning_sessions",
    "session_transitions",
    "invitations",
    "session_feedback",
    "completion_rules",
    "threads",
    "posts",
    "post_transitions",
    "materials",
    # development
    "framework_versions",
    "competencies",
    "mobility_rules",
    "mobility_exceptions",
    "development_plans",
    "plan_transitions",
    "plan_items",
    "progress_entries",
    "mobility_agreements",
    "boards",
    "review_sessions",
    "review_decisions",
    "succession_plans",
    "succession_candidates",
    "assignment_reports",
    # finance
    "billing_profiles",
    "fee_schedules",
    "funding_lines",
    "budget_lines",
    "expenses",
    "cost_defaults",
    "cost_arrangements",
    "cost_components",
    "invoices",
    "invoice_lines",
    "invoice_transitions",
    "payments",
    "postings",
    "backfill_plans",
]

ScopeOfProgram = Callable[[Any], Q]

_sections: dict[str, Section] = {}
# Per app: who else belongs to a program's history (a Q on people.Person, and on
# organizations.Organization), beyond those nominated and placed.
_people: dict[str, ScopeOfProgram] = {}
_organizations: dict[str, ScopeOfProgram] = {}


def history_sections(
    app: str,
    *sections: Section,
    people: ScopeOfProgram | None = None,
    organizations: ScopeOfProgram | None = None,
) -> None:
    """Declare ``app``'s sections of the history format (each listed in ``HISTORY_ORDER``),
    and, optionally, the people and organisations its records bring into a program's
    history (their records would otherwise be left out of the file)."""
    for section in sections:
        if section.name not in HISTORY_ORDER:
            raise ImproperlyConfigured(
                f"history section {section.name!r} is not declared in "
                "reports.registry.HISTORY_ORDER"
            )
        known = _sections.get(section.name)
        if known is not None and known.model != section.model:
            raise ImproperlyConfigured(f"history section {section.name!r} is registered twice")
        _sections[section.name] = section
    if people is not None:
        _people[app] = people
    if organizations is not None:
        _organizations[app] = organizations


def registered_history_sections() -> tuple[Section, ...]:
    return tuple(_sections[name] for name in HISTORY_ORDER if name in _sections)


def history_people(program: Any) -> Q:
    """The people the apps bring into ``program``'s history (an empty Q matches none)."""
    return _any(program, _people)


def history_organizations(program: Any) -> Q:
    return _any(program, _organizations)


def _any(program: Any, contributions: dict[str, ScopeOfProgram]) -> Q:
    found = Q(pk__in=[])
    for app in sorted(contributions):
        found |= contributions[app](program)
    return found
