"""The yearly rotation data call and the compliance list as columns and rows, written as CSV
and Excel by the reports app's one writer (``reports.writers``); the chart of
the rotation rate by year (server-rendered SVG, with its numbers in a table beside it)."""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from talent_exchange.people.models import AssignmentType
from talent_exchange.reports import writers
from talent_exchange.reports.registry import Column

from .mobility import DESTINATIONS, INTERNAL, OTHER_AGENCY, OUTSIDE, Compliance, DataCall


def destination_labels() -> dict[str, str]:
    return {
        INTERNAL: _("Within the organisation"),
        OTHER_AGENCY: _("Another government organisation"),
        OUTSIDE: _("Outside government"),
    }


def data_call_columns() -> list[Column]:
    return [
        Column("type", _("Assignment type"), width=30),
        *[Column(d, label, "int", width=24) for d, label in destination_labels().items()],
        Column("total", _("Total"), "decimal"),
    ]


def data_call_body(call: DataCall) -> list[tuple]:
    """One row per assignment type: counts by destination, then the totals and the rate."""
    labels = dict(AssignmentType.choices)
    rows: list[tuple] = []
    for kind in sorted(call.by_type):
        per = [call.by_type_and_destination.get((kind, d), 0) for d in DESTINATIONS]
        rows.append((str(labels.get(kind, kind)), *per, call.by_type[kind]))
    rows.append(
        (_("All types"), *[call.by_destination.get(d, 0) for d in DESTINATIONS], call.rotated)
    )
    rows.append((_("Executives on 1 October"), None, None, None, call.on_roll))
    rows.append((_("Rotation rate (%)"), None, None, None, call.rate))
    rows.append((_("Goal (%)"), None, None, None, call.goal_share))
    return rows


def data_call_rows(call: DataCall) -> list[list[object]]:
    """The data call as the page's table: the header, then the rows (empty cells blank)."""
    header: list[object] = [str(c.label) for c in data_call_columns()]
    return [header] + [["" if v is None else v for v in row] for row in data_call_body(call)]


def compliance_columns() -> list[Column]:
    return [
        Column("name", _("Name"), width=30),
        Column("organisation", _("Organisation"), width=30),
        Column("status", _("Status"), width=14),
        Column("reason", _("Reason"), width=60),
        Column("due_on", _("Due by"), "date"),
    ]


def compliance_body(compliance: Compliance) -> Iterator[tuple]:
    for row in compliance.rows:
        verdict = row.verdict
        yield (
            row.person.full_name,
            str(row.person.organization),
            str(status_label(verdict.status)),
            verdict.reason,
            verdict.due_on,
        )


def status_label(status: str) -> str:
    from .compliance import Status
    from .presenters import STATUS_LABELS

    return str(STATUS_LABELS[Status(status)])


Sheet = tuple[str, list[Column], Iterable[tuple]]


def sheets(call: DataCall, compliance: Compliance) -> list[Sheet]:
    """The data call and the compliance list, in this order (the first two sheets of the
    workbook, the two parts of the CSV)."""
    return [
        (
            _("Data call FY %(year)s") % {"year": call.fiscal_year},
            data_call_columns(),
            data_call_body(call),
        ),
        (_("Compliance"), compliance_columns(), compliance_body(compliance)),
    ]


def as_csv(parts: list[Sheet]) -> str:
    """The parts one after the other, a blank line between them (``reports.writers``)."""
    texts = []
    for _title, columns, rows in parts:
        stream = io.StringIO()
        writers.write_csv(stream, columns, rows)
        texts.append(stream.getvalue())
    return "\n".join(texts)


def as_xlsx(parts: list[Sheet]) -> bytes:
    """A workbook, a sheet a part, written by ``reports.writers`` (typed cells, bold frozen
    header, widths, a text beginning with ``=`` never a formula)."""
    stream = io.BytesIO()
    writers.write_xlsx_sheets(stream, parts)
    return stream.getvalue()


@dataclass
class Bar:
    year: int
    rate: Decimal | None
    x: int
    y: int
    height: int
    label_y: int


@dataclass
class RateChart:
    bars: list[Bar]
    goal_y: int
    goal: Decimal
    width: int
    height: int
    base: int


def rate_chart(calls: list[DataCall]) -> RateChart:
    """Bars of the rotation rate by fiscal year, with the goal as a line."""
    top, base, step = 20, 180, 70
    highest = max(
        [c.rate or Decimal(0) for c in calls] + [c.goal_share for c in calls] + [Decimal(1)]
    )
    scale = Decimal(base - top) / highest

    def y_of(value: Decimal) -> int:
        return int(base - value * scale)

    bars = []
    for i, call in enumerate(calls):
        rate = call.rate
        y = y_of(rate or Decimal(0))
        bars.append(Bar(call.fiscal_year, rate, 40 + i * step, y, base - y, max(y - 4, 12)))
    goal = calls[-1].goal_share if calls else Decimal(0)
    return RateChart(bars, y_of(goal), goal, 40 + len(calls) * step + 20, base + 30, base)
