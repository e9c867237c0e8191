"""The yearly rotation data call and the compliance list, as CSV and Excel; the chart of
the rotation rate by year (server-rendered SVG, with its numbers in a table beside it)."""

from __future__ import annotations

import io
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from talent_exchange.core.csv import safe_cell, writer
from talent_exchange.people.models import AssignmentType

from .mobility import DESTINATIONS, INTERNAL, OTHER_AGENCY, OUTSIDE, Compliance, DataCall


def destination_labels() -> dict[str, str]:
    return {
        INTERNAL: _("Within the organisation"),
        OTHER_AGENCY: _("Another government organisation"),
        OUTSIDE: _("Outside government"),
    }


def data_call_rows(call: DataCall) -> list[list[object]]:
    """One row per assignment type: counts by destination, then the totals and the rate."""
    labels = dict(AssignmentType.choices)
    rows: list[list[object]] = [[_("Assignment type"), *destination_labels().values(), _("Total")]]
    for kind in sorted(call.by_type):
        per = [call.by_type_and_destination.get((kind, d), 0) for d in DESTINATIONS]
        rows.append([str(labels.get(kind, kind)), *per, call.by_type[kind]])
    rows.append(
        [_("All types"), *[call.by_destination.get(d, 0) for d in DESTINATIONS], call.rotated]
    )
    rows.append([_("Executives on 1 October"), "", "", "", call.on_roll])
    rows.append([_("Rotation rate (%)"), "", "", "", call.rate if call.rate is not None else ""])
    rows.append([_("Goal (%)"), "", "", "", call.goal_share])
    return rows


def compliance_rows(compliance: Compliance) -> list[list[object]]:
    rows: list[list[object]] = [
        [_("Name"), _("Organisation"), _("Status"), _("Reason"), _("Due by")]
    ]
    for row in compliance.rows:
        verdict = row.verdict
        rows.append(
            [
                row.person.full_name,
                str(row.person.organization),
                str(status_label(verdict.status)),
                verdict.reason,
                verdict.due_on,
            ]
        )
    return rows


def status_label(status: str) -> str:
    from .compliance import Status
    from .presenters import STATUS_LABELS

    return str(STATUS_LABELS[Status(status)])


def as_csv(rows: list[list[object]]) -> str:
    stream = io.StringIO()
    out = writer(stream)
    out.writerows(rows)
    return stream.getvalue()


def as_xlsx(sheets: dict[str, list[list[object]]]) -> bytes:
    """A workbook with typed cells: numbers as numbers, dates as dates, text never read as
    a formula (``safe_cell``, and openpyxl stores a string as a string)."""
    book = Workbook()
    first = True
    for title, rows in sheets.items():
        sheet = book.active if first else book.create_sheet()
        first = False
        sheet.title = title[:31]
        for row in rows:
            sheet.append(
                [
                    float(v)
                    if isinstance(v, Decimal)
                    else (safe_cell(v) if isinstance(v, str) else v)
                    for v in row
                ]
            )
        for cell in sheet[1]:
            cell.font = Font(bold=True)
    stream = io.BytesIO()
    book.save(stream)
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
