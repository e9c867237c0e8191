"""Mobility compliance: one pure function decides a person's status under a program's rule.

No database here: the caller passes the rule, the person's assignments and their approved
exceptions (``mobility.py`` reads them in a fixed number of queries). The definition, which
the hypothesis properties in ``tests/test_compliance.py`` check:

- an assignment *counts* when its type is one the rule counts and it has lasted at least
  ``min_days`` consecutive days by ``today`` (a current assignment counts once it has);
  anything shorter never counts, however recent;
- an approved exception whose dates hold ``today`` makes the person **exempt**, whatever
  else is true;
- otherwise the next assignment is due ``interval_years`` after the end of the last one that
  counts (a current one that counts: nothing is due); with none that counts the person is
  **overdue**; past the due date **overdue**; within ``due_within_months`` of it **due**;
  else **compliant**;
- the *moves* are the assignments that count, in the whole career or — with
  ``moves_period_years`` — those that reached the minimum length within that many years
  up to ``today``. With ``max_moves``, a person who has made that many is never due or
  overdue (no further move is expected: **compliant**, the reason says so); with
  ``min_moves``, a person who has made fewer and is not on an assignment that counts now is
  never compliant (at least **due**, the reason names the shortfall). The maximum wins
  over the minimum when both apply (a rule whose minimum exceeds its maximum is refused
  when saved).
"""

from __future__ import annotations

import calendar
import enum
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date

from django.utils.translation import gettext as _


class Status(enum.StrEnum):
    COMPLIANT = "compliant"
    DUE = "due"
    OVERDUE = "overdue"
    EXEMPT = "exempt"


@dataclass(frozen=True)
class Rule:
    interval_years: int
    min_days: int = 120
    counted_types: frozenset[str] = frozenset()
    due_within_months: int = 6
    min_moves: int | None = None
    max_moves: int | None = None
    moves_period_years: int | None = None  # None: the whole career


@dataclass(frozen=True)
class Stint:
    kind: str
    started_on: date
    ended_on: date | None  # None: still on it


@dataclass(frozen=True)
class Exemption:
    starts_on: date
    ends_on: date


@dataclass(frozen=True)
class Verdict:
    status: Status
    reason: str
    last_counted: Stint | None = None
    due_on: date | None = None
    moves: int | None = None  # moves that count (in the rule's period), when not exempt


def add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def add_months(day: date, months: int) -> date:
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def days_served(stint: Stint, today: date) -> int:
    """Consecutive days on the assignment by ``today``, both ends included."""
    end = today if stint.ended_on is None else min(stint.ended_on, today)
    return max((end - stint.started_on).days + 1, 0)


def counts(rule: Rule, stint: Stint, today: date) -> bool:
    return stint.kind in rule.counted_types and days_served(stint, today) >= rule.min_days


def reached_on(rule: Rule, stint: Stint) -> date:
    """The day on which the assignment reached the rule's minimum length (if it did)."""
    return date.fromordinal(stint.started_on.toordinal() + rule.min_days - 1)


def moves_counted(rule: Rule, stints: Iterable[Stint], today: date) -> int:
    """The assignments that count, in the career or in the rule's period up to ``today``."""
    counted = [s for s in stints if counts(rule, s, today)]
    if rule.moves_period_years is None:
        return len(counted)
    since = add_years(today, -rule.moves_period_years)
    return sum(1 for s in counted if reached_on(rule, s) > since)


def _scope(rule: Rule) -> str:
    if rule.moves_period_years is None:
        return _("in a career")
    return _("in the last %(years)s years") % {"years": rule.moves_period_years}


def mobility_status(
    rule: Rule, stints: Iterable[Stint], exemptions: Iterable[Exemption], today: date
) -> Verdict:
    for exemption in exemptions:
        if exemption.starts_on <= today <= exemption.ends_on:
            return Verdict(
                Status.EXEMPT,
                _("exempt until %(date)s") % {"date": exemption.ends_on.isoformat()},
            )
    history = list(stints)
    verdict = _interval_status(rule, history, today)
    moves = moves_counted(rule, history, today)
    verdict = replace(verdict, moves=moves)
    numbers = {"moves": moves, "scope": _scope(rule)}
    if rule.max_moves is not None and moves >= rule.max_moves:
        if verdict.status in (Status.DUE, Status.OVERDUE):
            return replace(
                verdict,
                status=Status.COMPLIANT,
                due_on=None,
                reason=_(
                    "%(moves)s moves that count %(scope)s: the rule's maximum is %(max)s, "
                    "no further move is expected"
                )
                % {**numbers, "max": rule.max_moves},
            )
        if moves > rule.max_moves:
            return replace(
                verdict,
                reason=verdict.reason
                + "; "
                + _("%(moves)s moves that count %(scope)s, more than the rule's maximum of %(max)s")
                % {**numbers, "max": rule.max_moves},
            )
        return verdict
    if (
        rule.min_moves is not None
        and moves < rule.min_moves
        and verdict.status == Status.COMPLIANT
        and not _on_assignment(rule, history, today)
    ):
        return replace(
            verdict,
            status=Status.DUE,
            reason=_("%(moves)s of the %(min)s moves that count the rule asks for %(scope)s")
            % {**numbers, "min": rule.min_moves}
            + "; "
            + verdict.reason,
        )
    return verdict


def _on_assignment(rule: Rule, stints: list[Stint], today: date) -> bool:
    return any(
        counts(rule, s, today) and (s.ended_on is None or s.ended_on >= today) for s in stints
    )


def _interval_status(rule: Rule, stints: list[Stint], today: date) -> Verdict:
    """The status under the interval alone (every ``interval_years``)."""
    counted = [s for s in stints if counts(rule, s, today)]
    if not counted:
        return Verdict(
            Status.OVERDUE,
            _("no assignment of %(days)s days or more that counts") % {"days": rule.min_days},
        )
    current = [s for s in counted if s.ended_on is None or s.ended_on >= today]
    if current:
        return Verdict(Status.COMPLIANT, _("on a developmental assignment now"), current[0])
    last = max(counted, key=lambda s: (s.ended_on, s.started_on))
    assert last.ended_on is not None
    due_on = add_years(last.ended_on, rule.interval_years)
    ended = {"date": last.ended_on.isoformat(), "due": due_on.isoformat()}
    if today > due_on:
        return Verdict(
            Status.OVERDUE,
            _("last assignment that counts ended %(date)s; one was due by %(due)s") % ended,
            last,
            due_on,
        )
    if today >= add_months(due_on, -rule.due_within_months):
        return Verdict(
            Status.DUE,
            _("last assignment that counts ended %(date)s; the next is due by %(due)s") % ended,
            last,
            due_on,
        )
    return Verdict(
        Status.COMPLIANT,
        _("last assignment that counts ended %(date)s; the next is due by %(due)s") % ended,
        last,
        due_on,
    )
