"""The dates of a cycle's phases: what makes a schedule valid, in words a person understands.

Pure functions (no database): the cycle form and the copy of a cycle ask them, and the
property tests check them against the rules written out independently.

A schedule is valid when every phase has both dates and closes on or after it opens; the
phases follow their order (each opens no earlier than the one before it opens, and closes no
earlier than the one before it closes); and, when the program does not let phases overlap,
each opens only after the one before it has closed. When the program does not let cycles
overlap either, a new cycle starts only after the program's latest cycle ends.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from typing import NamedTuple

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from .models import PHASE_ORDER, Phase

# The phases that have dates: a draft has none, and a closed cycle is over.
DATED_PHASES: list[str] = PHASE_ORDER[1:-1]

Dates = Mapping[str, tuple[date | None, date | None]]


class Problem(NamedTuple):
    """What is wrong with a phase's dates, and beside which of its two days to say it."""

    field: str  # "opens" or "closes"
    message: str


def _day(value: date) -> str:
    return date_format(value, "DATE_FORMAT")


def phase_date_errors(dates: Dates, *, phases_may_overlap: bool) -> dict[str, Problem]:
    """{phase: what is wrong with its dates}; empty when the schedule is valid. Each phase
    gets its first problem only, so the message beside the field says one thing."""
    errors: dict[str, Problem] = {}
    previous: tuple[str, date, date] | None = None
    for phase in DATED_PHASES:
        opens, closes = dates.get(phase, (None, None))
        label = Phase(phase).label
        if opens is None or closes is None:
            errors[phase] = Problem(
                "opens" if opens is None else "closes",
                _("Give the day %(phase)s opens and the day it closes.") % {"phase": label},
            )
            previous = None  # nothing to compare the next phase with
            continue
        if closes < opens:
            errors[phase] = Problem(
                "closes", _("%(phase)s cannot close before it opens.") % {"phase": label}
            )
        elif previous is not None:
            before, before_opens, before_closes = previous
            names = {"phase": label, "before": Phase(before).label}
            if opens < before_opens:
                errors[phase] = Problem(
                    "opens",
                    _(
                        "%(phase)s cannot open before %(before)s, which comes before it (it "
                        "opens on %(day)s)."
                    )
                    % {**names, "day": _day(before_opens)},
                )
            elif closes < before_closes:
                errors[phase] = Problem(
                    "closes",
                    _(
                        "%(phase)s cannot close before %(before)s, which comes before it (it "
                        "closes on %(day)s)."
                    )
                    % {**names, "day": _day(before_closes)},
                )
            elif not phases_may_overlap and opens <= before_closes:
                errors[phase] = Problem(
                    "opens",
                    _(
                        "%(phase)s opens before %(before)s closes (on %(day)s): this program "
                        "does not let phases overlap."
                    )
                    % {**names, "day": _day(before_closes)},
                )
        previous = (phase, opens, closes)
    return errors


def span(dates: Dates) -> tuple[date, date] | None:
    """The first opening and the last closing of a schedule (None when it has no dates)."""
    opens = [o for o, _c in dates.values() if o is not None]
    closes = [c for _o, c in dates.values() if c is not None]
    if not opens or not closes:
        return None
    return min(opens), max(closes)


def cycle_start_error(starts: date, previous_ends: date | None, previous_name: str) -> str | None:
    """Why a cycle cannot start on ``starts`` in a program whose cycles may not overlap,
    when its latest other cycle ends on ``previous_ends``; None when it can."""
    if previous_ends is None or starts > previous_ends:
        return None
    return _(
        "This program does not let cycles overlap: the first phase must open after "
        "%(cycle)s ends on %(day)s."
    ) % {"cycle": previous_name, "day": _day(previous_ends)}


def shifted(dates: Dates, days: int) -> dict[str, tuple[date | None, date | None]]:
    """The same schedule ``days`` later (a copy of a cycle keeps its rhythm)."""
    delta = timedelta(days=days)
    return {
        phase: (
            opens + delta if opens is not None else None,
            closes + delta if closes is not None else None,
        )
        for phase, (opens, closes) in dates.items()
    }
