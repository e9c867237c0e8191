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
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django_stubs_ext import StrOrPromise

# Top to bottom on the program dashboard. Keys are "<app label>.<name>".
FIGURE_ORDER: list[str] = [
    "reports.funnel",
    "reports.flow",
    "reports.reciprocity",
    "reports.cohorts",
    "reports.ratings",
]

# The downloadable reports, in the order the reports page lists them.
REPORT_ORDER: list[str] = [
    "reports.participants",
    "reports.outcomes",
    "reports.organisations",
    "reports.lessons",
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


def figure(key: str) -> Callable[[FigureBuilder], FigureBuilder]:
    def register(builder: FigureBuilder) -> FigureBuilder:
        _register(_figures, FIGURE_ORDER, key, builder, "FIGURE_ORDER")
        return builder

    return register


def report(key: str) -> Callable[[ReportFactory], ReportFactory]:
    def register(factory: ReportFactory) -> ReportFactory:
        _register(_reports, REPORT_ORDER, key, factory, "REPORT_ORDER")
        return factory

    return register


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
    factory = _reports.get(key)
    if factory is None:
        return None
    built = factory()
    built.key = key
    return built


def all_reports() -> list[Report]:
    return [r for r in (get_report(key) for key in registered_reports()) if r is not None]
